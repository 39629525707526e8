#pragma once

#include <QSqlQuery>
#include <QString>

#include <cstdint>

namespace poptap::delivery {

// LINE bills push and multicast per recipient (DESIGN.md): adds `recipients` to what `chainId`
// used in `month` (LocalDay::month), on `q`'s connection and in its transaction, so that a
// message is counted exactly when it is recorded as sent. Read by GET /v1/usage.
bool countMessageUsage(QSqlQuery &q, std::int64_t chainId, const QString &month, qint64 recipients);

} // namespace poptap::delivery
