#pragma once

#include "chains.h"
#include "localday.h"
#include "productevent.h"
#include "servicedatabase.h"

#include <functional>

namespace poptap::delivery {

// Turns a stored product event into its recipients and multicast batches, in one transaction,
// so a crash leaves either nothing or everything (DESIGN.md: nothing lost, nothing twice).
//
// Recipients are the users with an active subscription for the event's brand or variant in
// its store (or in any of the chain's stores), one row per user in `delivery`:
//   queued      in batch `batch_no` (≤ kBatchSize users), sent by BatchSender
//   unfollowed  the user blocked the account after subscribing: skipped and counted
//   capped      over the chain's daily cap with policy "drop" (or deferred for too long)
//   deferred    over the cap with policy "defer": released on the next local day
// Each batch gets its X-Line-Retry-Key here, before anything is sent.
//
// On PostgreSQL several instances expand side by side: each claims its event with
// FOR UPDATE SKIP LOCKED, and one chain's events are expanded one at a time (an advisory
// lock), so two events cannot both slip under a shopper's cap.
class EventExpander
{
public:
    using Clock = std::function<qint64()>; // ms since epoch
    struct Stored {
        QString id;
        std::int64_t chainId = 0;
        ProductEvent event;
    };
    // The LINE messages (a JSON array) an event's recipients get; may store what it needs
    // (a tracked link) in the same transaction. Empty: the event cannot be worded.
    using MessageBuilder = std::function<QByteArray(const Stored &event, const Chains::Chain &chain)>;

    EventExpander(ServiceDatabase &db, const LocalDay &days, MessageBuilder messages, Clock now);

    enum class Step { Done, Nothing, Failed };
    // Expands the next chunk of the oldest event not yet expanded (a crash resumes after the
    // last committed chunk).
    Step expandNext(QString *error);
    // Releases the deferred recipients of one event whose day has come.
    Step releaseNextDeferred(QString *error);

    static constexpr int kBatchSize = 500;                    // LINE's multicast limit
    // Users per transaction: sending starts after the first chunk, SQLite's single writer is
    // never held for long, and BatchSender's claims (on the same thread) wait at most one chunk,
    // about 0.2 s. A chunk's last batch may be short: at most 2.5 % more multicasts.
    static constexpr int kChunkUsers = 20'000;
    static constexpr qint64 kDeferredAtMostMs = 72 * 3600 * 1000; // older news is dropped, not sent late

private:
    Step inTransaction(const std::function<Step(QString *)> &work, QString *error);
    bool lockChain(std::int64_t chainId, QString *error);
    bool queueBatches(const QString &eventId, const Chains::Chain &chain, int firstBatch, qint64 now, QString *error);
    bool setDeferredUntil(const QString &eventId, qint64 now, QString *error);
    QString skipLocked() const;

    ServiceDatabase &m_db;
    const LocalDay &m_days;
    MessageBuilder m_messages;
    Clock m_now;
    Chains m_chains;
};

} // namespace poptap::delivery
