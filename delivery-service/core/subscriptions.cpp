#include "subscriptions.h"

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

} // namespace poptap::delivery
