#pragma once

#include "deeplink.h"
#include "devicekey.h"
#include "outboxstore.h"

#include <QDateTime>
#include <QObject>
#include <QThread>

#include <functional>
#include <memory>

namespace poptap {

// What the shopper gets to scan or tap: durable before it exists.
struct Registration {
    TokenClaims claims;
    QString token;
    QString link;   // fully encoded, exactly what the QR code and NFC tag carry
};

class OutboxWorker;

// Creates registration intents off the GUI thread: the outbox lives on its own
// thread with its single writer connection, and a result is only signalled once the
// intent is committed to disk.
class RegistrationService : public QObject
{
    Q_OBJECT
public:
    using Clock = std::function<QDateTime()>;
    struct Setup {
        QString outboxPath;
        qint64 outboxMaxBytes = 0;
        int retentionDays = 30;
        DeviceKey key;
        int tokenTtlHours = 24;
        DeepLinkTemplate linkTemplate;
        DeepLinkTemplate::Parameters linkParameters; // liffId, basicId, messageText; token is filled in
        Clock clock;                                 // wall clock for records; UTC
    };

    explicit RegistrationService(QObject *parent = nullptr);
    ~RegistrationService() override;

    // Opens the outbox (quick_check, quarantine, migrations) on the worker thread and
    // waits for it: called once at start-up, before the first frame.
    SqliteDatabase::OpenResult start(const Setup &setup);

    // Returns a request id; exactly one of registered()/registrationFailed() follows.
    int requestBrandInterest(std::uint32_t brandId);
    // A restock request for a product variant in this store (kind Restock, target the variant id).
    int requestRestock(std::uint32_t variantId);

    // A new catalog can change the LIFF id or the link template: links made from now on use these.
    void setLink(const DeepLinkTemplate &linkTemplate, const DeepLinkTemplate::Parameters &parameters);

    // Something else that needs the outbox's single writer connection and the device key (the
    // sync engine) is built by `make` on the outbox thread, lives there, and is destroyed there
    // before the outbox closes. Returns it for connecting signals (queued). After start().
    using Companion = std::function<std::unique_ptr<QObject>(OutboxStore &, DeviceKey &)>;
    QObject *attachToOutbox(const Companion &make);

Q_SIGNALS:
    void registered(int requestId, const poptap::Registration &registration);
    void registrationFailed(int requestId, const QString &reason, bool storageFull);

private:
    int request(RegistrationKind kind, std::uint32_t target);

    QThread m_thread;
    OutboxWorker *m_worker = nullptr;
    int m_nextRequestId = 1;
};

} // namespace poptap

Q_DECLARE_METATYPE(poptap::Registration)
