#pragma once

#include <QString>
#include <QTimeZone>

namespace poptap::delivery {

// The shops' calendar: a frequency cap counts per local day, usage per local month.
class LocalDay
{
public:
    explicit LocalDay(const QString &ianaZone);

    QString day(qint64 msSinceEpoch) const;   // "2026-11-22"
    QString month(qint64 msSinceEpoch) const; // "2026-11"
    qint64 nextDayStart(qint64 msSinceEpoch) const;

private:
    QTimeZone m_zone;
};

} // namespace poptap::delivery
