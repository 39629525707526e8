#pragma once

#include <QRandomGenerator>

#include <chrono>
#include <functional>
#include <optional>

namespace poptap::sync {

// When to try again after a failure: "full jitter" exponential backoff (a uniformly random
// wait between 0 and min(cap, base · 2^failures)), so a thousand kiosks coming back after
// the same outage spread out instead of arriving together. A server's Retry-After is a floor.
// Delays are durations for a monotonic timer: wall-clock jumps neither stall nor storm.
class Backoff
{
public:
    using Duration = std::chrono::milliseconds;
    // Returns a uniformly random value in [0, bound]; replaceable for tests.
    using Random = std::function<qint64(qint64 bound)>;

    Backoff(Duration base, Duration cap, Random random = systemRandom());

    // The wait after one more failure.
    Duration nextDelay(std::optional<Duration> retryAfter = std::nullopt);
    void reset() { m_failures = 0; }
    int failures() const { return m_failures; }

    static Random systemRandom();

private:
    Duration m_base;
    Duration m_cap;
    Random m_random;
    int m_failures = 0;
};

} // namespace poptap::sync
