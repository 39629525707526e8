// Heartbeats are read by the service from every kiosk and shown to staff and fleet monitoring.
#include "wire/heartbeatwire.h"

#include <cstdint>
#include <cstdlib>

using namespace poptap::wire;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray json(reinterpret_cast<const char *>(data), qsizetype(size));
    const auto heartbeat = Heartbeat::fromJson(json);
    if (heartbeat.ok() == !heartbeat.errors.isEmpty() || heartbeat.ok() != (heartbeat.failure == WireFailure::None)
        || heartbeat.errors.size() > 51)
        std::abort();
    if (!heartbeat.ok())
        return 0;
    const Heartbeat &h = *heartbeat.value;
    if (h.recentErrors.size() > Heartbeat::kMaxRecentErrors || h.counters.size() > Heartbeat::kMaxCounters
        || h.uptimeSeconds < 0 || h.queueDepth < 0 || (h.queueDepth == 0 && h.oldestPendingSeconds != 0))
        std::abort();
    const auto again = Heartbeat::fromJson(h.toJson());
    if (!again.ok() || *again.value != h)
        std::abort();
    return 0;
}
