#include "libnfctesting.h"

#include <QNdefMessage>
#include <QNdefNfcUriRecord>
#include <QtDebug>

#include <algorithm>

namespace pn532simtesting {

namespace {

QByteArray statusWord(quint16 sw)
{
    return QByteArray(1, char(sw >> 8)) + char(sw & 0xFF);
}

} // namespace

NfcDevicePtr openDevice(nfc_context *context, const QString &connstring)
{
    return NfcDevicePtr(nfc_open(context, connstring.toLocal8Bit().constData()));
}

QByteArray uriMessage(const QUrl &uri)
{
    QNdefNfcUriRecord record;
    record.setUri(uri);
    return QNdefMessage(record).toByteArray();
}

Responder::~Responder()
{
    stop();
}

void Responder::start()
{
    m_stop = false;
    m_finished = false;
    m_thread = std::thread([this] { run(); });
}

bool Responder::stop(std::chrono::milliseconds timeout)
{
    if (!m_thread.joinable())
        return true;
    m_stop = true;
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    bool inTime = true;
    // libnfc's abort only reaches a call blocked in uart_receive; one that is between
    // calls misses it, so keep asking until the loop is out.
    while (!m_finished) {
        nfc_abort_command(m_device);
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
        if (inTime && std::chrono::steady_clock::now() > deadline) {
            qWarning() << "the responder did not stop in time";
            inTime = false;
        }
    }
    m_thread.join();
    return inTime;
}

QList<int> Responder::sessionEnds() const
{
    std::lock_guard lock(m_mutex);
    return m_ends;
}

QList<QByteArray> Responder::commandsSeen() const
{
    std::lock_guard lock(m_mutex);
    return m_seen;
}

void Responder::record(const QByteArray &command)
{
    std::lock_guard lock(m_mutex);
    m_seen.append(command);
}

void Responder::run()
{
    uint8_t rx[300];
    while (!m_stop) {
        nfc_target emulated = target();
        int res = nfc_target_init(m_device, &emulated, rx, sizeof rx, 0);
        if (res < 0) {
            std::lock_guard lock(m_mutex);
            m_ends.append(res);
            if (!m_stop)
                std::this_thread::sleep_for(std::chrono::milliseconds(20));
            continue;
        }
        ++m_sessions;
        newSession();
        // With ISO-DEP the chip answered RATS itself (res == 0); FeliCa hands over the
        // first command.
        QByteArray command(reinterpret_cast<const char *>(rx), res);
        for (;;) {
            if (command.isEmpty()) {
                res = nfc_target_receive_bytes(m_device, rx, sizeof rx, 0);
                if (res < 0)
                    break;
                command = QByteArray(reinterpret_cast<const char *>(rx), res);
                if (command.isEmpty())
                    continue;
            }
            record(command);
            const QByteArray response = respond(command);
            command.clear();
            if (response.isEmpty())
                continue; // stay silent, as a card does on garbage
            res = nfc_target_send_bytes(m_device, reinterpret_cast<const uint8_t *>(response.constData()),
                                        size_t(response.size()), 0);
            if (res < 0)
                break;
        }
        std::lock_guard lock(m_mutex);
        m_ends.append(res);
    }
    m_finished = true;
}

Type4Responder::Type4Responder(nfc_device *device, const QByteArray &ndefMessage, int maxResponse)
    : Responder(device)
{
    m_ndefFile = statusWord(quint16(ndefMessage.size())) + ndefMessage;
    const int maxFileSize = std::max<int>(int(m_ndefFile.size()), 0x0400);
    // CCLEN, mapping version, MLe, MLc, NDEF File Control TLV (E104, size, read 00, write FF).
    m_cc = QByteArray::fromHex("000F20") + statusWord(quint16(maxResponse)) + QByteArray::fromHex("00FF0406E104")
         + statusWord(quint16(maxFileSize)) + QByteArray::fromHex("00FF");
}

nfc_target Type4Responder::target() const
{
    nfc_target emulated = {};
    emulated.nm.nmt = NMT_ISO14443A;
    emulated.nm.nbr = NBR_UNDEFINED;
    emulated.nti.nai.abtAtqa[0] = 0x00;
    emulated.nti.nai.abtAtqa[1] = 0x04;
    const uint8_t uid[] = {0x08, 0x12, 0x34, 0x56}; // the PN532 fixes the first byte to 08h
    std::copy(std::begin(uid), std::end(uid), emulated.nti.nai.abtUid);
    emulated.nti.nai.szUidLen = 4;
    emulated.nti.nai.btSak = 0x20;
    const uint8_t ats[] = {0x75, 0x33, 0x92, 0x03};
    std::copy(std::begin(ats), std::end(ats), emulated.nti.nai.abtAts);
    emulated.nti.nai.szAtsLen = 4;
    return emulated;
}

void Type4Responder::newSession()
{
    m_applicationSelected = false;
    m_file = File::None;
}

QByteArray Type4Responder::respond(const QByteArray &c)
{
    if (c.size() < 4)
        return statusWord(0x6700);
    if (c[0] != 0x00)
        return statusWord(0x6E00);
    const quint8 ins = quint8(c[1]);
    const quint8 p1 = quint8(c[2]);
    const quint8 p2 = quint8(c[3]);
    if (ins == 0xA4) {
        if (c.size() < 5 || c.size() < 5 + quint8(c[4]))
            return statusWord(0x6700);
        const QByteArray data = c.mid(5, quint8(c[4]));
        if (p1 == 0x04 && p2 == 0x00) {
            const bool v2 = data == QByteArray::fromHex("D2760000850101");
            if (!v2 && data != QByteArray::fromHex("D2760000850100"))
                return statusWord(0x6A82);
            m_applicationSelected = true;
            m_file = File::None;
            m_cc[2] = char(v2 ? 0x20 : 0x10);
            return statusWord(0x9000);
        }
        if (p1 != 0x00 || (p2 != 0x0C && p2 != 0x00))
            return statusWord(0x6A86);
        if (!m_applicationSelected || data.size() != 2)
            return statusWord(0x6A82);
        if (data == QByteArray::fromHex("E103"))
            m_file = File::CapabilityContainer;
        else if (data == QByteArray::fromHex("E104"))
            m_file = File::Ndef;
        else
            return statusWord(0x6A82);
        return statusWord(0x9000);
    }
    if (ins == 0xB0) {
        if (m_file == File::None)
            return statusWord(0x6986);
        if (c.size() > 5)
            return statusWord(0x6700);
        const int offset = (p1 << 8) | p2;
        const int le = c.size() == 5 && c[4] != 0 ? quint8(c[4]) : 256;
        const QByteArray &content = m_file == File::Ndef ? m_ndefFile : m_cc;
        if (offset >= content.size())
            return statusWord(0x6B00);
        return content.mid(offset, le) + statusWord(0x9000);
    }
    if (ins == 0xD6)
        return statusWord(0x6982); // the served tag is read-only
    return statusWord(0x6D00);
}

Type3Responder::Type3Responder(nfc_device *device, const QByteArray &ndefMessage)
    : Responder(device)
{
    const int dataBlocks = std::max<int>(1, int((ndefMessage.size() + 15) / 16));
    // T3T 1.0 attribute information block: Ver 1.0, Nbr 4, Nbw 1, Nmaxb, RFU, WriteF 00, RW 00 (read-only), Ln, checksum.
    QByteArray attribute = QByteArray::fromHex("100401") + statusWord(quint16(dataBlocks)) + QByteArray(4, '\0')
                         + QByteArray::fromHex("0000");
    attribute += char(ndefMessage.size() >> 16);
    attribute += char(ndefMessage.size() >> 8);
    attribute += char(ndefMessage.size());
    int sum = 0;
    for (char byte : attribute)
        sum += quint8(byte);
    attribute += statusWord(quint16(sum));
    m_blocks = attribute + ndefMessage.leftJustified(dataBlocks * 16, '\0');
}

nfc_target Type3Responder::target() const
{
    nfc_target emulated = {};
    emulated.nm.nmt = NMT_FELICA;
    emulated.nm.nbr = NBR_212;
    const QByteArray id = idm();
    std::copy(id.begin(), id.end(), emulated.nti.nfi.abtId);
    const QByteArray pmm = QByteArray::fromHex("00F0000002060300");
    std::copy(pmm.begin(), pmm.end(), emulated.nti.nfi.abtPad);
    emulated.nti.nfi.abtSysCode[0] = 0x12;
    emulated.nti.nfi.abtSysCode[1] = 0xFC;
    return emulated;
}

QByteArray Type3Responder::respond(const QByteArray &frame)
{
    // LEN, code, IDm(8), ...
    if (frame.size() < 14 || quint8(frame[0]) != frame.size() || frame.mid(2, 8) != idm())
        return {};
    const quint8 code = quint8(frame[1]);
    const auto reply = [](quint8 responseCode, const QByteArray &body) {
        QByteArray r = char(responseCode) + idm() + body;
        return char(r.size() + 1) + r;
    };
    if (code == 0x08)
        return reply(0x09, QByteArray::fromHex("01A8")); // read-only: refused
    if (code != 0x06 || frame[10] != 0x01 || frame.mid(11, 2) != QByteArray::fromHex("0B00"))
        return {};
    const int count = quint8(frame[13]);
    QByteArray data;
    int position = 14;
    for (int i = 0; i < count; ++i) {
        if (position + 2 > frame.size() || !(quint8(frame[position]) & 0x80))
            return reply(0x07, QByteArray::fromHex("01A2")); // only 2-byte block list elements
        const int block = quint8(frame[position + 1]);
        position += 2;
        if ((block + 1) * 16 > m_blocks.size())
            return reply(0x07, QByteArray::fromHex("01A8"));
        data += m_blocks.mid(block * 16, 16);
    }
    return reply(0x07, QByteArray::fromHex("0000") + char(count) + data);
}

} // namespace pn532simtesting
