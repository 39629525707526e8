#pragma once
// Shared by the sync suites and benchmarks: the real delivery service on loopback (in
// process, SQLite in a temporary directory, the demo store set up as an operator would),
// and a kiosk's outbox and device key in a data directory exactly as the kiosk keeps them.

#include "devicekey.h"
#include "outboxstore.h"
#include "syncengine.h"

#include <QSet>
#include <QUrl>

#include <memory>

namespace poptap::delivery {
class DeliveryServer;
}

namespace synctesting {

class ServiceUnderTest
{
public:
    ServiceUnderTest();
    ~ServiceUnderTest();
    // A fresh database in `dir`; returns an empty string or what went wrong.
    QString start(const QString &dir);
    void stop();

    QUrl url() const;
    quint16 port() const;
    poptap::delivery::DeliveryServer &server() { return *m_server; }

    QString newEnrollmentCode(int validHours = 24);
    QString revoke(const QString &deviceId);
    // What the service holds: intent ids in its registration table, and how many rows.
    QSet<QString> registeredIntentIds() const;
    qint64 registrationCount() const;
    // Devices ever enrolled (revoked ones included).
    qint64 deviceCount() const;

private:
    std::unique_ptr<poptap::delivery::DeliveryServer> m_server;
};

// A kiosk's data directory: the device key and the outbox, opened as the kiosk opens them.
class KioskUnderTest
{
public:
    QString open(const QString &dataDir); // empty or what went wrong
    void close();
    poptap::OutboxStore &outbox() { return *m_outbox; }
    poptap::DeviceKey &key() { return m_key; }
    QString dataDir() const { return m_dataDir; }

    // Commits `count` brand-interest intents (targets cycling through the demo catalog's
    // brands) signed with the current key; returns their intent ids.
    QStringList commitIntents(int count);
    // Intent ids in the outbox by state.
    QSet<QString> intentIds(poptap::OutboxState state) const;

    // Settings for an engine syncing this kiosk with `service` (fast retries for tests).
    poptap::sync::SyncSettings settingsFor(const QUrl &service, const QString &enrollmentCode) const;

private:
    QString m_dataDir;
    poptap::DeviceKey m_key;
    std::unique_ptr<poptap::OutboxStore> m_outbox;
};

} // namespace synctesting
