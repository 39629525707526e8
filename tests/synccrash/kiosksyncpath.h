#pragma once
// The kiosk's sync path without its UI, for the crash child and the sync benchmarks: the data
// directory opened as KioskApp opens it (lock, device key, RegistrationService with the outbox
// on its own thread, KioskConfig's outbox settings and the demo catalog's link) and a
// SyncEngine attached to the outbox, nudged by every committed intent.

#include "registrationservice.h"
#include "syncengine.h"

#include <QList>
#include <QLockFile>
#include <QString>

#include <memory>

namespace synctesting {

// Settings for a kiosk that syncs with a test service: quick retries and timeouts, so a run
// that lost its connection recovers within a few 100 ms instead of the kiosk's seconds.
poptap::sync::SyncSettings quickSyncSettings(const QUrl &service, const QString &dataDir, const QString &enrollmentCode,
                                             const QString &deviceName);

class KioskSyncPath
{
public:
    KioskSyncPath();
    ~KioskSyncPath();
    KioskSyncPath(const KioskSyncPath &) = delete;
    KioskSyncPath &operator=(const KioskSyncPath &) = delete;

    // Opens `dataDir` and builds the engine on the outbox thread, without starting it
    // (connect to engine() first, then startSync()). Empty, or what went wrong.
    QString open(const QString &dataDir, const poptap::sync::SyncSettings &settings);
    void startSync();

    poptap::RegistrationService &registrations() { return *m_registrations; }
    // Lives on the outbox thread: connect to it queued, call it with invokeMethod.
    poptap::sync::SyncEngine *engine() const { return m_engine; }
    // Brands a shopper can pick (the demo catalog's visible ones).
    const QList<std::uint32_t> &brandIds() const { return m_brandIds; }

private:
    std::unique_ptr<QLockFile> m_lock;
    std::unique_ptr<poptap::RegistrationService> m_registrations;
    poptap::sync::SyncEngine *m_engine = nullptr;
    QList<std::uint32_t> m_brandIds;
};

} // namespace synctesting
