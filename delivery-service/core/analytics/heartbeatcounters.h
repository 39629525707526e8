#pragma once

#include "wire/heartbeatwire.h"

#include <QMap>
#include <QSqlQuery>

#include <optional>

namespace poptap::delivery {

// A heartbeat's counters count since the kiosk started; analytics wants them per day. So each
// heartbeat's growth over the one stored before it is added to the 15-minute UTC slot it
// arrived in (table device_counter): every time zone's days begin on such a slot.
//
// A kiosk that restarted (its start, received time minus uptime, moved on by more than a minute
// and by more than half the stored uptime) or whose counter went down counts from zero again:
// reads between its last heartbeat and the restart are lost. A heartbeat older than the stored
// one of the same run (a late resend) is stale and changes nothing.
inline constexpr qint64 kCounterSlotMs = 15 * 60 * 1000;
// The counters analytics reports; the others stay in the stored heartbeat only.
inline const QStringList kDailyCounters{QStringLiteral("phoneReads")};

struct StoredHeartbeat {
    wire::Heartbeat beat;
    qint64 receivedMs = 0;
};

struct CounterGrowth {
    bool stale = false;
    QMap<QString, qint64> increases; // counters of kDailyCounters that grew, by how much
};

CounterGrowth counterGrowth(const std::optional<StoredHeartbeat> &previous, const wire::Heartbeat &beat,
                            qint64 receivedMs);

// Adds the growth to the slot of `receivedMs`, within the caller's transaction. False on a
// database error (then `q` says which).
bool recordCounterGrowth(QSqlQuery &q, const QString &deviceId, const CounterGrowth &growth, qint64 receivedMs);

} // namespace poptap::delivery
