#pragma once

#include "lineclient.h"
#include "localday.h"
#include "sendratelimiter.h"
#include "serviceconfig.h"
#include "servicedatabase.h"

#include <QDateTime>
#include <QObject>
#include <QSet>
#include <QTimer>

#include <functional>

namespace poptap::delivery {

// Sends the confirmations ClaimService queued in push_outbox. Each push keeps its
// X-Line-Retry-Key for every attempt: 5xx, 429 and timeouts are retried with full-jitter
// backoff, 409 means LINE already accepted it, other 4xx are recorded and not retried. A short
// lease lets several service instances share the outbox.
//
// Pushes go at slots of the push timeline the fan-out's pushes use too (SendRateLimiter: LINE's
// limit is per channel), and a sent push counts for its store's chain in message_usage, as LINE
// bills it.
class PushSender : public QObject
{
    Q_OBJECT
public:
    using Clock = std::function<QDateTime()>;
    // config: push-per-second and the time zone of message_usage's months.
    PushSender(ServiceDatabase &db, LineClient &line, const ServiceConfig &config, Clock now, QObject *parent = nullptr);
    // Releases the leases of pushes still in flight, so the next instance resends them at
    // once: the retry key makes a resend of an accepted push a harmless 409.
    ~PushSender() override;

    // Sends everything due now and schedules the next attempt.
    void kick();

    static constexpr qint64 kLeaseMs = 60'000;
    static constexpr qint64 kBaseBackoffMs = 1'000;
    static constexpr qint64 kMaxBackoffMs = 600'000;
    static constexpr int kMaxAttempts = 12;

Q_SIGNALS:
    // A push reached a final state: "sent" or "failed".
    void pushFinished(const QString &retryKey, const QString &state);

private:
    struct Due {
        QString key;
        QByteArray body;
        int attempts = 0;
    };
    void sendAt(const Due &push, qint64 slotUs);
    void send(const Due &push);
    void finish(const QString &retryKey, int attempts, const LineClient::Push &result);
    bool recordSent(const QString &retryKey, int attempts, int httpStatus, qint64 now);
    qint64 nowUs() const { return m_now().toMSecsSinceEpoch() * 1000; }
    void scheduleNext();

    ServiceDatabase &m_db;
    LineClient &m_line;
    Clock m_now;
    SendRateLimiter m_limiter;
    LocalDay m_days;
    QTimer m_timer;
    QSet<QString> m_inFlight;
};

} // namespace poptap::delivery
