#pragma once

#include "wirecommon.h"

#include <QMap>

#include <optional>

namespace poptap::wire {

// Health of one peripheral as the kiosk reports it. Transient states of the driver
// (serving, reading, writing) all report as Ok.
enum class ComponentStatus {
    Ok,       // present and working
    Absent,   // configured but not found (unplugged)
    Error,    // present but failing
    Disabled, // switched off in the configuration
};

struct ComponentHealth {
    static constexpr int kMaxReasonLength = 200;

    ComponentStatus status = ComponentStatus::Ok;
    QString reason; // optional; empty means absent on the wire

    bool operator==(const ComponentHealth &) const = default;
};

struct RecentError {
    static constexpr int kMaxMessageLength = 500;

    QDateTime at;     // UTC, whole seconds
    QString message;  // no control characters, no secrets
    bool operator==(const RecentError &) const = default;
};

// POST /v1/heartbeats body (answered 204). Every number is a JSON-safe non-negative integer.
struct Heartbeat {
    static constexpr int kMaxRecentErrors = 20;
    static constexpr int kMaxCounters = 64;

    QString version;              // kiosk software version
    qint64 uptimeSeconds = 0;
    qint64 queueDepth = 0;        // outbox intents not yet acknowledged
    qint64 oldestPendingSeconds = 0; // age of the oldest of them; 0 when the queue is empty
    ComponentHealth reader;
    std::optional<ComponentHealth> camera; // absent on kiosks without a camera
    QMap<QString, qint64> counters; // ^[a-z][A-Za-z0-9]{0,63}$ -> count since start, e.g. "registrations"
    QList<RecentError> recentErrors; // newest first, at most kMaxRecentErrors

    // Adds an error from the kiosk's own log: control characters become spaces, the text is cut
    // to the limit, and the oldest entries are dropped beyond kMaxRecentErrors.
    void addRecentError(const QDateTime &at, const QString &message);

    QByteArray toJson() const;
    static WireResult<Heartbeat> fromJson(const QByteArray &json);
    bool operator==(const Heartbeat &) const = default;
};

QString componentStatusName(ComponentStatus status);

} // namespace poptap::wire
