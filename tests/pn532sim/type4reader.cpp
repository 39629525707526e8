// A phone reading an NFC Forum Type 4 Tag: the NDEF Detection and NDEF Read procedures of
// the Type 4 Tag specification 2.0 (mapping 1.0 for the v1 application), written from the
// reader's side and independent of any tag implementation.

#include "phonesession.h"

#include <algorithm>

namespace poptap::pn532sim {

namespace {

const QByteArray ndefApplicationV2 = QByteArray::fromHex("D2760000850101");
const QByteArray ndefApplicationV1 = QByteArray::fromHex("D2760000850100");
constexpr quint16 capabilityContainerFile = 0xE103;

quint16 statusWord(const QByteArray &response)
{
    return quint16((quint8(response[response.size() - 2]) << 8) | quint8(response.back()));
}

quint16 bigEndian16(const QByteArray &bytes, int offset)
{
    return quint16((quint8(bytes[offset]) << 8) | quint8(bytes[offset + 1]));
}

QString hex16(quint16 value)
{
    return QStringLiteral("%1").arg(value, 4, 16, QLatin1Char('0')).toUpper();
}

QByteArray selectByName(const QByteArray &aid, int version)
{
    // T4T 2.0 sends Le = 00; mapping 1.0 readers sent none.
    QByteArray apdu = QByteArray::fromHex("00A40400") + char(aid.size()) + aid;
    if (version == 2)
        apdu += '\x00';
    return apdu;
}

QByteArray selectFile(quint16 fileId, int version)
{
    // P2 = 0C (no response data) from mapping 2.0; 00 in mapping 1.0.
    QByteArray apdu = QByteArray::fromHex(version == 2 ? "00A4000C02" : "00A4000002");
    apdu += char(fileId >> 8);
    apdu += char(fileId & 0xFF);
    return apdu;
}

QByteArray readBinary(int offset, int le)
{
    QByteArray apdu = QByteArray::fromHex("00B0");
    apdu += char(offset >> 8);
    apdu += char(offset & 0xFF);
    apdu += char(le == 256 ? 0 : le);
    return apdu;
}

bool isReservedFileId(quint16 id)
{
    // T4T 2.0, NDEF File Control TLV: values a reader must not accept as the NDEF file identifier.
    return id == 0x0000 || id == 0xE102 || id == 0xE103 || id == 0x3F00 || id == 0x3FFF || id == 0xFFFF;
}

struct CapabilityContainer {
    int mappingMajor = 0;
    int maxResponse = 0; // MLe
    quint16 ndefFile = 0;
    int maxNdefSize = 0;
};

class Type4Reading
{
public:
    Type4Reading(PhoneRf &rf, const PhoneScript &script)
        : m_session(rf, script)
    {
    }
    PhoneResult run();

private:
    // Sends a command expecting 9000; returns the response data, nullopt on anything else.
    std::optional<QByteArray> expectSuccess(const QByteArray &apdu, const QString &what);
    bool selectApplication();
    std::optional<CapabilityContainer> readCapabilityContainer();
    std::optional<QByteArray> readMessage(const CapabilityContainer &cc);
    void misbehaveAfterMessage(const CapabilityContainer &cc);

