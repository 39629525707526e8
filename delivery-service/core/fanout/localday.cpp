#include "localday.h"

#include <QDateTime>

namespace poptap::delivery {

LocalDay::LocalDay(const QString &ianaZone)
    : m_zone(ianaZone.toUtf8())
{
    // Japan has no daylight saving time; a system without tz data still gets its days right.
    if (!m_zone.isValid())
        m_zone = QTimeZone(9 * 3600);
}

QString LocalDay::day(qint64 msSinceEpoch) const
{
    return QDateTime::fromMSecsSinceEpoch(msSinceEpoch, m_zone).date().toString(Qt::ISODate);
}

QString LocalDay::month(qint64 msSinceEpoch) const
{
    return QDateTime::fromMSecsSinceEpoch(msSinceEpoch, m_zone).date().toString(QStringLiteral("yyyy-MM"));
}

qint64 LocalDay::nextDayStart(qint64 msSinceEpoch) const
{
    const QDate tomorrow = QDateTime::fromMSecsSinceEpoch(msSinceEpoch, m_zone).date().addDays(1);
    return QDateTime(tomorrow, QTime(0, 0), m_zone).toMSecsSinceEpoch();
}

} // namespace poptap::delivery
