#include "libnfctesting.h"

#include <QNdefMessage>
#include <QNdefNfcUriRecord>
#include <QtDebug>

#include <algorithm>

namespace pn532simtesting {

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

} // namespace pn532simtesting
