#include "libnfcreader.h"

#include "platformlogging.h"

#include <QRandomGenerator>

#include <nfc/nfc.h>

#include <algorithm>
#include <array>
#include <cstring>

namespace poptap {

namespace {

// Longest frame a PN532 hands over (PN53x extended frame data, libnfc's buffers).
constexpr size_t kFrameBytes = 264;
// A phone in the field sends its next command within milliseconds; silence this long
// means it has gone without the chip noticing.
constexpr int kExchangeTimeoutMs = 1500;
// One InAutoPoll period is a multiple of 150 ms (PN532 user manual, 7.3.13).
constexpr int kPollPeriodUnitMs = 150;
constexpr int kPollPeriodUnits = 2;

bool isReaderWithoutTargetMode(const QByteArray &connstring, const char *name)
{
    // ACR122U readers wrap a PN532 whose card mode the firmware does not let through.
    return connstring.startsWith("acr122") || QByteArray(name).contains("ACR122");
}

class LibnfcNtag final : public NtagAccess
{
public:
    explicit LibnfcNtag(nfc_device *device)
        : m_device(device)
    {
    }

    QByteArray getVersion() override
    {
        // GET_VERSION is not a MIFARE command the PN532's InDataExchange knows, so it goes
        // through InCommunicateThru (easy framing off); the chip still adds and checks the CRC.
        if (nfc_device_set_property_bool(m_device, NP_EASY_FRAMING, false) < 0)
            return {};
        const uint8_t command[] = {0x60};
        std::array<uint8_t, 16> answer{};
        const int received = nfc_initiator_transceive_bytes(m_device, command, sizeof command, answer.data(),
                                                            answer.size(), kExchangeTimeoutMs);
        nfc_device_set_property_bool(m_device, NP_EASY_FRAMING, true);
        if (received != 8)
            return {};
        return QByteArray(reinterpret_cast<const char *>(answer.data()), received);
    }

    QByteArray read4Pages(int page) override
    {
        const uint8_t command[] = {0x30, uint8_t(page)};
        std::array<uint8_t, 16> answer{};
        const int received = nfc_initiator_transceive_bytes(m_device, command, sizeof command, answer.data(),
                                                            answer.size(), kExchangeTimeoutMs);
        if (received != 16)
            return {};
        return QByteArray(reinterpret_cast<const char *>(answer.data()), received);
    }

    bool writePage(int page, const QByteArray &fourBytes) override
    {
        if (fourBytes.size() != 4)
            return false;
        uint8_t command[6] = {0xA2, uint8_t(page)};
        std::memcpy(command + 2, fourBytes.constData(), 4);
        // The tag's 4-bit ACK is checked by the PN532; a NAK comes back as an error.
        std::array<uint8_t, 16> answer{};
        return nfc_initiator_transceive_bytes(m_device, command, sizeof command, answer.data(), answer.size(),
                                              kExchangeTimeoutMs) >= 0;
    }

private:
    nfc_device *m_device;
};

} // namespace

struct LibnfcReader::Handle {
    nfc_context *context = nullptr;
    nfc_device *device = nullptr;
    bool canEmulate = false;
    bool initiator = false; // whether the chip is set up as a reader since the last emulation
    std::unique_ptr<LibnfcNtag> card;

