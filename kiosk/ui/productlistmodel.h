#pragma once

#include "catalog.h"

#include <QAbstractListModel>
#include <QUrl>
#include <QtQml/qqmlregistration.h>

namespace poptap {

// The products of one brand, for a shopper looking for a sold-out size.
class ProductListModel : public QAbstractListModel
{
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("Provided by KioskSession.products")
    Q_PROPERTY(int count READ rowCount NOTIFY countChanged)

public:
    enum Role { ProductIdRole = Qt::UserRole + 1, NameJaRole, NameEnRole, ImageRole, PriceYenRole, SoldOutRole };
    Q_ENUM(Role)

    explicit ProductListModel(QObject *parent = nullptr);

    void setProducts(const QList<const Product *> &products, const QUrl &imageBase);
    void clear();

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role) const override;
    QHash<int, QByteArray> roleNames() const override;

Q_SIGNALS:
    void countChanged();

private:
    QList<Product> m_products; // copies: a new catalog may replace the one these came from
    QUrl m_imageBase;
};

} // namespace poptap
