#include "subscriptions.h"

#include <QSqlError>
#include <QSqlQuery>
#include <QVariant>

namespace poptap::delivery {

Subscriptions::Subscriptions(ServiceDatabase &db)
    : m_db(db)
{
}

Subscriptions::Stop Subscriptions::stop(const QString &userId, const StopRequest &request, qint64 nowMs, QString *error)
{
    QSqlQuery q(m_db.handle());
    q.prepare(QStringLiteral("UPDATE subscription SET status = 'stopped', updated_at = ?"
                             " WHERE user_id = ? AND kind = ? AND target = ? AND store_id = ? AND status = 'active'"));
    q.addBindValue(nowMs);
    q.addBindValue(userId);
    q.addBindValue(int(request.kind));
    q.addBindValue(qint64(request.target));
    q.addBindValue(qint64(request.storeId));
    if (!q.exec()) {
        *error = q.lastError().text();
        return Stop::Failed;
    }
    return q.numRowsAffected() > 0 ? Stop::Stopped : Stop::NotActive;
}

std::optional<QList<StopRequest>> Subscriptions::active(const QString &userId, QString *error) const
{
    QSqlQuery q(m_db.handle());
    q.prepare(QStringLiteral("SELECT kind, target, store_id FROM subscription WHERE user_id = ? AND status = 'active'"
                             " ORDER BY updated_at DESC, kind, target, store_id"));
    q.addBindValue(userId);
    if (!q.exec()) {
        *error = q.lastError().text();
        return std::nullopt;
    }
    QList<StopRequest> found;
    while (q.next())
        found << StopRequest{RegistrationKind(q.value(0).toInt()), std::uint32_t(q.value(1).toLongLong()),
                             q.value(2).toLongLong()};
    return found;
}

std::optional<QList<StopRequest>> Subscriptions::stopAll(const QString &userId, qint64 nowMs, QString *error)
{
    const std::optional<QList<StopRequest>> listed = active(userId, error);
    if (!listed)
        return std::nullopt;
    QSqlDatabase db = m_db.handle();
    if (!db.transaction()) {
        *error = db.lastError().text();
        return std::nullopt;
    }
    // One by one, so the answer names exactly what this call stopped (another instance may
    // stop one of them at the same moment).
    QList<StopRequest> stopped;
    for (const StopRequest &request : *listed) {
        const Stop outcome = stop(userId, request, nowMs, error);
        if (outcome == Stop::Failed) {
            db.rollback();
            return std::nullopt;
        }
        if (outcome == Stop::Stopped)
            stopped << request;
    }
    if (!db.commit()) {
        *error = db.lastError().text();
        db.rollback();
        return std::nullopt;
    }
    return stopped;
}

Subscriptions::Ownership Subscriptions::ownership(const QString &userId, const StopRequest &request, QString *error) const
{
    QSqlQuery q(m_db.handle());
    q.prepare(QStringLiteral("SELECT 1 FROM subscription WHERE user_id = ? AND kind = ? AND target = ? AND store_id = ?"));
    q.addBindValue(userId);
    q.addBindValue(int(request.kind));
    q.addBindValue(qint64(request.target));
    q.addBindValue(qint64(request.storeId));
    if (!q.exec()) {
        *error = q.lastError().text();
        return Ownership::Failed;
    }
    return q.next() ? Ownership::Owned : Ownership::NotOwned;
}

} // namespace poptap::delivery
