#pragma once

#include <QDateTime>
#include <QJsonObject>
#include <QMetaType>
#include <QString>

#include <optional>

namespace poptap::sync {

// What staff (the on-screen indicator), the automation interface and the log see of the
// kiosk's link to the delivery service. A plain value, sent across threads by queued signals.
struct SyncStatus {
    enum class State {
        Off,                // no service configured: the kiosk works alone
        NotEnrolled,        // waiting for an enrollment code
        Enrolling,
        EnrollmentRefused,  // the code was refused; a new one is needed (detail says why)
        Syncing,            // uploading, or about to
        Synced,             // the service holds every intent
        Retrying,           // the last attempt failed; trying again after a backoff (detail says why)
        ReenrollmentNeeded, // the service no longer accepts this device; syncing stopped
    };

    State state = State::Off;
    QString detail;                    // the last failure or refusal, for staff; empty when all is well
    qint64 unsynced = 0;               // intents the service does not hold yet
    std::optional<QDateTime> oldestUnsynced;
    qint64 dead = 0;                   // refused for good; listed for support
    std::optional<QDateTime> lastSuccess; // wall time of the last answer that settled something
    qint64 clockOffsetSeconds = 0;     // the service's clock minus ours
    QString deviceId;

    // True where staff should act (a new code, re-enrollment) rather than wait.
    bool needsStaff() const;
    QJsonObject toJson() const;
    bool operator==(const SyncStatus &) const = default;
};

QString stateName(SyncStatus::State state); // "synced", "retrying", ... (stable; used in automation)

} // namespace poptap::sync

Q_DECLARE_METATYPE(poptap::sync::SyncStatus)
