#include "analyticscalendar.h"

#include <QDateTime>

namespace poptap::delivery {

AnalyticsCalendar::AnalyticsCalendar(const QString &ianaZone)
    : m_name(ianaZone)
    , m_zone(ianaZone.toUtf8())
{
    // The configuration checks the name; a system without tz data still has Japan's days
    // right (no daylight saving time), as the frequency cap's calendar does.
    if (!m_zone.isValid())
        m_zone = QTimeZone(9 * 3600);
}

QList<AnalyticsCalendar::Day> AnalyticsCalendar::days(QDate from, QDate to) const
{
    QList<Day> all;
    for (QDate date = from; date <= to; date = date.addDays(1))
        // startOfDay, not midnight: in zones whose clocks skip midnight the day starts later.
        all.append({date.toString(Qt::ISODate), date.startOfDay(m_zone).toMSecsSinceEpoch(),
                    date.addDays(1).startOfDay(m_zone).toMSecsSinceEpoch()});
    return all;
}

QDate AnalyticsCalendar::dateOf(qint64 msSinceEpoch) const
{
    return QDateTime::fromMSecsSinceEpoch(msSinceEpoch, m_zone).date();
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
