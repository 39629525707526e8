#pragma once

#include "analyticscalendar.h"
#include "analyticscatalogs.h"
#include "analyticstally.h"

#include <QHash>
#include <QVariant>

class QSqlQuery;

namespace poptap::delivery {

// Where each figure comes from: one set-based query per figure over one chain's rows in a
// range of local days. The database groups and counts; here each result row is given its
// place (store, kiosk, POP, brand: what the catalogs and device keys say) and tallied.
class AnalyticsSources
{
public:
    AnalyticsSources(ServiceDatabase &db, AnalyticsCatalogs &catalogs);

    // Empty on success, else what the database said.
    QString collect(std::int64_t chainId, const QList<AnalyticsCalendar::Day> &days, AnalyticsTally &tally);

private:
    struct Range {
        std::int64_t chainId;
        QString days; // AnalyticsCalendar::daysTable
        qint64 startMs;
        qint64 endMs;
        QString firstDay;
        QString lastDay;
    };
    bool linksShown(const Range &range, AnalyticsTally &tally);
    bool phoneReads(const Range &range, AnalyticsTally &tally);
    bool claims(const Range &range, AnalyticsTally &tally);
    bool friendAdds(const Range &range, AnalyticsTally &tally);
    bool blocks(const Range &range, AnalyticsTally &tally);
    bool deliveries(const Range &range, AnalyticsTally &tally);
    bool fanOutSkips(const Range &range, AnalyticsTally &tally);
    bool clicks(const Range &range, AnalyticsTally &tally);

    bool run(QSqlQuery &q, const QString &sql, const QVariantList &values);
    // A registration's place from columns (day, store_id, device_id, key_hex, kind, target)
    // starting at `column`: the kiosk that synced it, or the one whose key signed its token.
    AnalyticsKey registrationPlace(const QSqlQuery &q, int column = 0);
    // A product event's place from columns (day, store_id, kind, target): no store is chain-wide.
    AnalyticsKey eventPlace(const QSqlQuery &q);
    QString deviceOfKey(const QString &keyHex);

    ServiceDatabase &m_db;
    AnalyticsCatalogs &m_catalogs;
    DeviceRegistry m_registry;
    QHash<QString, QString> m_keyDevices;
    QString m_error;
};

} // namespace poptap::delivery
