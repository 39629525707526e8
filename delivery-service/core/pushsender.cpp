#include "pushsender.h"

#include "deliverylogging.h"
#include "retrydelay.h"

#include <QSqlQuery>
#include <QVariant>

namespace poptap::delivery {

PushSender::PushSender(ServiceDatabase &db, LineClient &line, Clock now, QObject *parent)
    : QObject(parent)
    , m_db(db)
    , m_line(line)
    , m_now(std::move(now))
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
    struct Row {
        QString key;
        QByteArray body;
        int attempts;
    };
    QList<Row> rows;
    while (due.next())
        rows.append({due.value(0).toString(), due.value(1).toString().toUtf8(), due.value(2).toInt()});
    due.finish();
    for (const Row &row : std::as_const(rows)) {
        // Take the lease; another instance that got there first leaves this row alone.
        QSqlQuery lease(m_db.handle());
        lease.prepare(QStringLiteral("UPDATE push_outbox SET lease_until = ? WHERE retry_key = ? AND state = 'pending'"
                                     " AND (lease_until IS NULL OR lease_until < ?)"));
        lease.addBindValue(now + kLeaseMs);
        lease.addBindValue(row.key);
        lease.addBindValue(now);
        if (lease.exec() && lease.numRowsAffected() == 1)
            send(row.key, row.body, row.attempts);
    }
    scheduleNext();
}

void PushSender::send(const QString &retryKey, const QByteArray &body, int attempts)
{
    m_inFlight.insert(retryKey);
    m_line.push(body, retryKey, [this, retryKey, attempts](const LineClient::Push &result) {
        m_inFlight.remove(retryKey);
        finish(retryKey, attempts + 1, result);
        scheduleNext();
    });
}

void PushSender::finish(const QString &retryKey, int attempts, const LineClient::Push &result)
{
    const qint64 now = m_now().toMSecsSinceEpoch();
    QSqlQuery q(m_db.handle());
    QString state = QStringLiteral("pending");
    if (result.delivered()) {
        state = QStringLiteral("sent");
        q.prepare(QStringLiteral("UPDATE push_outbox SET state = 'sent', attempts = ?, last_status = ?, sent_at = ?,"
                                 " lease_until = NULL WHERE retry_key = ?"));
        q.addBindValue(attempts);
        q.addBindValue(result.httpStatus);
        q.addBindValue(now);
        q.addBindValue(retryKey);
    } else if (result.retryable() && attempts < kMaxAttempts) {
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
