#include "heartbeatcounters.h"

#include <QVariant>

#include <algorithm>

namespace poptap::delivery {
namespace {

// Within this of each other two start times are one run: uptime is in whole seconds and a
// request spends a while on the network.
constexpr qint64 kSameStartMs = 60 * 1000;

qint64 startOf(const wire::Heartbeat &beat, qint64 receivedMs)
{
    return receivedMs - beat.uptimeSeconds * 1000;
}

} // namespace

CounterGrowth counterGrowth(const std::optional<StoredHeartbeat> &previous, const wire::Heartbeat &beat,
                            qint64 receivedMs)
{
    CounterGrowth growth;
    bool sameRun = false;
    if (previous) {
        // A restart moves the start on by about the old run's uptime; network delays by far less.
        const qint64 moved = startOf(beat, receivedMs) - startOf(previous->beat, previous->receivedMs);
        sameRun = moved <= std::max(kSameStartMs, previous->beat.uptimeSeconds * 1000 / 2);
        if (sameRun && beat.uptimeSeconds < previous->beat.uptimeSeconds) {
            growth.stale = true;
            return growth;
        }
    }
    for (const QString &name : kDailyCounters) {
        const qint64 now = beat.counters.value(name);
        const qint64 before = sameRun ? previous->beat.counters.value(name) : 0;
        const qint64 grew = now >= before ? now - before : now; // gone down: a run we did not see start
        if (grew > 0)
            growth.increases.insert(name, grew);
    }
    return growth;
}

bool recordCounterGrowth(QSqlQuery &q, const QString &deviceId, const CounterGrowth &growth, qint64 receivedMs)
{
    const qint64 slot = receivedMs - receivedMs % kCounterSlotMs;
    for (auto it = growth.increases.cbegin(); it != growth.increases.cend(); ++it) {
        q.prepare(QStringLiteral("INSERT INTO device_counter (device_id, counter, slot_start, increase) VALUES (?, ?, ?, ?)"
                                 " ON CONFLICT (device_id, counter, slot_start)"
                                 " DO UPDATE SET increase = device_counter.increase + excluded.increase"));
        q.addBindValue(deviceId);
        q.addBindValue(it.key());
        q.addBindValue(slot);
        q.addBindValue(it.value());
        if (!q.exec())
            return false;
    }
    return true;
}

} // namespace poptap::delivery
