#include "sendratelimiter.h"

#include "deliverylogging.h"

#include <QSqlError>
#include <QTimer>
#include <QSqlQuery>
#include <QVariant>

#include <cmath>

namespace poptap::delivery {
namespace {

QString nameOf(SendRateLimiter::Endpoint endpoint)
{
    return endpoint == SendRateLimiter::Endpoint::Push ? QStringLiteral("push") : QStringLiteral("multicast");
}

qint64 slotWidthUs(int perSecond)
{
    return qint64(std::ceil(1'000'000.0 / perSecond * (1.0 + SendRateLimiter::kArrivalAllowance)));
}

} // namespace

SendRateLimiter::SendRateLimiter(ServiceDatabase &db, int pushPerSecond, int multicastPerSecond, Clock nowUs)
    : m_db(db)
    , m_nowUs(std::move(nowUs))
    , m_pushIntervalUs(slotWidthUs(pushPerSecond))
    , m_multicastIntervalUs(slotWidthUs(multicastPerSecond))
{
}

qint64 SendRateLimiter::intervalUs(Endpoint endpoint) const
{
    const bool push = endpoint == Endpoint::Push;
    const qint64 base = push ? m_pushIntervalUs : m_multicastIntervalUs;
    return m_nowUs() < (push ? m_pushSlowUntilUs : m_multicastSlowUntilUs) ? 2 * base : base;
}

void SendRateLimiter::slowDown(Endpoint endpoint)
{
    qCWarning(lcFanOut).noquote() << "LINE answered 429 to" << nameOf(endpoint) << "- sending at half the rate for"
                                  << kSlowDownUs / 1'000'000 << "s";
    (endpoint == Endpoint::Push ? m_pushSlowUntilUs : m_multicastSlowUntilUs) = m_nowUs() + kSlowDownUs;
}

std::optional<SendRateLimiter::Slots> SendRateLimiter::reserve(Endpoint endpoint, int count, qint64 leadUs)
{
    const qint64 interval = intervalUs(endpoint);
    const qint64 now = m_nowUs() + leadUs;
    QSqlQuery q(m_db.handle());
    // The timeline never lags behind now: idle time is not saved up for a burst.
    q.prepare(QStringLiteral("INSERT INTO rate_slot (endpoint, next_slot_us) VALUES (?, ?)"
                             " ON CONFLICT (endpoint) DO UPDATE SET next_slot_us ="
                             " CASE WHEN rate_slot.next_slot_us > ? THEN rate_slot.next_slot_us ELSE ? END + ?"
                             " RETURNING next_slot_us"));
    q.addBindValue(nameOf(endpoint));
    q.addBindValue(now + qint64(count) * interval);
    q.addBindValue(now);
    q.addBindValue(now);
    q.addBindValue(qint64(count) * interval);
    if (!q.exec() || !q.next()) {
        qCWarning(lcFanOut).noquote() << "cannot reserve send slots:" << q.lastError().text();
        return std::nullopt;
    }
    return Slots{q.value(0).toLongLong() - qint64(count) * interval, interval};
}

void atSlot(QObject *context, qint64 slotUs, const SendRateLimiter::Clock &nowUs, std::function<void(bool onTime)> then)
{
    const qint64 waitUs = slotUs - nowUs();
    // Rounded up: a request goes at its slot or after it, never before.
    const int waitMs = waitUs <= 0 ? 0 : int((waitUs + 999) / 1000);
    QTimer::singleShot(waitMs, Qt::PreciseTimer, context, [slotUs, nowUs, then = std::move(then)] {
        then(nowUs() - slotUs <= SendRateLimiter::kLateAtMostUs);
    });
}

} // namespace poptap::delivery
