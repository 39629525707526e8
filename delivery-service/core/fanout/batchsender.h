#pragma once

#include "lineclient.h"
#include "localday.h"
#include "sendratelimiter.h"
#include "servicedatabase.h"

#include <QHash>
#include <QObject>
#include <QTimer>

#include <functional>

namespace poptap::delivery {

// Sends the batches EventExpander queued: a multicast per batch (a push for a batch of one),
// each at a slot the shared SendRateLimiter gave it, each with its stored X-Line-Retry-Key.
//
// - A batch is leased (delivery_batch.lease_until) by the instance that sends it; on
//   PostgreSQL instances claim with FOR UPDATE SKIP LOCKED, so no batch goes out twice at once.
// - 200 or 409 (LINE accepted that key before): sent. The batch's restock requests are
//   fulfilled and its recipients counted in message_usage, in the same transaction.
// - No answer, 5xx: retried with the same key after full-jitter backoff; 429 also slows the
//   limiter. Other 4xx: failed, with LINE's reason.
// - A key is only valid for 24 h at LINE: a batch still unsent then is failed rather than
//   resent under a new key, which could reach someone twice.
// - A crash leaves leases that expire; the batch is resent under its key, which LINE
//   answers with 409 if the first request got through.
class BatchSender : public QObject
{
    Q_OBJECT
public:
    using Clock = std::function<qint64()>; // ms since epoch
    BatchSender(ServiceDatabase &db, LineClient &line, SendRateLimiter &limiter, const LocalDay &days, Clock now,
                QObject *parent = nullptr);
    ~BatchSender() override;

    // Claims what is due and sends it at its slots; called again by itself while work remains.
    void kick();
    int inFlight() const { return m_inFlight.size(); }

    static constexpr qint64 kLeaseMs = 15'000; // > a second waiting for a slot + LINE's 10 s timeout
    static constexpr qint64 kBaseBackoffMs = 1'000;
    static constexpr qint64 kMaxBackoffMs = 300'000;
    static constexpr qint64 kRetryKeyLifetimeMs = 23 * 3600 * 1000; // LINE keeps keys 24 h; an hour to spare
    static constexpr int kMaxAttempts = 12;
    static constexpr qint64 kIdlePollMs = 1'000; // other instances' events and retries coming due
    // Well inside SendRateLimiter's allowance, which also has to cover the network.
    static constexpr qint64 kLateAtMostUs = 15'000;

Q_SIGNALS:
    // A batch reached a final state: "sent" or "failed".
    void batchFinished(const QString &eventId, int batchNo, const QString &state, int recipients);

private:
    struct Batch {
        QString eventId;
        int batchNo = 0;
        QString retryKey;
        int recipients = 0;
        int attempts = 0;
        qint64 createdAt = 0;
    };
    struct EventInfo {
        QByteArray messages;
        std::int64_t chainId = 0;
        int kind = 0;
        qint64 target = 0;
        std::optional<qint64> storeId;
    };
    struct Result {
        Batch batch;
        LineClient::Push answer;
    };

    QList<Batch> claim(int count);
    const EventInfo *eventInfo(const QString &eventId);
    void sendAt(const Batch &batch, qint64 slotUs);
    void send(const Batch &batch);
    void finishAll();
    bool finish(const Result &result);
    void scheduleFlush();
    QString skipLocked() const;

    ServiceDatabase &m_db;
    LineClient &m_line;
    SendRateLimiter &m_limiter;
    const LocalDay &m_days;
    Clock m_now;
    QTimer m_poll;
    QTimer m_flush;
    QHash<QString, Batch> m_inFlight; // by retry key: claimed, not yet finished
    QList<Result> m_results;          // answered, not yet recorded
    QHash<QString, EventInfo> m_events;
};

} // namespace poptap::delivery
