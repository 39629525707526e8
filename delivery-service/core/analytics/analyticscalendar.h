#pragma once

#include "localday.h"

#include <QDate>
#include <QList>
#include <QString>

namespace poptap::delivery {

// The shops' days in the service's time zone (ServiceConfig::timeZone), as the UTC ranges
// the database's millisecond times are compared with.
class AnalyticsCalendar
{
public:
    explicit AnalyticsCalendar(const QString &ianaZone);

    struct Day {
        QString name;    // YYYY-MM-DD
        qint64 startMs;  // the first moment of the day
        qint64 endMs;    // the first moment of the next
    };
    QList<Day> days(QDate from, QDate to) const; // both inclusive
    QDate dateOf(qint64 msSinceEpoch) const { return m_days.date(msSinceEpoch); }
    QString zoneName() const { return m_days.zoneName(); }

    // "WITH days (day, start_ms, end_ms) AS (VALUES ...)": SQL that joins each time to its local
    // day the same way on SQLite and PostgreSQL. The values are the calendar's own, never input.
    static QString daysTable(const QList<Day> &days);

private:
    LocalDay m_days;
};

} // namespace poptap::delivery
