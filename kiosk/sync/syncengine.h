#pragma once

#include "backoff.h"
#include "healthreport.h"
#include "kioskapiclient.h"
#include "syncsettings.h"
#include "syncstatus.h"

#include "catalog.h"

#include <QElapsedTimer>
#include <QObject>
#include <QTimer>

#include <memory>

namespace poptap {
class DeviceKey;
class OutboxStore;
}

namespace poptap::sync {

// Keeps the delivery service up to date with this kiosk, on the outbox thread (it shares the
// outbox's single writer connection): enrolls once with a code, uploads pending intents in
// batches under stored Idempotency-Keys, refreshes the catalog with its ETag and sends
// heartbeats. Every wait is a QTimer (monotonic clock), so a wall-clock jump neither stalls
// nor storms it; failures back off with full jitter and honour Retry-After.
class SyncEngine : public QObject
{
    Q_OBJECT
public:
    SyncEngine(OutboxStore &outbox, DeviceKey &key, SyncSettings settings, QObject *parent = nullptr);
    ~SyncEngine() override;

    SyncStatus status() const { return m_status; }

public Q_SLOTS:
    void start();
    // A new intent is on disk: upload it soon, unless a backoff is running.
    void nudge();
    // Staff asked: upload, check the catalog and report now, backoff or not.
    void syncNow();
    // A code typed or scanned by staff: enroll with it (also after "re-enrollment needed").
    void enrollWith(const QString &code);
    // Health for the next heartbeat, from the GUI thread.
    void setReaderHealth(int componentStatus, const QString &reason); // wire::ComponentStatus
    // componentStatus < 0: this kiosk has no camera (none in the heartbeat).
    void setCameraHealth(int componentStatus, const QString &reason);
    void setCounter(const QString &name, qint64 value);
    void reportError(const QString &message);

Q_SIGNALS:
    void statusChanged(const poptap::sync::SyncStatus &status);
    // A valid catalog for this store, newer than the one the kiosk has. The kiosk applies it
    // between shopper sessions.
    void catalogReceived(const poptap::Catalog &catalog, const QByteArray &etag);

private:
    enum class Work { Upload, Catalog, Enroll }; // a failed heartbeat waits for the next period

    void enroll();
    void onEnrolled(const KioskApiClient::Answer &answer, const std::optional<wire::EnrollmentResponse> &enrolled);
    void beginSyncing();
    void upload();
    void onUploaded(const QByteArray &key, const KioskApiClient::Answer &answer,
                    const std::optional<wire::RegistrationBatchResponse> &results);
    void refreshCatalog();
    void onCatalog(const KioskApiClient::Answer &answer, const QByteArray &body, const QByteArray &etag);
    void sendHeartbeat();
    // A heartbeat or catalog check got through, or did not: with nothing to upload these are
    // the only signs of whether the service can be reached.
    void noteContact(const AnswerClass &outcome);

    // Stops all work and moves the identity aside: the service no longer knows this device.
    void needReenrollment(const QString &reason);
    // Waits (backoff, Retry-After as a floor) before trying `work` again.
    void retryLater(Work work, const AnswerClass &answer);
    void fail(const QString &what, const QString &reason);
    void publish(SyncStatus::State state, const QString &detail = {});
    void refreshBacklog();
    QDateTime now() const { return m_settings.now(); }

    OutboxStore &m_outbox;
    DeviceKey &m_key;
    SyncSettings m_settings;
    std::unique_ptr<http::HttpTransport> m_transport;
    std::unique_ptr<KioskApiClient> m_client;
    std::optional<EnrolledIdentity> m_identity;
    QString m_enrollmentCode;
    HealthReport m_health;
    QElapsedTimer m_uptime;

    Backoff m_uploadBackoff;
    Backoff m_enrollBackoff;
    Backoff m_catalogBackoff;
    bool m_uploading = false;      // a batch is in flight
    bool m_uploadBackingOff = false; // a backoff runs: nudges wait for it
    bool m_unreachable = false;      // the last request of any kind got no usable answer
    // Answers belong to the identity that asked: one arriving after re-enrollment is dropped.
    int m_generation = 0;
    bool m_catalogInFlight = false;
    bool m_heartbeatInFlight = false;
    bool m_enrolling = false;
    QTimer m_uploadTimer;          // single shot: next upload attempt (backoff or poll)
    QTimer m_enrollTimer;
    QTimer m_catalogTimer;
    QTimer m_heartbeatTimer;
    QByteArray m_catalogETag;
    SyncStatus m_status;
};

} // namespace poptap::sync
