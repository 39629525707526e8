#pragma once

#include <QDate>
#include <QString>
#include <QTimeZone>

namespace poptap::delivery {

// The shops' calendar: a frequency cap counts per local day, usage per local month.
class LocalDay
{
public:
    explicit LocalDay(const QString &ianaZone);

    QDate date(qint64 msSinceEpoch) const;
    QString day(qint64 msSinceEpoch) const;   // "2026-11-22"
    QString month(qint64 msSinceEpoch) const; // "2026-11"
    // The first moment of `date` (not midnight: in zones whose clocks skip midnight it is later).
    qint64 startOf(QDate date) const;
    qint64 nextDayStart(qint64 msSinceEpoch) const { return startOf(date(msSinceEpoch).addDays(1)); }
    QString zoneName() const { return m_name; }

private:
    QString m_name;
    QTimeZone m_zone;
};

} // namespace poptap::delivery
