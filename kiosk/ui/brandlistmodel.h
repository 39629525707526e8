#pragma once

#include "catalog.h"

#include <QAbstractListModel>
#include <QUrl>
#include <QtQml/qqmlregistration.h>

namespace poptap {

// The brands a shopper can choose: enabled ones, in display order (for restock requests,
// only those with products in the catalog).
class BrandListModel : public QAbstractListModel
{
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("Provided by KioskSession.brands")
    Q_PROPERTY(int count READ rowCount NOTIFY countChanged)

public:
    enum Role { BrandIdRole = Qt::UserRole + 1, NameJaRole, NameEnRole, LogoRole };
    Q_ENUM(Role)

    explicit BrandListModel(QObject *parent = nullptr);

    // Replaces the brands, e.g. when a new catalog is applied between sessions.
    enum class Filter { AllVisible, WithProducts };
    void setCatalog(const Catalog &catalog, const QUrl &logoBase, Filter filter = Filter::AllVisible);
    QUrl logoUrl(const Brand &brand) const;

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role) const override;
    QHash<int, QByteArray> roleNames() const override;

Q_SIGNALS:
    void countChanged();

private:
    QList<Brand> m_brands;
    QUrl m_logoBase;
};

} // namespace poptap
