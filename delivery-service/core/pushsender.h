#pragma once

#include "lineclient.h"
#include "servicedatabase.h"

#include <QDateTime>
#include <QObject>
#include <QSet>
#include <QTimer>

#include <functional>

namespace poptap::delivery {

// Sends what ClaimService (and later the fan-out) queued in push_outbox. Each push
// keeps its X-Line-Retry-Key for every attempt: 5xx, 429 and timeouts are retried with
// full-jitter backoff, 409 means LINE already accepted it, other 4xx are recorded and
// not retried. A short lease lets several service instances share the outbox.
class PushSender : public QObject
{
    Q_OBJECT
public:
    using Clock = std::function<QDateTime()>;
    PushSender(ServiceDatabase &db, LineClient &line, Clock now, QObject *parent = nullptr);
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
    void send(const QString &retryKey, const QByteArray &body, int attempts);
    void finish(const QString &retryKey, int attempts, const LineClient::Push &result);
    void scheduleNext();

    ServiceDatabase &m_db;
    LineClient &m_line;
    Clock m_now;
    QTimer m_timer;
    QSet<QString> m_inFlight;
};

} // namespace poptap::delivery
