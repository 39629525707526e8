#include "poplistmodel.h"

#include <algorithm>

namespace poptap {

PopListModel::PopListModel(QObject *parent)
    : QAbstractListModel(parent)
{
}

void PopListModel::setCatalog(const Catalog &catalog)
{
    beginResetModel();
    m_rows.clear();
    for (const Pop &pop : catalog.pops)
        if (const Brand *brand = catalog.brand(pop.brandId)) // the parser guarantees one
            m_rows.append({pop, *brand});
    // A ListView section is a run of equal values: one brand's POPs must be adjacent.
    std::stable_sort(m_rows.begin(), m_rows.end(), [](const Row &a, const Row &b) {
        return std::tie(a.brand.displayOrder, a.brand.id, a.pop.id) < std::tie(b.brand.displayOrder, b.brand.id, b.pop.id);
    });
    endResetModel();
    Q_EMIT countChanged();
}

int PopListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

QVariant PopListModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid))
        return {};
    const Row &row = m_rows.at(index.row());
    switch (role) {
    case PopIdRole: return qint64(row.pop.id);
    case Qt::DisplayRole:
    case LabelRole: return row.pop.label;
    case BrandIdRole: return qint64(row.brand.id);
    case BrandNameJaRole: return row.brand.nameJa;
    case BrandNameEnRole: return row.brand.nameEn;
    }
    return {};
}

QHash<int, QByteArray> PopListModel::roleNames() const
{
    return {{PopIdRole, "popId"}, {LabelRole, "label"}, {BrandIdRole, "brandId"},
            {BrandNameJaRole, "brandNameJa"}, {BrandNameEnRole, "brandNameEn"}};
}

} // namespace poptap
