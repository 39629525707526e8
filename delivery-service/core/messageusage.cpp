#include "messageusage.h"

#include <QVariant>

namespace poptap::delivery {

bool countMessageUsage(QSqlQuery &q, std::int64_t chainId, const QString &month, qint64 recipients)
{
    q.prepare(QStringLiteral("INSERT INTO message_usage (chain_id, month, recipients) VALUES (?, ?, ?)"
                             " ON CONFLICT (chain_id, month) DO UPDATE SET"
                             " recipients = message_usage.recipients + excluded.recipients"));
    q.addBindValue(qint64(chainId));
    q.addBindValue(month);
    q.addBindValue(recipients);
    return q.exec();
}

} // namespace poptap::delivery