    ~Handle()
    {
        if (device)
            nfc_close(device);
        if (context)
            nfc_exit(context);
    }
};

std::unique_ptr<LibnfcReader> LibnfcReader::open(const QByteArray &connstring, QString *error)
{
    auto handle = std::make_unique<Handle>();
    nfc_init(&handle->context);
    if (!handle->context) {
        *error = QStringLiteral("libnfc could not start (out of memory)");
        return nullptr;
    }
    nfc_connstring name{};
    std::strncpy(name, connstring.constData(), sizeof name - 1);
    handle->device = nfc_open(handle->context, name);
    if (!handle->device) {
        *error = QStringLiteral("no NFC reader answers at %1").arg(QString::fromLatin1(connstring));
        return nullptr;
    }
    const nfc_modulation_type *targetTypes = nullptr;
    if (nfc_device_get_supported_modulation(handle->device, N_TARGET, &targetTypes) >= 0 && targetTypes) {
        for (const nfc_modulation_type *type = targetTypes; *type; ++type)
            handle->canEmulate = handle->canEmulate || *type == NMT_ISO14443A;
    }
    if (isReaderWithoutTargetMode(connstring, nfc_device_get_name(handle->device)))
        handle->canEmulate = false;
    return std::unique_ptr<LibnfcReader>(new LibnfcReader(std::move(handle)));
}

LibnfcReader::LibnfcReader(std::unique_ptr<Handle> handle)
    : m_handle(std::move(handle))
{
}

LibnfcReader::~LibnfcReader() = default;

QString LibnfcReader::name() const
{
    return QString::fromLatin1(nfc_device_get_name(m_handle->device));
}

bool LibnfcReader::canEmulate() const
{
    return m_handle->canEmulate;
}

void LibnfcReader::abort()
{
    nfc_abort_command(m_handle->device);
}

LibnfcReader::Result LibnfcReader::failure(int code) const
{
    const QString message = QString::fromLatin1(nfc_strerror(m_handle->device));
    switch (code) {
    case NFC_EOPABORTED:
        return {Outcome::Aborted, message};
    case NFC_ETIMEOUT:
    case NFC_ETGRELEASED:
    case NFC_ERFTRANS:
        return {Outcome::Nothing, message};
    default:
        // I/O errors, a chip that answers nonsense: close and reopen the reader.
        return {Outcome::Gone, message};
    }
}

LibnfcReader::Result LibnfcReader::emulate(Emulation emulation, const QByteArray &felicaIdm, int waitMs,
                                           const Responder &respond, const std::function<void()> &answered,
                                           const std::function<bool()> &keepGoing)
{
    nfc_device *device = m_handle->device;
    m_handle->initiator = false;
    m_handle->card.reset();
    nfc_target target{};
    if (emulation == Emulation::Type4) {
        target.nm = {NMT_ISO14443A, NBR_UNDEFINED};
        nfc_iso14443a_info &info = target.nti.nai;
        info.abtAtqa[0] = 0x00;
        info.abtAtqa[1] = 0x04;
        // The PN532 fixes the first UID byte to 0x08, "random UID" (ISO/IEC 14443-3): a new
        // one per phone, so the kiosk cannot be tracked by its UID.
        info.szUidLen = 4;
        info.abtUid[0] = 0x08;
        const quint32 random = QRandomGenerator::system()->generate();
        info.abtUid[1] = uint8_t(random);
        info.abtUid[2] = uint8_t(random >> 8);
        info.abtUid[3] = uint8_t(random >> 16);
        info.btSak = 0x20; // ISO/IEC 14443-4 compliant: the chip answers RATS itself
        const uint8_t ats[] = {0x75, 0x33, 0x92, 0x03};
        std::memcpy(info.abtAts, ats, sizeof ats);
        info.szAtsLen = sizeof ats;
        nfc_device_set_property_bool(device, NP_AUTO_ISO14443_4, true);
    } else {
        target.nm = {NMT_FELICA, NBR_212};
        nfc_felica_info &info = target.nti.nfi;
        std::memcpy(info.abtId, felicaIdm.constData(), std::min<size_t>(8, felicaIdm.size()));
        // PMm of an NFC Forum Type 3 tag, and its NDEF system code 12FC (Type 3 Tag spec 7.1).
        const uint8_t pad[] = {0x00, 0xF0, 0x00, 0x00, 0x00, 0x01, 0x43, 0x00};
        std::memcpy(info.abtPad, pad, sizeof pad);
        info.abtSysCode[0] = 0x12;
        info.abtSysCode[1] = 0xFC;
    }

    std::array<uint8_t, kFrameBytes> frame{};
    int received = nfc_target_init(device, &target, frame.data(), frame.size(), waitMs);
    if (received < 0)
        return failure(received);
    // In ISO/IEC 14443-4 card mode the chip has answered RATS: the first command is yet to come.
    for (;;) {
        if (!keepGoing())
            return {Outcome::Aborted, {}};
        if (received > 0) {
            const QByteArray answer = respond(QByteArrayView(frame.data(), received));
            if (!answer.isEmpty()) {
                const int sent = nfc_target_send_bytes(device, reinterpret_cast<const uint8_t *>(answer.constData()),
                                                       size_t(answer.size()), kExchangeTimeoutMs);
                if (sent < 0)
                    return failure(sent);
                answered();
            }
        }
        received = nfc_target_receive_bytes(device, frame.data(), frame.size(), kExchangeTimeoutMs);
        if (received < 0)
            return failure(received);
    }
}

LibnfcReader::Result LibnfcReader::poll(int waitMs, QByteArray *uid, bool *isNtag)
{
    nfc_device *device = m_handle->device;
    m_handle->card.reset();
    if (!m_handle->initiator) {
        const int res = nfc_initiator_init(device);
        if (res < 0)
            return failure(res);
        // Plain 14443-A polling: a staff card or a sticker, no RATS to phones in the field.
        nfc_device_set_property_bool(device, NP_AUTO_ISO14443_4, false);
        m_handle->initiator = true;
    }
    const nfc_modulation typeA = {NMT_ISO14443A, NBR_106};
    const int polls = std::clamp(waitMs / (kPollPeriodUnits * kPollPeriodUnitMs), 1, 254);
    nfc_target target{};
    const int found = nfc_initiator_poll_target(device, &typeA, 1, uint8_t(polls), kPollPeriodUnits, &target);
    if (found < 0)
        return failure(found);
    if (found == 0)
        return {Outcome::Nothing, {}};
    const nfc_iso14443a_info &info = target.nti.nai;
    *uid = QByteArray(reinterpret_cast<const char *>(info.abtUid), int(std::min<size_t>(info.szUidLen, 10)));
    // NTAG21x and the Ultralight family: ATQA 0x0044, SAK 0x00 (NTAG21x data sheet 8.4).
    *isNtag = info.btSak == 0x00 && info.abtAtqa[1] == 0x44;
    m_handle->card = std::make_unique<LibnfcNtag>(device);
    return {Outcome::Done, {}};
}

NtagAccess &LibnfcReader::card()
{
    Q_ASSERT(m_handle->card);
    return *m_handle->card;
}

void LibnfcReader::idle()
{
    m_handle->card.reset();
    m_handle->initiator = false;
    nfc_idle(m_handle->device);
}

} // namespace poptap
