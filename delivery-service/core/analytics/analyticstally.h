#pragma once

#include "analyticstypes.h"

#include <QMap>

#include <set>

namespace poptap::delivery {

// Adds attributed counts up into the rows of a report's grouping, and into its totals.
// An event that is attributed to several places at once (a block, to every store and brand
// the shopper had subscriptions with) is counted once per row it reaches and once in the totals.
class AnalyticsTally
{
public:
    explicit AnalyticsTally(QList<AnalyticsDimension> groupBy);

    void add(AnalyticsFigure figure, const AnalyticsKey &where, qint64 count);
    void addOnce(AnalyticsFigure figure, const AnalyticsKey &where, const QString &eventId);

    const QMap<AnalyticsKey, AnalyticsFigures> &rows() const { return m_rows; }
    const AnalyticsFigures &totals() const { return m_totals; }

private:
    AnalyticsFigures &rowOf(const AnalyticsKey &row);

    QList<AnalyticsDimension> m_groupBy;
    QMap<AnalyticsKey, AnalyticsFigures> m_rows;
    AnalyticsFigures m_totals{};
    std::set<std::pair<AnalyticsKey, QString>> m_countedInRow;
    std::set<std::pair<int, QString>> m_countedInTotal;
};

} // namespace poptap::delivery
