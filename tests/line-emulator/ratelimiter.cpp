#include "ratelimiter.h"

namespace poptap::lineemu {

namespace {
constexpr qint64 kWindowMs = 1000;
}

void SlidingWindowLimiter::setLimit(int perSecond)
{
    m_limit = qMax(0, perSecond);
    m_admitted.clear();
}

bool SlidingWindowLimiter::tryAdmit(qint64 nowMs)
{
    if (m_limit == 0)
        return true;
    while (!m_admitted.empty() && m_admitted.front() <= nowMs - kWindowMs)
        m_admitted.pop_front();
    if (m_admitted.size() >= std::size_t(m_limit))
        return false;
    m_admitted.push_back(nowMs);
    return true;
}

} // namespace poptap::lineemu
