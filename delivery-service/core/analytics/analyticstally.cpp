#include "analyticstally.h"

namespace poptap::delivery {

AnalyticsTally::AnalyticsTally(QList<AnalyticsDimension> groupBy)
    : m_groupBy(std::move(groupBy))
{
}

AnalyticsFigures &AnalyticsTally::rowOf(const AnalyticsKey &row)
{
    auto found = m_rows.find(row);
    if (found == m_rows.end())
        found = m_rows.insert(row, AnalyticsFigures{});
    return *found;
}

void AnalyticsTally::add(AnalyticsFigure figure, const AnalyticsKey &where, qint64 count)
{
    rowOf(where.only(m_groupBy))[std::size_t(figure)] += count;
    m_totals[std::size_t(figure)] += count;
}

void AnalyticsTally::addOnce(AnalyticsFigure figure, const AnalyticsKey &where, const QString &eventId)
{
    const AnalyticsKey row = where.only(m_groupBy);
    if (m_countedInRow.insert({row, QString::number(int(figure)) + u'/' + eventId}).second)
        rowOf(row)[std::size_t(figure)] += 1;
    if (m_countedInTotal.insert({int(figure), eventId}).second)
        m_totals[std::size_t(figure)] += 1;
}

} // namespace poptap::delivery
