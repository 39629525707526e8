#pragma once

// libnfc on the test's side of the pty: ownership wrappers and two minimal tag responders
// that serve an NDEF message through libnfc's target API, the way an emulating host does.

#include <QByteArray>
#include <QList>
#include <QString>
#include <QUrl>

#include <nfc/nfc.h>

#include <atomic>
#include <chrono>
#include <memory>
#include <mutex>
#include <thread>

namespace pn532simtesting {

struct NfcContextDeleter {
    void operator()(nfc_context *context) const { nfc_exit(context); }
};
struct NfcDeviceDeleter {
    void operator()(nfc_device *device) const { nfc_close(device); }
};
using NfcContextPtr = std::unique_ptr<nfc_context, NfcContextDeleter>;
using NfcDevicePtr = std::unique_ptr<nfc_device, NfcDeviceDeleter>;

NfcDevicePtr openDevice(nfc_context *context, const QString &connstring);

// A one-record NDEF message with `uri`, encoded by Qt NFC.
QByteArray uriMessage(const QUrl &uri);

// Runs a target-mode loop on `device` in its own thread until stop(): nfc_target_init,
// then receive/answer until libnfc reports an error (the phone left), then again.
class Responder
{
public:
    virtual ~Responder();
    void start();
    // Aborts the blocking libnfc call (nfc_abort_command) and joins; false if the loop
    // did not end within `timeout`.
    bool stop(std::chrono::milliseconds timeout = std::chrono::seconds(3));

    int sessions() const { return m_sessions.load(); }
    QList<int> sessionEnds() const;       // libnfc's error code that ended each session
    QList<QByteArray> commandsSeen() const; // every C-APDU / FeliCa frame received

protected:
    explicit Responder(nfc_device *device)
        : m_device(device)
    {
    }
    virtual nfc_target target() const = 0;
    virtual QByteArray respond(const QByteArray &command) = 0;
    virtual void newSession() = 0;

private:
    void run();
    void record(const QByteArray &command);

    nfc_device *m_device;
    std::thread m_thread;
    std::atomic<bool> m_stop{false};
    std::atomic<bool> m_finished{false};
    std::atomic<int> m_sessions{0};
    mutable std::mutex m_mutex;
    QList<int> m_ends;
    QList<QByteArray> m_seen;
};

// The smallest read-only NFC Forum Type 4 tag: both NDEF application versions, CC and
// NDEF file, bounds-checked READ BINARY, UPDATE BINARY refused.
class Type4Responder final : public Responder
{
public:
    Type4Responder(nfc_device *device, const QByteArray &ndefMessage, int maxResponse = 0xFF);
    ~Type4Responder() override { stop(); }

protected:
    nfc_target target() const override;
    QByteArray respond(const QByteArray &command) override;
    void newSession() override;

private:
    enum class File { None, CapabilityContainer, Ndef };
    QByteArray m_cc;
    QByteArray m_ndefFile;
    bool m_applicationSelected = false;
    File m_file = File::None;
};

// The smallest read-only NFC Forum Type 3 tag: Check of service 000B, writes refused.
class Type3Responder final : public Responder
{
public:
    Type3Responder(nfc_device *device, const QByteArray &ndefMessage);
    ~Type3Responder() override { stop(); }

    static QByteArray idm() { return QByteArray::fromHex("02FE000102030405"); }

protected:
    nfc_target target() const override;
    QByteArray respond(const QByteArray &command) override;
    void newSession() override {}

private:
    QByteArray m_blocks; // attribute information block, then the message padded to blocks
};

} // namespace pn532simtesting
