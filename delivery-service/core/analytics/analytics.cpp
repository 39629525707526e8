#include "analytics.h"

#include "analyticssources.h"
#include "analyticstally.h"

#include <QSqlError>
#include <QSqlQuery>

namespace poptap::delivery {

Analytics::Analytics(ServiceDatabase &db, const QString &timeZone, Clock now)
    : m_db(db)
    , m_calendar(timeZone)
    , m_now(std::move(now))
    , m_catalogs(db)
{
}

std::optional<AnalyticsChain> Analytics::chain(std::int64_t chainId) const
{
    const auto found = Chains(m_db).byId(chainId);
    if (!found)
        return std::nullopt;
    return AnalyticsChain{found->id, found->code, found->nameJa, found->nameEn};
}

Analytics::Outcome<AnalyticsReport> Analytics::report(std::int64_t chainId, QDate from, QDate to,
                                                      const QList<AnalyticsDimension> &groupBy)
{
    if (!from.isValid() || !to.isValid() || from > to)
        return {std::nullopt, Problem::BadRange, QStringLiteral("the range must run from a day to the same or a later day")};
    if (from.daysTo(to) + 1 > kMaxDays)
        return {std::nullopt, Problem::BadRange, QStringLiteral("the range is %1 days long; at most %2 are reported at once")
                                                     .arg(from.daysTo(to) + 1).arg(kMaxDays)};
    const std::optional<AnalyticsChain> owner = chain(chainId);
    if (!owner)
        return {std::nullopt, Problem::UnknownChain, QStringLiteral("no chain %1").arg(chainId)};

    m_catalogs.beginReport();
    AnalyticsTally tally(groupBy);
    AnalyticsSources sources(m_db, m_catalogs);
    if (const QString error = sources.collect(chainId, m_calendar.days(from, to), tally); !error.isEmpty())
        return {std::nullopt, Problem::Unavailable, error};

    AnalyticsReport report{*owner, from, to, m_calendar.zoneName(), groupBy, {}, tally.totals()};
    for (auto row = tally.rows().cbegin(); row != tally.rows().cend(); ++row) {
        AnalyticsRow named;
        named.key = row.key();
        named.figures = row.value();
        report.rows << named;
    }
    if (QString error; !nameRows(*owner, report, &error))
        return {std::nullopt, Problem::Unavailable, error};
    return {report, Problem::None, {}};
}

bool Analytics::nameRows(const AnalyticsChain &chain, AnalyticsReport &report, QString *error)
{
    struct StoreNames {
        QString code, ja, en;
    };
    QHash<std::int64_t, StoreNames> stores;
    QList<std::int64_t> storeIds;
    QHash<QString, QString> devices;
    QSqlQuery q(m_db.handle());
    q.prepare(QStringLiteral("SELECT id, code, name_ja, name_en FROM store WHERE chain_id = ? ORDER BY id"));
    q.addBindValue(qint64(chain.id));
    if (!q.exec()) {
        *error = q.lastError().text();
        return false;
    }
    while (q.next()) {
        storeIds << q.value(0).toLongLong();
        stores.insert(storeIds.last(), {q.value(1).toString(), q.value(2).toString(), q.value(3).toString()});
    }
    q.prepare(QStringLiteral("SELECT d.id, d.name FROM device d JOIN store s ON s.id = d.store_id WHERE s.chain_id = ?"));
    q.addBindValue(qint64(chain.id));
    if (!q.exec()) {
        *error = q.lastError().text();
        return false;
    }
    while (q.next())
        devices.insert(q.value(0).toString(), q.value(1).toString());

    for (AnalyticsRow &row : report.rows) {
        const AnalyticsKey &key = row.key;
        if (key.storeScope == AnalyticsKey::StoreScope::Store) {
            const StoreNames names = stores.value(key.storeId);
            row.storeCode = names.code;
            row.storeNameJa = names.ja;
            row.storeNameEn = names.en;
        }
        row.deviceName = devices.value(key.deviceId);
        if (key.popId != 0)
            row.popLabel = m_catalogs.popLabel(key.popStoreId, key.popId);
        if (key.brandId != 0)
            std::tie(row.brandNameJa, row.brandNameEn) = m_catalogs.brandNames(key.brandId, storeIds);
    }
    return true;
}

Analytics::Outcome<UsageReport> Analytics::usage(std::int64_t chainId, QDate fromMonth, QDate toMonth)
{
    if (!fromMonth.isValid() || !toMonth.isValid() || fromMonth > toMonth)
        return {std::nullopt, Problem::BadRange, QStringLiteral("the range must run from a month to the same or a later month")};
    const int months = (toMonth.year() - fromMonth.year()) * 12 + toMonth.month() - fromMonth.month() + 1;
    if (months > kMaxMonths)
        return {std::nullopt, Problem::BadRange,
                QStringLiteral("the range is %1 months long; at most %2 are reported at once").arg(months).arg(kMaxMonths)};
    const std::optional<AnalyticsChain> owner = chain(chainId);
    if (!owner)
        return {std::nullopt, Problem::UnknownChain, QStringLiteral("no chain %1").arg(chainId)};

    const QString monthFormat = QStringLiteral("yyyy-MM");
    UsageReport usage{*owner, fromMonth.toString(monthFormat), toMonth.toString(monthFormat), {}, 0};
    QSqlQuery q(m_db.handle());
    q.prepare(QStringLiteral("SELECT month, recipients FROM message_usage WHERE chain_id = ? AND month >= ? AND month <= ?"));
    q.addBindValue(qint64(chainId));
    q.addBindValue(usage.from);
    q.addBindValue(usage.to);
    if (!q.exec())
        return {std::nullopt, Problem::Unavailable, q.lastError().text()};
    QHash<QString, qint64> used;
    while (q.next())
        used.insert(q.value(0).toString(), q.value(1).toLongLong());
    // Every month of the range, so a month without messages reads 0 rather than missing.
    for (QDate month = fromMonth; month <= toMonth; month = month.addMonths(1)) {
        const QString name = month.toString(monthFormat);
        usage.months.append({name, used.value(name)});
        usage.total += used.value(name);
    }
    return {usage, Problem::None, {}};
}

std::pair<QDate, QDate> Analytics::lastTwelveMonths() const
{
    const QDate today = m_calendar.dateOf(m_now());
    const QDate thisMonth(today.year(), today.month(), 1);
    return {thisMonth.addMonths(-11), thisMonth};
}

} // namespace poptap::delivery
