#pragma once

// libnfc on the test's side of the pty: ownership wrappers and two tag responders that
// serve an NDEF message through libnfc's target API, the way an emulating host does, with
// the kiosk's own tag implementations (poptap-nfc-tags) answering the commands.

#include "type3tag.h"
#include "type4tag.h"

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

// A read-only NFC Forum Type 4 tag (poptap::nfc::Type4Tag) as an ISO/IEC 14443-4 target.
class Type4Responder final : public Responder
{
public:
    Type4Responder(nfc_device *device, const QByteArray &ndefMessage)
        : Responder(device)
        , m_tag(ndefMessage)
    {
    }
    ~Type4Responder() override { stop(); }

protected:
    nfc_target target() const override;
    QByteArray respond(const QByteArray &command) override { return m_tag.respond(command); }
    void newSession() override { m_tag.reset(); }

private:
    poptap::nfc::Type4Tag m_tag;
};

// A read-only NFC Forum Type 3 tag (poptap::nfc::Type3Tag) as a FeliCa target.
class Type3Responder final : public Responder
{
public:
    Type3Responder(nfc_device *device, const QByteArray &ndefMessage)
        : Responder(device)
        , m_tag(ndefMessage, idm())
    {
    }
    ~Type3Responder() override { stop(); }

    static QByteArray idm() { return QByteArray::fromHex("02FE000102030405"); }

protected:
    nfc_target target() const override;
    QByteArray respond(const QByteArray &command) override { return m_tag.respond(command); }
    void newSession() override { m_tag.reset(); }

private:
    poptap::nfc::Type3Tag m_tag;
};

} // namespace pn532simtesting
