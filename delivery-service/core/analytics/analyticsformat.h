#pragma once

#include "analyticstypes.h"

#include <QJsonObject>
#include <QStringList>

namespace poptap::delivery {

// Reports as the API and poptap-deliveryctl give them out.
//
// JSON: {"chain", "from", "to", "timeZone", "groupBy", "rows": [...], "totals": {...}}; a row
// has the grouped dimensions ("day", "store", "device", "pop", "brand") and every figure. A
// dimension the row's figures cannot be attributed to is null; a chain-wide event's store is
// {"id": null, "chainWide": true, ...}.
QJsonObject toJson(const AnalyticsReport &report);
QJsonObject toJson(const UsageReport &usage);

// The rows as a table: a header, then one line per row. Names come in Japanese and English
// columns; an id column says "unattributed" (or "chain-wide") where there is no id.
QList<QStringList> toTable(const AnalyticsReport &report);
QList<QStringList> toTable(const UsageReport &usage);

// RFC 4180: CRLF line ends, fields with a comma, quote or line break quoted, quotes doubled.
// UTF-8 with a byte order mark, which spreadsheet programs need to read Japanese as such.
QByteArray toCsv(const QList<QStringList> &table);

} // namespace poptap::delivery