    PhoneSession m_session;
    int m_version = 0;
};

std::optional<QByteArray> Type4Reading::expectSuccess(const QByteArray &apdu, const QString &what)
{
    const std::optional<QByteArray> response = m_session.exchange(apdu);
    if (!response)
        return std::nullopt;
    if (response->size() < 2) {
        m_session.fail(what + QStringLiteral(": the response has no status word"));
        return std::nullopt;
    }
    if (statusWord(*response) != 0x9000) {
        m_session.fail(what + QStringLiteral(" failed with SW ") + hex16(statusWord(*response)));
        return std::nullopt;
    }
    return response->left(response->size() - 2);
}

bool Type4Reading::selectApplication()
{
    const PhoneScript::NdefApplication wanted = m_session.script().application;
    if (wanted != PhoneScript::NdefApplication::V1) {
        const std::optional<QByteArray> response = m_session.exchange(selectByName(ndefApplicationV2, 2));
        if (!response)
            return false;
        if (response->size() >= 2 && statusWord(*response) == 0x9000) {
            m_version = 2;
            return true;
        }
        if (wanted == PhoneScript::NdefApplication::V2)
            return m_session.fail(QStringLiteral("the NDEF Tag Application (v2) was not found"));
    }
    if (!expectSuccess(selectByName(ndefApplicationV1, 1), QStringLiteral("selecting the NDEF Tag Application (v1)")))
        return false;
    m_version = 1;
    return true;
}

std::optional<CapabilityContainer> Type4Reading::readCapabilityContainer()
{
    if (!m_session.sendStrays(PhoneScript::Step::BeforeSelectCapabilityContainer))
        return std::nullopt;
    if (!expectSuccess(selectFile(capabilityContainerFile, m_version), QStringLiteral("selecting the CC file")))
        return std::nullopt;
    if (!m_session.sendStrays(PhoneScript::Step::BeforeReadCapabilityContainer))
        return std::nullopt;
    const std::optional<QByteArray> data = expectSuccess(readBinary(0, 15), QStringLiteral("reading the CC file"));
    if (!data)
        return std::nullopt;
    m_session.result().capabilityContainer = *data;
    const auto invalid = [this](const QString &why) {
        m_session.fail(QStringLiteral("invalid capability container: ") + why);
        return std::nullopt;
    };
    if (data->size() < 15)
        return invalid(QStringLiteral("%1 bytes instead of 15").arg(data->size()));
    CapabilityContainer cc;
    if (bigEndian16(*data, 0) < 15)
        return invalid(QStringLiteral("CCLEN below 000Fh"));
    cc.mappingMajor = quint8((*data)[2]) >> 4;
    // A reader must not go on with a mapping newer than the application it selected.
    if (cc.mappingMajor < 1 || cc.mappingMajor > m_version)
        return invalid(QStringLiteral("mapping version %1.%2 with application v%3")
                           .arg(cc.mappingMajor)
                           .arg(quint8((*data)[2]) & 0x0F)
                           .arg(m_version));
    cc.maxResponse = bigEndian16(*data, 3);
    if (cc.maxResponse < 0x000F)
        return invalid(QStringLiteral("MLe below 000Fh"));
    if (bigEndian16(*data, 5) < 0x0001)
        return invalid(QStringLiteral("MLc is 0"));
    if (quint8((*data)[7]) != 0x04 || quint8((*data)[8]) != 0x06)
        return invalid(QStringLiteral("no NDEF File Control TLV (T=04, L=06)"));
    cc.ndefFile = bigEndian16(*data, 9);
    if (isReservedFileId(cc.ndefFile))
        return invalid(QStringLiteral("reserved NDEF file identifier ") + hex16(cc.ndefFile));
    cc.maxNdefSize = bigEndian16(*data, 11);
    if (cc.maxNdefSize < 0x0005 || cc.maxNdefSize > 0xFFFE)
        return invalid(QStringLiteral("maximum NDEF file size %1").arg(cc.maxNdefSize));
    if (quint8((*data)[13]) != 0x00)
        return invalid(QStringLiteral("the NDEF file is not readable"));
    return cc;
}

std::optional<QByteArray> Type4Reading::readMessage(const CapabilityContainer &cc)
{
    if (!m_session.sendStrays(PhoneScript::Step::BeforeSelectNdefFile))
        return std::nullopt;
    if (!expectSuccess(selectFile(cc.ndefFile, m_version), QStringLiteral("selecting the NDEF file")))
        return std::nullopt;
    if (!m_session.sendStrays(PhoneScript::Step::BeforeReadLength))
        return std::nullopt;
    const std::optional<QByteArray> nlenData = expectSuccess(readBinary(0, 2), QStringLiteral("reading NLEN"));
    if (!nlenData)
        return std::nullopt;
    if (nlenData->size() != 2) {
        m_session.fail(QStringLiteral("NLEN read returned %1 bytes").arg(nlenData->size()));
        return std::nullopt;
    }
    const int length = bigEndian16(*nlenData, 0);
    if (length > cc.maxNdefSize - 2) {
        m_session.fail(QStringLiteral("NLEN %1 exceeds the NDEF file (%2 bytes)").arg(length).arg(cc.maxNdefSize));
        return std::nullopt;
    }
    if (!m_session.sendStrays(PhoneScript::Step::BeforeReadMessage))
        return std::nullopt;

    QByteArray message;
    int offset = 2;
    while (message.size() < length) {
        const int remaining = length - int(message.size());
        const int scriptedLe = m_session.script().readLe;
        const int le = scriptedLe > 0 ? std::min(scriptedLe, 256) : std::min({cc.maxResponse, remaining, 256});
        if (offset > 0x7FFF) {
            m_session.fail(QStringLiteral("offset %1 needs an ODO READ BINARY, which this phone does not do").arg(offset));
            return std::nullopt;
        }
        const std::optional<QByteArray> chunk = expectSuccess(readBinary(offset, le), QStringLiteral("reading the NDEF message"));
        if (!chunk)
            return std::nullopt;
        if (chunk->isEmpty() || chunk->size() > le) {
            m_session.fail(QStringLiteral("READ BINARY with Le %1 returned %2 bytes").arg(le).arg(chunk->size()));
            return std::nullopt;
        }
        message += chunk->left(remaining);
        offset += int(chunk->size());
    }
    return message;
}

void Type4Reading::misbehaveAfterMessage(const CapabilityContainer &cc)
{
    const PhoneScript &script = m_session.script();
    if (script.readPastEnd && !m_session.exchange(readBinary(std::min(cc.maxNdefSize, 0x7FFF), 16)))
        return;
    if (script.attemptUpdate) {
        // The first step of every NDEF write: NLEN = 0 (T4T 2.0 "NDEF Update Procedure").
        const std::optional<QByteArray> response = m_session.exchange(QByteArray::fromHex("00D60000020000"));
        if (response && response->size() >= 2 && statusWord(*response) == 0x9000)
            m_session.result().updateAccepted = true;
    }
}

PhoneResult Type4Reading::run()
{
    const PhoneScript &script = m_session.script();
    const std::optional<TypeAActivation> activation = m_session.rf().activateTypeA(script.ratsParameter, script.discoveryTimeout);
    if (!activation) {
        m_session.fail(QStringLiteral("no ISO-DEP tag answered within %1 ms").arg(script.discoveryTimeout.count()));
        m_session.leave(false);
        return m_session.result();
    }
    m_session.result().uid = activation->uid;
    m_session.result().activation = activation->ats;

    std::optional<QByteArray> message;
    std::optional<CapabilityContainer> cc;
    if (m_session.sendStrays(PhoneScript::Step::Start) && selectApplication()) {
        m_session.result().ndefApplicationVersion = m_version;
        cc = readCapabilityContainer();
        if (cc)
            message = readMessage(*cc);
    }
    if (message && m_session.sendStrays(PhoneScript::Step::AfterMessage))
        misbehaveAfterMessage(*cc);
    if (message)
        m_session.finishWithMessage(*message);
    m_session.leave(script.deselectAtEnd);
    return m_session.result();
}

} // namespace

PhoneResult readType4Tag(PhoneRf &rf, const PhoneScript &script)
{
    return Type4Reading(rf, script).run();
}

} // namespace poptap::pn532sim
