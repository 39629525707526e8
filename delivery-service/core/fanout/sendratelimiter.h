#pragma once

#include "servicedatabase.h"

#include <QObject>

#include <functional>
#include <optional>

namespace poptap::delivery {

// Keeps the service under LINE's per-channel limits (DESIGN.md: multicast 200 req/s, push
// 2,000 req/s) across every instance on one database. Each endpoint has one timeline of send
// slots in table rate_slot; an instance reserves a run of consecutive slots in one statement
// and sends each request no earlier than its slot. Slots are a little wider than 1/limit, so
// that requests that reach LINE a few milliseconds late still never make a full window.
class SendRateLimiter
{
public:
    enum class Endpoint { Push, Multicast };
    using Clock = std::function<qint64()>; // µs since epoch, the same on every instance (NTP)

    SendRateLimiter(ServiceDatabase &db, int pushPerSecond, int multicastPerSecond, Clock nowUs);

    struct Slots {
        qint64 firstUs = 0;    // the first request may go at this time
        qint64 intervalUs = 0; // the next ones this much later each
    };
    // Reserves `count` slots, the first no earlier than `leadUs` from now (time for the caller
    // to hand them to whoever sends); nullopt when the database could not be asked.
    std::optional<Slots> reserve(Endpoint endpoint, int count, qint64 leadUs = 0);
    // LINE answered 429: this instance reserves slots twice as wide for a while.
    void slowDown(Endpoint endpoint);

    qint64 intervalUs(Endpoint endpoint) const;
    // 5 % wider slots: a request may reach LINE up to 50 ms later than the one after it (network,
    // a busy host) and a one-second window still never holds more than the limit.
    static constexpr double kArrivalAllowance = 0.05;
    // A request sent later than this after its slot (its host was busy) would land among later
    // slots' requests and could make a full window at LINE: it takes a new slot instead.
    // Well inside the allowance, which also has to cover the network.
    static constexpr qint64 kLateAtMostUs = 15'000;
    static constexpr qint64 kSlowDownUs = 10'000'000;

private:
    ServiceDatabase &m_db;
    Clock m_nowUs;
    qint64 m_pushIntervalUs;
    qint64 m_multicastIntervalUs;
    qint64 m_pushSlowUntilUs = 0;
    qint64 m_multicastSlowUntilUs = 0;
};

// Calls `then` on `context`'s thread at `slotUs` or after it, never before: with true, or with
// false when that was more than SendRateLimiter::kLateAtMostUs after it (the caller takes a
// new slot). Not at all if `context` is destroyed first.
void atSlot(QObject *context, qint64 slotUs, const SendRateLimiter::Clock &nowUs, std::function<void(bool onTime)> then);

} // namespace poptap::delivery
