#include "brandlistmodel.h"

#include <QSet>

namespace poptap {

BrandListModel::BrandListModel(QObject *parent)
    : QAbstractListModel(parent)
{
}

void BrandListModel::setCatalog(const Catalog &catalog, const QUrl &logoBase, Filter filter)
{
    beginResetModel();
    m_brands = catalog.visibleBrands();
    if (filter == Filter::WithProducts) {
        // One pass over the products, not one per brand: a store's catalog may hold thousands of each.
        QSet<std::uint32_t> withProducts;
        for (const Product &p : catalog.products)
            withProducts.insert(p.brandId);
        m_brands.removeIf([&](const Brand &b) { return !withProducts.contains(b.id); });
    }
    m_logoBase = logoBase;
    endResetModel();
    Q_EMIT countChanged();
}

QUrl BrandListModel::logoUrl(const Brand &brand) const
{
    return m_logoBase.resolved(QUrl(brand.logo));
}

int BrandListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_brands.size());
}

QVariant BrandListModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid))
        return {};
    const Brand &b = m_brands.at(index.row());
    switch (role) {
    case BrandIdRole: return qint64(b.id);
    case NameJaRole: return b.nameJa;
    case Qt::DisplayRole:
    case NameEnRole: return b.nameEn;
    case LogoRole: return logoUrl(b);
    }
    return {};
}

QHash<int, QByteArray> BrandListModel::roleNames() const
{
    return {{BrandIdRole, "brandId"}, {NameJaRole, "nameJa"}, {NameEnRole, "nameEn"}, {LogoRole, "logo"}};
}

} // namespace poptap
