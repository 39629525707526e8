#include "backoff.h"

#include <algorithm>

namespace poptap::sync {

Backoff::Backoff(Duration base, Duration cap, Random random)
    : m_base(base)
    , m_cap(cap)
    , m_random(std::move(random))
{
}

Backoff::Duration Backoff::nextDelay(std::optional<Duration> retryAfter)
{
    // base · 2^failures, computed without overflow: stop doubling once over the cap.
    qint64 ceiling = m_base.count();
    for (int i = 0; i < m_failures && ceiling < m_cap.count(); ++i)
        ceiling *= 2;
    ceiling = std::min(ceiling, qint64(m_cap.count()));
    ++m_failures;
    const Duration jittered(m_random(ceiling));
    return retryAfter ? std::max(jittered, *retryAfter) : jittered;
}

Backoff::Random Backoff::systemRandom()
{
    return [](qint64 bound) { return bound <= 0 ? 0 : qint64(QRandomGenerator::global()->bounded(quint64(bound) + 1)); };
}

} // namespace poptap::sync
