#include "batchsender.h"

#include "deliverylogging.h"
#include "retrydelay.h"
#include "registrationtoken.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSqlError>
#include <QSqlQuery>
#include <QSysInfo>
#include <QVariant>

namespace poptap::delivery {
namespace {

constexpr int kFlushAfterMs = 20;      // answers are recorded together, one transaction per round
constexpr qsizetype kEventCacheSize = 1000;

bool isPush(int recipients)
{
    return recipients == 1;
}

// Which instance sent a batch, for operators reading delivery_batch.
QString instanceName()
{
    static const QString name =
        QStringLiteral("%1:%2").arg(QSysInfo::machineHostName()).arg(QCoreApplication::applicationPid());
    return name;
}

} // namespace

BatchSender::BatchSender(ServiceDatabase &db, LineClient &line, SendRateLimiter &limiter, const LocalDay &days,
                         Clock now, QObject *parent)
    : QObject(parent)
    , m_db(db)
    , m_line(line)
    , m_limiter(limiter)
    , m_days(days)
    , m_now(std::move(now))
{
    m_poll.setInterval(int(kIdlePollMs));
    connect(&m_poll, &QTimer::timeout, this, &BatchSender::kick);
    m_poll.start();
    m_flush.setSingleShot(true);
    connect(&m_flush, &QTimer::timeout, this, &BatchSender::finishAll);
}

BatchSender::~BatchSender()
{
    finishAll();
    // Batches claimed but unanswered go back at once; a resend under the same key is harmless.
    QSqlQuery release(m_db.handle());
    release.prepare(QStringLiteral("UPDATE delivery_batch SET lease_until = NULL WHERE retry_key = ? AND state = 'pending'"));
    for (const QString &key : m_inFlight.keys()) {
        release.addBindValue(key);
        release.exec();
    }
}

QString BatchSender::skipLocked() const
{
    return m_db.kind() == ServiceDatabase::Kind::Postgres ? QStringLiteral(" FOR UPDATE SKIP LOCKED") : QString();
}

void BatchSender::kick()
{
    // About a second of sending is claimed at a time: enough to keep every slot used, few
    // enough that leases never run out while batches wait for their slots.
    const int capacity = int(1'000'000 / m_limiter.intervalUs(SendRateLimiter::Endpoint::Multicast));
    const int room = capacity - int(m_inFlight.size());
    if (room < capacity / 2)
        return;
    const QList<Batch> claimed = claim(room);
    if (claimed.isEmpty())
        return;
    QList<Batch> pushes;
    QList<Batch> multicasts;
    for (const Batch &batch : claimed) {
        m_inFlight.insert(batch.retryKey, batch);
        (isPush(batch.recipients) ? pushes : multicasts).append(batch);
    }
    for (const auto &[endpoint, batches] : {std::pair{SendRateLimiter::Endpoint::Push, pushes},
                                             std::pair{SendRateLimiter::Endpoint::Multicast, multicasts}}) {
        if (batches.isEmpty())
            continue;
        const std::optional<SendRateLimiter::Slots> reserved = m_limiter.reserve(endpoint, int(batches.size()));
        for (qsizetype i = 0; i < batches.size(); ++i) {
            if (reserved) {
                sendAt(batches[i], reserved->firstUs + i * reserved->intervalUs);
            } else {
                // No slot without the database: give the batch back for a later round.
                m_inFlight.remove(batches[i].retryKey);
            }
        }
    }
}

QList<BatchSender::Batch> BatchSender::claim(int count)
{
    const qint64 now = m_now();
    QSqlQuery q(m_db.handle());
    q.prepare(QStringLiteral("UPDATE delivery_batch SET lease_until = ? WHERE (event_id, batch_no) IN ("
                             " SELECT event_id, batch_no FROM delivery_batch WHERE state = 'pending' AND next_attempt_at <= ?"
                             " AND (lease_until IS NULL OR lease_until < ?) ORDER BY next_attempt_at, event_id, batch_no"
                             " LIMIT ?%1) RETURNING event_id, batch_no, retry_key, recipients, attempts, created_at")
                  .arg(skipLocked()));
    q.addBindValue(now + kLeaseMs);
    q.addBindValue(now);
    q.addBindValue(now);
    q.addBindValue(count);
    QList<Batch> batches;
    if (!q.exec()) {
        qCWarning(lcFanOut).noquote() << "cannot claim batches:" << q.lastError().text();
        return batches;
    }
    while (q.next()) {
        Batch batch{q.value(0).toString(), q.value(1).toInt(), q.value(2).toString(),
                    q.value(3).toInt(),    q.value(4).toInt(), q.value(5).toLongLong()};
        if (!m_inFlight.contains(batch.retryKey)) // our own lease ran out while LINE was slow
            batches.append(batch);
    }
    return batches;
}

const BatchSender::EventInfo *BatchSender::eventInfo(const QString &eventId)
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

void BatchSender::sendAt(const Batch &batch, qint64 slotUs)
{
    const qint64 waitUs = slotUs - m_now() * 1000;
    // Rounded up: a request goes at its slot or after it, never before.
    const int waitMs = waitUs <= 0 ? 0 : int((waitUs + 999) / 1000);
    QTimer::singleShot(waitMs, Qt::PreciseTimer, this, [this, batch, slotUs] {
        // Sent much later than its slot (this host was busy), a request would land among
        // later slots' requests and could make a full window at LINE: it takes a new slot.
        if (m_now() * 1000 - slotUs > kLateAtMostUs) {
            const auto endpoint = isPush(batch.recipients) ? SendRateLimiter::Endpoint::Push
                                                           : SendRateLimiter::Endpoint::Multicast;
            if (const std::optional<SendRateLimiter::Slots> again = m_limiter.reserve(endpoint, 1))
                sendAt(batch, again->firstUs);
            else
                m_inFlight.remove(batch.retryKey); // its lease runs out and a later round takes it
            return;
        }
        send(batch);
    });
}

void BatchSender::send(const Batch &batch)
{
    LineClient::Push refused;
    const EventInfo *info = eventInfo(batch.eventId);
    if (!info || info->messages.isEmpty())
        refused.error = QStringLiteral("event %1 has no messages").arg(batch.eventId);
    else if (m_now() - batch.createdAt > kRetryKeyLifetimeMs)
        refused.error = QStringLiteral("not sent within the 24 h LINE keeps its retry key");
    if (!refused.error.isEmpty()) {
        refused.httpStatus = -1; // final: recorded as failed
        m_results.append({batch, refused});
        scheduleFlush();
        return;
    }
    QSqlQuery q(m_db.handle());
    q.prepare(QStringLiteral("SELECT user_id FROM delivery WHERE event_id = ? AND batch_no = ? AND state = 'queued'"));
    q.addBindValue(batch.eventId);
    q.addBindValue(batch.batchNo);
    QJsonArray to;
    if (q.exec())
        while (q.next())
            to.append(q.value(0).toString());
    if (to.size() != batch.recipients) {
        qCWarning(lcFanOut).noquote() << "batch" << batch.eventId << batch.batchNo << "recipients unreadable:"
                                      << q.lastError().text();
        m_inFlight.remove(batch.retryKey); // its lease runs out and a later round takes it again
        return;
    }
    const QJsonArray messages = QJsonDocument::fromJson(info->messages).array();
    const auto done = [this, batch](const LineClient::Push &answer) {
        m_results.append({batch, answer});
        scheduleFlush();
    };
    if (isPush(batch.recipients)) {
        const QJsonObject body{{QStringLiteral("to"), to.first()}, {QStringLiteral("messages"), messages}};
        m_line.push(QJsonDocument(body).toJson(QJsonDocument::Compact), batch.retryKey, done);
    } else {
        const QJsonObject body{{QStringLiteral("to"), to}, {QStringLiteral("messages"), messages}};
        m_line.multicast(QJsonDocument(body).toJson(QJsonDocument::Compact), batch.retryKey, done);
    }
}

void BatchSender::scheduleFlush()
{
    if (!m_flush.isActive())
        m_flush.start(kFlushAfterMs);
}

void BatchSender::finishAll()
{
    if (m_results.isEmpty())
        return;
    const QList<Result> results = std::exchange(m_results, {});
    QSqlDatabase db = m_db.handle();
    const bool transaction = db.transaction();
    QList<std::tuple<Batch, QString>> finished;
    for (const Result &result : results) {
        if (!finish(result)) {
            // Not recorded: the lease runs out and the batch is resent under its key.
            qCCritical(lcDeliveryDb).noquote() << "batch" << result.batch.eventId << result.batch.batchNo
                                               << "outcome not recorded:" << db.lastError().text();
        }
    }
    if (transaction && !db.commit()) {
        qCCritical(lcDeliveryDb).noquote() << "batch outcomes not recorded:" << db.lastError().text();
        db.rollback();
    }
    for (const Result &result : results) {
        m_inFlight.remove(result.batch.retryKey);
        if (result.answer.delivered() || !result.answer.retryable() || result.batch.attempts + 1 >= kMaxAttempts)
            Q_EMIT batchFinished(result.batch.eventId, result.batch.batchNo,
                                 result.answer.delivered() ? QStringLiteral("sent") : QStringLiteral("failed"),
                                 result.batch.recipients);
    }
    kick();
}

bool BatchSender::finish(const Result &result)
{
    const Batch &batch = result.batch;
    const LineClient::Push &answer = result.answer;
    const int attempts = batch.attempts + (answer.httpStatus == -1 ? 0 : 1);
    const qint64 now = m_now();
    QSqlQuery q(m_db.handle());
    if (answer.delivered()) {
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
        usage.prepare(QStringLiteral("INSERT INTO message_usage (chain_id, month, recipients) VALUES (?, ?, ?)"
                                     " ON CONFLICT (chain_id, month) DO UPDATE SET"
                                     " recipients = message_usage.recipients + excluded.recipients"));
        usage.addBindValue(qint64(info->chainId));
        usage.addBindValue(m_days.month(now));
        usage.addBindValue(batch.recipients);
        if (!usage.exec())
            return false;
        if (info->kind == int(RegistrationKind::Restock) && info->storeId) {
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
            if (!fulfil.exec())
                return false;
        }
        return true;
    }
    if (answer.retryable() && attempts < kMaxAttempts) {
        if (answer.httpStatus == 429)
            m_limiter.slowDown(isPush(batch.recipients) ? SendRateLimiter::Endpoint::Push
                                                        : SendRateLimiter::Endpoint::Multicast);
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
    return q.exec();
}

} // namespace poptap::delivery
