#include "eventexpander.h"

#include "deliverylogging.h"
#include "registrationtoken.h"

#include <QSqlError>
#include <QSqlQuery>
#include <QUuid>
#include <QVariant>

namespace poptap::delivery {
namespace {

// Any fixed number: with the chain id it names the lock that serialises one chain's caps.
constexpr int kChainLockSpace = 0x506f70;

bool run(QSqlQuery &q, QString *error)
{
    if (q.exec())
        return true;
    *error = q.lastError().text();
    return false;
}

} // namespace

EventExpander::EventExpander(ServiceDatabase &db, const LocalDay &days, MessageBuilder messages, Clock now)
    : m_db(db)
    , m_days(days)
    , m_messages(std::move(messages))
    , m_now(std::move(now))
    , m_chains(db)
{
}

QString EventExpander::skipLocked() const
{
    // SQLite has one writer at a time and no row locks; PostgreSQL instances skip each
    // other's rows instead of queueing behind them.
    return m_db.kind() == ServiceDatabase::Kind::Postgres ? QStringLiteral(" FOR UPDATE SKIP LOCKED") : QString();
}

EventExpander::Step EventExpander::inTransaction(const std::function<Step(QString *)> &work, QString *error)
{
    QSqlDatabase db = m_db.handle();
    // On SQLite the write lock is taken up front: a transaction that first reads and then
    // writes fails at once (SQLITE_BUSY_SNAPSHOT) if another connection wrote in between.
    QSqlQuery begin(db);
    const bool begun = m_db.kind() == ServiceDatabase::Kind::Sqlite ? begin.exec(QStringLiteral("BEGIN IMMEDIATE"))
                                                                     : db.transaction();
    if (!begun) {
        *error = m_db.kind() == ServiceDatabase::Kind::Sqlite ? begin.lastError().text() : db.lastError().text();
        return Step::Failed;
    }
    const Step step = work(error);
    if (step != Step::Done) {
        db.rollback();
        return step;
    }
    if (!db.commit()) {
        *error = db.lastError().text();
        db.rollback();
        return Step::Failed;
    }
    return Step::Done;
}

bool EventExpander::lockChain(std::int64_t chainId, QString *error)
{
    if (m_db.kind() != ServiceDatabase::Kind::Postgres)
        return true;
    QSqlQuery q(m_db.handle());
    q.prepare(QStringLiteral("SELECT pg_advisory_xact_lock(%1, ?)").arg(kChainLockSpace));
    q.addBindValue(int(chainId));
    return run(q, error);
}

EventExpander::Step EventExpander::expandNext(QString *error)
{
    return inTransaction(
        [this](QString *err) {
            QSqlQuery next(m_db.handle());
            next.prepare(QStringLiteral("SELECT id, chain_id, body, messages, expanded_through FROM product_event"
                                        " WHERE state = 'received' ORDER BY received_at LIMIT 1")
                         + skipLocked());
            if (!run(next, err))
                return Step::Failed;
            if (!next.next())
                return Step::Nothing;
            Stored stored;
            stored.id = next.value(0).toString();
            stored.chainId = next.value(1).toLongLong();
            const ProductEventParse parsed = parseProductEvent(next.value(2).toString().toUtf8());
            QByteArray messages = next.value(3).toString().toUtf8();
            // The last user of the chunks done so far; never NULL, which compares as unknown.
            QString through = next.value(4).toString();
            if (through.isNull())
                through = QStringLiteral("");
            next.finish();
            const std::optional<Chains::Chain> chain = m_chains.byId(stored.chainId);
            if (!parsed.event || !chain) {
                *err = QStringLiteral("event %1 cannot be read back: %2").arg(stored.id, parsed.errors.join(QStringLiteral("; ")));
                return Step::Failed;
            }
            stored.event = *parsed.event;
            if (!lockChain(chain->id, err))
                return Step::Failed;
            if (messages.isEmpty()) { // the first chunk words the event, once for all its recipients
                messages = m_messages(stored, *chain);
                if (messages.isEmpty()) {
                    *err = QStringLiteral("event %1: no message could be built").arg(stored.id);
                    return Step::Failed;
                }
            }
            const qint64 now = m_now();
            QSqlQuery first(m_db.handle());
            first.prepare(QStringLiteral("SELECT COALESCE(MAX(batch_no) + 1, 0) FROM delivery WHERE event_id = ?"));
            first.addBindValue(stored.id);
            if (!run(first, err) || !first.next())
                return Step::Failed;
            const int firstBatch = first.value(0).toInt();
            first.finish();

            const bool restock = stored.event.kind == ProductEvent::Kind::Restock;
            // A shopper still to be told by an earlier restock of this variant in this store
            // (its batch not sent yet, or deferred) is left to that one: the request is
            // fulfilled when the first message goes, and "it is back" is said once.
            const QString toldElsewhere = restock && stored.event.storeId
                ? QStringLiteral(" AND NOT EXISTS (SELECT 1 FROM product_event e JOIN delivery d ON d.event_id = e.id"
                                 "  AND d.user_id = s.user_id WHERE e.kind = %1 AND e.target = %2 AND e.store_id = %3"
                                 "  AND e.id <> ? AND (d.state = 'deferred' OR (d.state = 'queued' AND EXISTS (SELECT 1"
                                 "   FROM delivery_batch b WHERE b.event_id = d.event_id AND b.batch_no = d.batch_no"
                                 "   AND b.state = 'pending'))))")
                      .arg(int(ProductEvent::Kind::Restock))
                      .arg(stored.event.target)
                      .arg(*stored.event.storeId)
                : QString();
            const QString stores = stored.event.storeId
                ? QStringLiteral("s.store_id = %1").arg(*stored.event.storeId)
                : QStringLiteral("s.store_id IN (SELECT id FROM store WHERE chain_id = %1)").arg(chain->id);
            // One row per user (a user may follow the brand in several stores), the next
            // kChunkUsers users after the last chunk. Friend status is known once LINE told us of
            // a follow or unfollow; a user we never heard about followed before subscribing.
            QSqlQuery recipients(m_db.handle());
            // Friend and cap are looked up per user by primary key: a join would be planned from
            // statistics that lag behind tables the previous chunk just filled.
            recipients.prepare(QStringLiteral(
                "INSERT INTO delivery (event_id, user_id, state, batch_no)"
                " SELECT ?, user_id, state,"
                "  CASE WHEN state = 'queued' THEN ? + (row_number() OVER (PARTITION BY state ORDER BY user_id) - 1) / %1 END"
                " FROM (SELECT g.user_id AS user_id,"
                "  CASE WHEN EXISTS (SELECT 1 FROM line_user u WHERE u.user_id = g.user_id AND u.is_friend = 0"
                "     AND u.friend_changed_at > 0) THEN 'unfollowed'"
                "   WHEN ? > 0 AND COALESCE((SELECT c.messages FROM user_daily_count c WHERE c.chain_id = ? AND c.day = ?"
                "     AND c.user_id = g.user_id), 0) >= ? THEN ?"
                "   ELSE 'queued' END AS state"
                "  FROM (SELECT DISTINCT s.user_id FROM subscription s"
                "   WHERE s.status = 'active' AND s.kind = ? AND s.target = ? AND %2 AND s.user_id > ?%4"
                "   ORDER BY s.user_id LIMIT %3) g) r")
                                   .arg(kBatchSize)
                                   .arg(stores)
                                   .arg(kChunkUsers)
                                   .arg(toldElsewhere));
            recipients.addBindValue(stored.id);
            recipients.addBindValue(firstBatch);
            recipients.addBindValue(chain->dailyCap);
            recipients.addBindValue(qint64(chain->id));
            recipients.addBindValue(m_days.day(now));
            recipients.addBindValue(chain->dailyCap);
            recipients.addBindValue(chain->capPolicy == Chains::CapPolicy::Drop ? QStringLiteral("capped")
                                                                                 : QStringLiteral("deferred"));
            recipients.addBindValue(restock ? int(RegistrationKind::Restock) : int(RegistrationKind::BrandInterest));
            recipients.addBindValue(qint64(stored.event.target));
            recipients.addBindValue(through);
            if (!toldElsewhere.isEmpty())
                recipients.addBindValue(stored.id);
            if (!run(recipients, err))
                return Step::Failed;
            const int added = recipients.numRowsAffected();

            QSqlQuery last(m_db.handle());
            last.prepare(QStringLiteral("SELECT MAX(user_id), SUM(CASE WHEN state = 'deferred' THEN 1 ELSE 0 END)"
                                        " FROM delivery WHERE event_id = ? AND user_id > ?"));
            last.addBindValue(stored.id);
            last.addBindValue(through);
            if (!run(last, err) || !last.next())
                return Step::Failed;
            const QString newThrough = last.value(0).isNull() ? through : last.value(0).toString();
            const bool deferredAny = last.value(1).toLongLong() > 0;
            last.finish();

            // A short chunk was the last one: the event is expanded.
            const bool complete = added < kChunkUsers;
            QSqlQuery progress(m_db.handle());
            progress.prepare(QStringLiteral("UPDATE product_event SET state = ?, messages = ?, expanded_through = ?,"
                                            " expanded_at = ?, deferred_until = CASE WHEN ? = 1 THEN CAST(? AS BIGINT)"
                                            " ELSE deferred_until END WHERE id = ?"));
            progress.addBindValue(complete ? QStringLiteral("expanded") : QStringLiteral("received"));
            progress.addBindValue(QString::fromUtf8(messages));
            progress.addBindValue(newThrough);
            progress.addBindValue(complete ? QVariant(m_now()) : QVariant(QMetaType::fromType<qint64>()));
            progress.addBindValue(deferredAny ? 1 : 0);
            progress.addBindValue(m_days.nextDayStart(now));
            progress.addBindValue(stored.id);
            if (!run(progress, err) || !queueBatches(stored.id, *chain, firstBatch, now, err))
                return Step::Failed;
            return Step::Done;
        },
        error);
}

EventExpander::Step EventExpander::releaseNextDeferred(QString *error)
{
    return inTransaction(
        [this](QString *err) {
            const qint64 now = m_now();
            QSqlQuery next(m_db.handle());
            next.prepare(QStringLiteral("SELECT id, chain_id, received_at FROM product_event WHERE deferred_until <= ?"
                                        " ORDER BY deferred_until LIMIT 1")
                         + skipLocked());
            next.addBindValue(now);
            if (!run(next, err))
                return Step::Failed;
            if (!next.next())
                return Step::Nothing;
            const QString eventId = next.value(0).toString();
            const std::optional<Chains::Chain> chain = m_chains.byId(next.value(1).toLongLong());
            const bool stale = now - next.value(2).toLongLong() > kDeferredAtMostMs;
            next.finish();
            if (!chain) {
                *err = QStringLiteral("event %1 has no chain").arg(eventId);
                return Step::Failed;
            }
            if (!lockChain(chain->id, err))
                return Step::Failed;
            QSqlQuery first(m_db.handle());
            first.prepare(QStringLiteral("SELECT COALESCE(MAX(batch_no) + 1, 0) FROM delivery WHERE event_id = ?"));
            first.addBindValue(eventId);
            if (!run(first, err) || !first.next())
                return Step::Failed;
            const int firstBatch = first.value(0).toInt();
            first.finish();
            // News too old by now is dropped, not sent late. Otherwise today's count decides
            // again: a user still over it waits another day.
            QSqlQuery release(m_db.handle());
            release.prepare(QStringLiteral(
                "UPDATE delivery SET state = CASE WHEN ? = 1 THEN 'capped' WHEN ? > 0 AND COALESCE((SELECT c.messages"
                "  FROM user_daily_count c WHERE c.chain_id = ? AND c.day = ? AND c.user_id = delivery.user_id), 0) >= ?"
                "  THEN 'deferred' ELSE 'queued' END"
                " WHERE event_id = ? AND state = 'deferred'"));
            release.addBindValue(stale ? 1 : 0);
            release.addBindValue(chain->dailyCap);
            release.addBindValue(qint64(chain->id));
            release.addBindValue(m_days.day(now));
            release.addBindValue(chain->dailyCap);
            release.addBindValue(eventId);
            if (!run(release, err))
                return Step::Failed;
            QSqlQuery number(m_db.handle());
            number.prepare(QStringLiteral(
                "UPDATE delivery SET batch_no = x.n FROM (SELECT user_id, ? + (row_number() OVER (ORDER BY user_id) - 1) / %1 AS n"
                "  FROM delivery WHERE event_id = ? AND state = 'queued' AND batch_no IS NULL) AS x"
                " WHERE delivery.event_id = ? AND delivery.user_id = x.user_id").arg(kBatchSize));
            number.addBindValue(firstBatch);
            number.addBindValue(eventId);
            number.addBindValue(eventId);
            if (!run(number, err) || !queueBatches(eventId, *chain, firstBatch, now, err)
                || !setDeferredUntil(eventId, now, err))
                return Step::Failed;
            return Step::Done;
        },
        error);
}

bool EventExpander::queueBatches(const QString &eventId, const Chains::Chain &chain, int firstBatch, qint64 now,
                                 QString *error)
{
    if (chain.dailyCap > 0) {
        QSqlQuery count(m_db.handle());
        count.prepare(QStringLiteral(
            "INSERT INTO user_daily_count (chain_id, day, user_id, messages)"
            " SELECT ?, ?, user_id, 1 FROM delivery WHERE event_id = ? AND state = 'queued' AND batch_no >= ?"
            " ON CONFLICT (chain_id, day, user_id) DO UPDATE SET messages = user_daily_count.messages + 1"));
        count.addBindValue(qint64(chain.id));
        count.addBindValue(m_days.day(now));
        count.addBindValue(eventId);
        count.addBindValue(firstBatch);
        if (!run(count, error))
            return false;
    }
    QSqlQuery sizes(m_db.handle());
    sizes.prepare(QStringLiteral("SELECT batch_no, COUNT(*) FROM delivery WHERE event_id = ? AND batch_no >= ?"
                                 " GROUP BY batch_no ORDER BY batch_no"));
    sizes.addBindValue(eventId);
    sizes.addBindValue(firstBatch);
    if (!run(sizes, error))
        return false;
    QList<std::pair<int, int>> batches;
    while (sizes.next())
        batches.append({sizes.value(0).toInt(), sizes.value(1).toInt()});
    sizes.finish();
    QSqlQuery batch(m_db.handle());
    batch.prepare(QStringLiteral("INSERT INTO delivery_batch (event_id, batch_no, retry_key, recipients, state,"
                                 " next_attempt_at, created_at) VALUES (?, ?, ?, ?, 'pending', ?, ?)"));
    for (const auto &[number, recipients] : std::as_const(batches)) {
        batch.addBindValue(eventId);
        batch.addBindValue(number);
        batch.addBindValue(QUuid::createUuid().toString(QUuid::WithoutBraces));
        batch.addBindValue(recipients);
        batch.addBindValue(now);
        batch.addBindValue(now);
        if (!run(batch, error))
            return false;
    }
    if (!batches.isEmpty())
        qCInfo(lcFanOut).noquote() << "event" << eventId << "queued" << batches.size() << "batches";
    return true;
}

bool EventExpander::setDeferredUntil(const QString &eventId, qint64 now, QString *error)
{
    QSqlQuery q(m_db.handle());
    q.prepare(QStringLiteral("UPDATE product_event SET deferred_until = CASE WHEN EXISTS (SELECT 1 FROM delivery"
                             " WHERE event_id = ? AND state = 'deferred') THEN CAST(? AS BIGINT) END WHERE id = ?"));
    q.addBindValue(eventId);
    q.addBindValue(m_days.nextDayStart(now));
    q.addBindValue(eventId);
    return run(q, error);
}

} // namespace poptap::delivery
