#pragma once

#include "lineclient.h"
#include "localday.h"
#include "sendratelimiter.h"
#include "servicedatabase.h"

#include <QHash>
#include <QList>
#include <QString>

#include <functional>
#include <optional>

namespace poptap::delivery {

// The database half of sending fan-out batches, run on a thread of its own by BatchSender so
// that a write waiting for SQLite's lock (the expander holds it for a chunk) never delays a
// request past its slot.
//
// - claim(): leases due batches (delivery_batch.lease_until; FOR UPDATE SKIP LOCKED on
//   PostgreSQL, so instances never take the same batch), reads their recipients, builds each
//   request body and reserves its send slot on the shared SendRateLimiter timeline.
// - record(): keeps LINE's answers and writes them together, one transaction per round:
//   200 or 409 (LINE accepted that key before) → sent; the batch's restock requests are
//   fulfilled and its recipients counted in message_usage, in the same transaction. No answer
//   or 5xx → retried with the same key after full-jitter backoff (429 also slows the limiter).
//   Other 4xx → failed, with LINE's reason.
// - A key is only valid for 24 h at LINE: a batch still unsent then is failed rather than
//   resent under a new key, which could reach someone twice.
class BatchStore
{
public:
    using Clock = std::function<qint64()>; // ms since epoch

    struct Batch {
        QString eventId;
        int batchNo = 0;
        QString retryKey;
        int recipients = 0;
        int attempts = 0;
        qint64 createdAt = 0;
        bool isPush() const { return recipients == 1; }
        SendRateLimiter::Endpoint endpoint() const
        {
            return isPush() ? SendRateLimiter::Endpoint::Push : SendRateLimiter::Endpoint::Multicast;
        }
    };
    // A claimed batch, ready to go at its slot.
    struct Ready {
        Batch batch;
        QByteArray body; // the push or multicast request
        qint64 slotUs = 0;
    };
    struct Result {
        Batch batch;
        LineClient::Push answer; // httpStatus -1: refused here, never sent
    };
    // A batch whose answer was handled; `final` when it is recorded as sent or failed for good
    // (an answer not recorded is not final: its lease runs out and it is resent under its key).
    struct Recorded {
        Batch batch;
        bool final = false;
        bool delivered = false;
    };

    BatchStore(ServiceDatabase &db, SendRateLimiter &limiter, const LocalDay &days, Clock now);

    // Leases up to `count` due batches and gives them slots no earlier than `leadUs` from now.
    // Batches that cannot be sent (no messages, key too old) come back as results in `refused`.
    QList<Ready> claim(int count, qint64 leadUs, QList<Result> *refused);
    // A new slot for a request that could not go at its own; nullopt without the database.
    std::optional<qint64> reslot(SendRateLimiter::Endpoint endpoint);
    // Writes the answers in one transaction. Answers not written keep their lease, which runs
    // out, and the batch is resent under its key.
    QList<Recorded> record(const QList<Result> &results);
    // Gives leased batches back at once (shutdown): a resend under the same key is harmless.
    void release(const QStringList &retryKeys);

    static constexpr qint64 kLeaseMs = 20'000; // > two seconds of claimed slots + LINE's 10 s timeout
    static constexpr qint64 kBaseBackoffMs = 1'000;
    static constexpr qint64 kMaxBackoffMs = 300'000;
    static constexpr qint64 kRetryKeyLifetimeMs = 23 * 3600 * 1000; // LINE keeps keys 24 h; an hour to spare
    static constexpr int kMaxAttempts = 12;

private:
    struct EventInfo {
        QByteArray messages; // the JSON array, as stored
        std::int64_t chainId = 0;
        int kind = 0;
        qint64 target = 0;
        std::optional<qint64> storeId;
    };

    enum class Written { No, Retried, Sent, Failed };

    QList<Batch> lease(int count);
    const EventInfo *eventInfo(const QString &eventId);
    QByteArray requestBody(const Batch &batch, const EventInfo &info, QString *error);
    Written write(const Result &result);
    bool recordSent(const Batch &batch, const LineClient::Push &answer, int attempts, qint64 now);

    ServiceDatabase &m_db;
    SendRateLimiter &m_limiter;
    const LocalDay &m_days;
    Clock m_now;
    QHash<QString, EventInfo> m_events;
};

} // namespace poptap::delivery
