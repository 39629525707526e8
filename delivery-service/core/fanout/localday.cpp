#include "localday.h"

#include <QDateTime>

namespace poptap::delivery {

LocalDay::LocalDay(const QString &ianaZone)
    : m_name(ianaZone)
    , m_zone(ianaZone.toUtf8())
{
    // Japan has no daylight saving time; a system without tz data still gets its days right.
    if (!m_zone.isValid())
        m_zone = QTimeZone(9 * 3600);
}

QDate LocalDay::date(qint64 msSinceEpoch) const
{
    return QDateTime::fromMSecsSinceEpoch(msSinceEpoch, m_zone).date();
}

QString LocalDay::day(qint64 msSinceEpoch) const
{
    return date(msSinceEpoch).toString(Qt::ISODate);
}

QString LocalDay::month(qint64 msSinceEpoch) const
{
    return date(msSinceEpoch).toString(QStringLiteral("yyyy-MM"));
}

qint64 LocalDay::startOf(QDate date) const
{
    return date.startOfDay(m_zone).toMSecsSinceEpoch();
}

} // namespace poptap::delivery
