#pragma once

#include <QtGlobal>

#include <deque>

namespace poptap::lineemu {

// LINE's per-endpoint limits ("2,000 requests per second") as a sliding one-second window
// over admitted requests. Refused requests do not count, so a client that backs off gets
// through as soon as the window has room.
class SlidingWindowLimiter
{
public:
    explicit SlidingWindowLimiter(int perSecond = 0) : m_limit(perSecond) {}

    int limit() const { return m_limit; } // 0 = unlimited
    void setLimit(int perSecond);
    bool tryAdmit(qint64 nowMs);
    void clear() { m_admitted.clear(); }

private:
    int m_limit = 0;
    std::deque<qint64> m_admitted;
};

} // namespace poptap::lineemu
