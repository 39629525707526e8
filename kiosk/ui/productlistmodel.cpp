#include "productlistmodel.h"

#include <algorithm>

namespace poptap {

ProductListModel::ProductListModel(QObject *parent)
    : QAbstractListModel(parent)
{
}

void ProductListModel::setProducts(const QList<const Product *> &products, const QUrl &imageBase)
{
    beginResetModel();
    m_products.clear();
    for (const Product *p : products)
        m_products.append(*p);
    m_imageBase = imageBase;
    endResetModel();
    Q_EMIT countChanged();
}

void ProductListModel::clear()
{
    setProducts({}, m_imageBase);
}

int ProductListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_products.size());
}

QVariant ProductListModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid))
        return {};
    const Product &p = m_products.at(index.row());
    switch (role) {
    case ProductIdRole: return qint64(p.id);
    case NameJaRole: return p.nameJa;
    case Qt::DisplayRole:
    case NameEnRole: return p.nameEn;
    case ImageRole: return p.image.isEmpty() ? QUrl() : m_imageBase.resolved(QUrl(p.image));
    case PriceYenRole: return p.priceYen;
    case SoldOutRole:
        return int(std::count_if(p.variants.begin(), p.variants.end(), [](const Variant &v) { return !v.inStock; }));
    }
    return {};
}

QHash<int, QByteArray> ProductListModel::roleNames() const
{
    return {{ProductIdRole, "productId"}, {NameJaRole, "nameJa"}, {NameEnRole, "nameEn"},
            {ImageRole, "image"},         {PriceYenRole, "priceYen"}, {SoldOutRole, "soldOutCount"}};
}

} // namespace poptap
