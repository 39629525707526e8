#include "batchstore.h"

#include "deliverylogging.h"
#include "messageusage.h"
#include "registrationtoken.h"
#include "retrydelay.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSqlError>
#include <QSqlQuery>
#include <QSysInfo>
#include <QVariant>

namespace poptap::delivery {
namespace {

constexpr qsizetype kEventCacheSize = 1000;

// Which instance sent a batch, for operators reading delivery_batch.
QString instanceName()
{
    static const QString name =
        QStringLiteral("%1:%2").arg(QSysInfo::machineHostName()).arg(QCoreApplication::applicationPid());
    return name;
}

} // namespace

BatchStore::BatchStore(ServiceDatabase &db, SendRateLimiter &limiter, const LocalDay &days, Clock now)
    : m_db(db)
    , m_limiter(limiter)
    , m_days(days)
    , m_now(std::move(now))
{
}

QList<BatchStore::Ready> BatchStore::claim(int count, qint64 leadUs, QList<Result> *refused)
{
    QList<Ready> pushes;
    QList<Ready> multicasts;
    for (const Batch &batch : lease(count)) {
        Result refusal{batch, {}};
        const EventInfo *info = eventInfo(batch.eventId);
        if (!info || info->messages.isEmpty())
            refusal.answer.error = QStringLiteral("event %1 has no messages").arg(batch.eventId);
        else if (m_now() - batch.createdAt > kRetryKeyLifetimeMs)
            refusal.answer.error = QStringLiteral("not sent within the 24 h LINE keeps its retry key");
        if (!refusal.answer.error.isEmpty()) {
            refusal.answer.httpStatus = -1; // final: recorded as failed
            refused->append(refusal);
            continue;
        }
        QString error;
        const QByteArray body = requestBody(batch, *info, &error);
        if (body.isEmpty()) {
            // Its lease runs out and a later round takes it again.
            qCWarning(lcFanOut).noquote() << "batch" << batch.eventId << batch.batchNo << "recipients unreadable:" << error;
            continue;
        }
        (batch.isPush() ? pushes : multicasts).append({batch, body, 0});
    }
    QList<Ready> ready;
    for (QList<Ready> *group : {&pushes, &multicasts}) {
        if (group->isEmpty())
            continue;
        const std::optional<SendRateLimiter::Slots> reserved =
            m_limiter.reserve(group->first().batch.endpoint(), int(group->size()), leadUs);
        if (!reserved)
            continue; // no slot without the database: the leases run out and a later round takes them
        for (qsizetype i = 0; i < group->size(); ++i) {
            (*group)[i].slotUs = reserved->firstUs + i * reserved->intervalUs;
            ready.append((*group)[i]);
        }
    }
    return ready;
}

std::optional<qint64> BatchStore::reslot(SendRateLimiter::Endpoint endpoint)
{
    if (const std::optional<SendRateLimiter::Slots> again = m_limiter.reserve(endpoint, 1))
        return again->firstUs;
    return std::nullopt;
}

QList<BatchStore::Batch> BatchStore::lease(int count)
{
    const qint64 now = m_now();
    QSqlQuery q(m_db.handle());
    q.prepare(QStringLiteral("UPDATE delivery_batch SET lease_until = ? WHERE (event_id, batch_no) IN ("
                             " SELECT event_id, batch_no FROM delivery_batch WHERE state = 'pending' AND next_attempt_at <= ?"
                             " AND (lease_until IS NULL OR lease_until < ?) ORDER BY next_attempt_at, event_id, batch_no"
                             " LIMIT ?%1) RETURNING event_id, batch_no, retry_key, recipients, attempts, created_at")
                  .arg(m_db.kind() == ServiceDatabase::Kind::Postgres ? QStringLiteral(" FOR UPDATE SKIP LOCKED")
                                                                      : QString()));
    q.addBindValue(now + kLeaseMs);
    q.addBindValue(now);
    q.addBindValue(now);
    q.addBindValue(count);
    QList<Batch> batches;
    if (!q.exec()) {
        qCWarning(lcFanOut).noquote() << "cannot claim batches:" << q.lastError().text();
        return batches;
    }
    while (q.next())
        batches.append({q.value(0).toString(), q.value(1).toInt(), q.value(2).toString(), q.value(3).toInt(),
                        q.value(4).toInt(), q.value(5).toLongLong()});
    return batches;
}

const BatchStore::EventInfo *BatchStore::eventInfo(const QString &eventId)
{
    if (const auto it = m_events.constFind(eventId); it != m_events.cend())
        return &*it;
    QSqlQuery q(m_db.handle());
    q.prepare(QStringLiteral("SELECT messages, chain_id, kind, target, store_id FROM product_event WHERE id = ?"));
    q.addBindValue(eventId);
    if (!q.exec() || !q.next())
        return nullptr;
    if (m_events.size() >= kEventCacheSize)
        m_events.clear();
    EventInfo info{q.value(0).toString().toUtf8(), q.value(1).toLongLong(), q.value(2).toInt(), q.value(3).toLongLong(),
                   q.value(4).isNull() ? std::nullopt : std::optional<qint64>(q.value(4).toLongLong())};
    return &*m_events.insert(eventId, info);
}

QByteArray BatchStore::requestBody(const Batch &batch, const EventInfo &info, QString *error)
{
    QSqlQuery q(m_db.handle());
    q.prepare(QStringLiteral("SELECT user_id FROM delivery WHERE event_id = ? AND batch_no = ? AND state = 'queued'"));
    q.addBindValue(batch.eventId);
    q.addBindValue(batch.batchNo);
    QJsonArray to;
    if (q.exec())
        while (q.next())
            to.append(q.value(0).toString());
    if (to.size() != batch.recipients) {
        *error = q.lastError().isValid() ? q.lastError().text()
                                         : QStringLiteral("%1 recipients, %2 expected").arg(to.size()).arg(batch.recipients);
        return {};
    }
    // The messages are stored as the compact JSON array LINE takes, so they go in as they are.
    const QByteArray recipients = batch.isPush() ? QJsonDocument(to).toJson(QJsonDocument::Compact).mid(1).chopped(1)
                                                 : QJsonDocument(to).toJson(QJsonDocument::Compact);
    return "{\"to\":" + recipients + ",\"messages\":" + info.messages + '}';
}

QList<BatchStore::Recorded> BatchStore::record(const QList<Result> &results)
{
    QSqlDatabase db = m_db.handle();
    const bool transaction = db.transaction();
    QList<Written> written;
    for (const Result &result : results) {
        written.append(write(result));
        if (written.last() == Written::No)
            qCCritical(lcDeliveryDb).noquote() << "batch" << result.batch.eventId << result.batch.batchNo
                                               << "outcome not recorded:" << db.lastError().text();
    }
    if (transaction && !db.commit()) {
        qCCritical(lcDeliveryDb).noquote() << "batch outcomes not recorded:" << db.lastError().text();
        db.rollback();
        written.fill(Written::No);
    }
    QList<Recorded> recorded;
    for (qsizetype i = 0; i < results.size(); ++i)
        recorded.append({results[i].batch, written[i] == Written::Sent || written[i] == Written::Failed,
                         written[i] == Written::Sent});
    return recorded;
}

BatchStore::Written BatchStore::write(const Result &result)
{
    const Batch &batch = result.batch;
    const LineClient::Push &answer = result.answer;
    const int attempts = batch.attempts + (answer.httpStatus == -1 ? 0 : 1);
    const qint64 now = m_now();
    if (answer.delivered())
        return recordSent(batch, answer, attempts, now) ? Written::Sent : Written::No;
    const bool retried = answer.retryable() && attempts < kMaxAttempts;
    QSqlQuery q(m_db.handle());
    if (retried) {
        if (answer.httpStatus == 429)
            m_limiter.slowDown(batch.endpoint());
        const qint64 delay = fullJitterDelayMs(attempts, kBaseBackoffMs, kMaxBackoffMs);
        q.prepare(QStringLiteral("UPDATE delivery_batch SET attempts = ?, last_status = ?, last_error = ?,"
                                 " next_attempt_at = ?, lease_until = NULL WHERE event_id = ? AND batch_no = ?"
                                 " AND state = 'pending'"));
        q.addBindValue(attempts);
        q.addBindValue(answer.httpStatus);
        q.addBindValue(answer.error.left(500));
        q.addBindValue(now + delay);
    } else {
        qCWarning(lcFanOut).noquote() << "batch" << batch.eventId << batch.batchNo << "failed for good:" << answer.httpStatus
                                      << answer.error;
        q.prepare(QStringLiteral("UPDATE delivery_batch SET state = 'failed', attempts = ?, last_status = ?, last_error = ?,"
                                 " lease_until = NULL WHERE event_id = ? AND batch_no = ? AND state = 'pending'"));
        q.addBindValue(attempts);
        q.addBindValue(answer.httpStatus);
        q.addBindValue(answer.error.left(500));
    }
    q.addBindValue(batch.eventId);
    q.addBindValue(batch.batchNo);
    if (!q.exec())
        return Written::No;
    return retried ? Written::Retried : Written::Failed;
}

bool BatchStore::recordSent(const Batch &batch, const LineClient::Push &answer, int attempts, qint64 now)
{
    QSqlQuery q(m_db.handle());
    q.prepare(QStringLiteral("UPDATE delivery_batch SET state = 'sent', attempts = ?, last_status = ?, sent_at = ?,"
                             " sent_by = ?, lease_until = NULL WHERE event_id = ? AND batch_no = ? AND state = 'pending'"));
    q.addBindValue(attempts);
    q.addBindValue(answer.httpStatus);
    q.addBindValue(now);
    q.addBindValue(instanceName());
    q.addBindValue(batch.eventId);
    q.addBindValue(batch.batchNo);
    if (!q.exec())
        return false;
    if (q.numRowsAffected() != 1) // another instance recorded it first
        return true;
    const EventInfo *info = eventInfo(batch.eventId);
    if (!info)
        return false;
    QSqlQuery usage(m_db.handle());
    if (!countMessageUsage(usage, info->chainId, m_days.month(now), batch.recipients))
        return false;
    if (info->kind != int(RegistrationKind::Restock) || !info->storeId)
        return true;
    // One-shot: told once that the size is back, the shopper's request is done.
    QSqlQuery fulfil(m_db.handle());
    fulfil.prepare(QStringLiteral("UPDATE subscription SET status = 'fulfilled', updated_at = ?"
                                  " WHERE kind = ? AND target = ? AND store_id = ? AND status = 'active'"
                                  " AND user_id IN (SELECT user_id FROM delivery WHERE event_id = ? AND batch_no = ?)"));
    fulfil.addBindValue(now);
    fulfil.addBindValue(info->kind);
    fulfil.addBindValue(info->target);
    fulfil.addBindValue(*info->storeId);
    fulfil.addBindValue(batch.eventId);
    fulfil.addBindValue(batch.batchNo);
    return fulfil.exec();
}

void BatchStore::release(const QStringList &retryKeys)
{
    QSqlQuery q(m_db.handle());
    q.prepare(QStringLiteral("UPDATE delivery_batch SET lease_until = NULL WHERE retry_key = ? AND state = 'pending'"));
    for (const QString &key : retryKeys) {
        q.addBindValue(key);
        q.exec();
    }
}

} // namespace poptap::delivery
