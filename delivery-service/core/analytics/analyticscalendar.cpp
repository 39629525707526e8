#include "analyticscalendar.h"

#include <QDateTime>

namespace poptap::delivery {

AnalyticsCalendar::AnalyticsCalendar(const QString &ianaZone)
    : m_days(ianaZone)
{
}

QList<AnalyticsCalendar::Day> AnalyticsCalendar::days(QDate from, QDate to) const
{
    QList<Day> all;
    for (QDate date = from; date <= to; date = date.addDays(1))
        all.append({date.toString(Qt::ISODate), m_days.startOf(date), m_days.startOf(date.addDays(1))});
    return all;
}

QString AnalyticsCalendar::daysTable(const QList<Day> &days)
{
    QStringList rows;
    rows.reserve(days.size());
    for (const Day &day : days)
        rows << QStringLiteral("('%1', %2, %3)").arg(day.name).arg(day.startMs).arg(day.endMs);
    return QStringLiteral("WITH days (day, start_ms, end_ms) AS (VALUES ") + rows.join(QStringLiteral(", "))
        + QStringLiteral(") ");
}

} // namespace poptap::delivery
