#include "pushsender.h"

#include "deliverylogging.h"
#include "messageusage.h"
#include "retrydelay.h"

#include <QSqlError>
#include <QSqlQuery>
#include <QVariant>

namespace poptap::delivery {

PushSender::PushSender(ServiceDatabase &db, LineClient &line, const ServiceConfig &config, Clock now, QObject *parent)
    : QObject(parent)
    , m_db(db)
    , m_line(line)
    , m_now(std::move(now))
    , m_limiter(db, config.pushPerSecond, config.multicastPerSecond, [this] { return nowUs(); })
    , m_days(config.timeZone)
{
    m_timer.setSingleShot(true);
    connect(&m_timer, &QTimer::timeout, this, &PushSender::kick);
}

PushSender::~PushSender()
{
    QSqlQuery release(m_db.handle());
    release.prepare(QStringLiteral("UPDATE push_outbox SET lease_until = NULL WHERE retry_key = ? AND state = 'pending'"));
    for (const QString &key : std::as_const(m_inFlight)) {
        release.addBindValue(key);
        release.exec();
    }
}

void PushSender::kick()
{
    const qint64 now = m_now().toMSecsSinceEpoch();
    QSqlQuery due(m_db.handle());
    due.prepare(QStringLiteral("SELECT retry_key, body, attempts FROM push_outbox WHERE state = 'pending'"
                               " AND next_attempt_at <= ? AND (lease_until IS NULL OR lease_until < ?)"
                               " ORDER BY next_attempt_at LIMIT 100"));
    due.addBindValue(now);
    due.addBindValue(now);
    if (!due.exec()) {
        qCWarning(lcDeliveryDb).noquote() << "cannot read the push outbox:" << due.lastError().text();
        return;
    }
    QList<Due> rows;
    while (due.next())
        rows.append({due.value(0).toString(), due.value(1).toString().toUtf8(), due.value(2).toInt()});
    due.finish();
    QList<Due> leased;
    for (const Due &row : std::as_const(rows)) {
        if (m_inFlight.contains(row.key)) // our own lease ran out while LINE was slow
            continue;
        // Take the lease; another instance that got there first leaves this row alone.
        QSqlQuery lease(m_db.handle());
        lease.prepare(QStringLiteral("UPDATE push_outbox SET lease_until = ? WHERE retry_key = ? AND state = 'pending'"
                                     " AND (lease_until IS NULL OR lease_until < ?)"));
        lease.addBindValue(now + kLeaseMs);
        lease.addBindValue(row.key);
        lease.addBindValue(now);
        if (lease.exec() && lease.numRowsAffected() == 1)
            leased.append(row);
    }
    if (!leased.isEmpty()) {
        const std::optional<SendRateLimiter::Slots> reserved =
            m_limiter.reserve(SendRateLimiter::Endpoint::Push, int(leased.size()));
        for (qsizetype i = 0; reserved && i < leased.size(); ++i) {
            m_inFlight.insert(leased[i].key);
            sendAt(leased[i], reserved->firstUs + i * reserved->intervalUs);
        }
        // Without slots the leases run out and a later round sends them.
    }
    scheduleNext();
}

void PushSender::sendAt(const Due &push, qint64 slotUs)
{
    atSlot(this, slotUs, [this] { return nowUs(); }, [this, push](bool onTime) {
        if (onTime) {
            send(push);
        } else if (const std::optional<SendRateLimiter::Slots> again = m_limiter.reserve(SendRateLimiter::Endpoint::Push, 1)) {
            sendAt(push, again->firstUs);
        } else {
            m_inFlight.remove(push.key); // its lease runs out and a later round takes it
        }
    });
}

void PushSender::send(const Due &push)
{
    m_line.push(push.body, push.key, [this, key = push.key, attempts = push.attempts](const LineClient::Push &result) {
        m_inFlight.remove(key);
        finish(key, attempts + 1, result);
        scheduleNext();
    });
}

void PushSender::finish(const QString &retryKey, int attempts, const LineClient::Push &result)
{
    const qint64 now = m_now().toMSecsSinceEpoch();
    QSqlQuery q(m_db.handle());
    QString state = QStringLiteral("pending");
    if (result.delivered()) {
        if (!recordSent(retryKey, attempts, result.httpStatus, now))
            qCCritical(lcDeliveryDb).noquote() << "push" << retryKey << "outcome not recorded:" << m_db.handle().lastError().text();
        Q_EMIT pushFinished(retryKey, QStringLiteral("sent"));
        return;
    }
    if (result.retryable() && attempts < kMaxAttempts) {
        if (result.httpStatus == 429)
            m_limiter.slowDown(SendRateLimiter::Endpoint::Push);
        const qint64 delay = fullJitterDelayMs(attempts, kBaseBackoffMs, kMaxBackoffMs);
        q.prepare(QStringLiteral("UPDATE push_outbox SET attempts = ?, last_status = ?, last_error = ?,"
                                 " next_attempt_at = ?, lease_until = NULL WHERE retry_key = ?"));
        q.addBindValue(attempts);
        q.addBindValue(result.httpStatus);
        q.addBindValue(result.error.left(500));
        q.addBindValue(now + delay);
        q.addBindValue(retryKey);
    } else {
        state = QStringLiteral("failed");
        q.prepare(QStringLiteral("UPDATE push_outbox SET state = 'failed', attempts = ?, last_status = ?, last_error = ?,"
                                 " lease_until = NULL WHERE retry_key = ?"));
        q.addBindValue(attempts);
        q.addBindValue(result.httpStatus);
        q.addBindValue(result.error.left(500));
        q.addBindValue(retryKey);
        qCWarning(lcHttp).noquote() << "push" << retryKey << "failed for good:" << result.httpStatus << result.error;
    }
    if (!q.exec())
        qCCritical(lcDeliveryDb).noquote() << "push" << retryKey << "outcome not recorded:" << q.lastError().text();
    if (state != QLatin1String("pending"))
        Q_EMIT pushFinished(retryKey, state);
}

// Sent, and counted for the chain of the push's store, in one transaction: a push is billed
// once whatever happens to the service in between.
bool PushSender::recordSent(const QString &retryKey, int attempts, int httpStatus, qint64 now)
{
    QSqlDatabase db = m_db.handle();
    if (!db.transaction())
        return false;
    QSqlQuery sent(db);
    sent.prepare(QStringLiteral("UPDATE push_outbox SET state = 'sent', attempts = ?, last_status = ?, sent_at = ?,"
                                " lease_until = NULL WHERE retry_key = ? AND state = 'pending'"));
    sent.addBindValue(attempts);
    sent.addBindValue(httpStatus);
    sent.addBindValue(now);
    sent.addBindValue(retryKey);
    if (!sent.exec()) {
        db.rollback();
        return false;
    }
    if (sent.numRowsAffected() == 1) { // not recorded by another instance first
        // Billed to the chain of the store the confirmation is about; a store in no chain has
        // nobody to bill.
        QSqlQuery chain(db);
        chain.prepare(QStringLiteral("SELECT s.chain_id FROM push_outbox p JOIN store s ON s.id = p.store_id"
                                     " WHERE p.retry_key = ? AND s.chain_id IS NOT NULL"));
        chain.addBindValue(retryKey);
        if (!chain.exec()) {
            db.rollback();
            return false;
        }
        if (chain.next()) {
            const std::int64_t chainId = chain.value(0).toLongLong();
            chain.finish();
            if (!countMessageUsage(chain, chainId, m_days.month(now), 1)) {
                db.rollback();
                return false;
            }
        }
    }
    return db.commit();
}

void PushSender::scheduleNext()
{
    QSqlQuery q(m_db.handle());
    if (!q.exec(QStringLiteral("SELECT min(next_attempt_at) FROM push_outbox WHERE state = 'pending'")) || !q.next()
        || q.value(0).isNull())
        return;
    const qint64 wait = q.value(0).toLongLong() - m_now().toMSecsSinceEpoch();
    m_timer.start(int(std::clamp<qint64>(wait, 0, kMaxBackoffMs)));
}

} // namespace poptap::delivery
