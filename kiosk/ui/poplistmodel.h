#pragma once

#include "catalog.h"

#include <QAbstractListModel>
#include <QtQml/qqmlregistration.h>

namespace poptap {

// The store's POP stickers for the staff screen, grouped by brand: brands in the staff's
// display order (disabled ones too: a sticker works whatever the kiosk shows), then POP id.
class PopListModel : public QAbstractListModel
{
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("Provided by StaffMode.pops")
    Q_PROPERTY(int count READ rowCount NOTIFY countChanged)

public:
    enum Role { PopIdRole = Qt::UserRole + 1, LabelRole, BrandIdRole, BrandNameJaRole, BrandNameEnRole };
    Q_ENUM(Role)

    explicit PopListModel(QObject *parent = nullptr);

    void setCatalog(const Catalog &catalog);

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role) const override;
    QHash<int, QByteArray> roleNames() const override;

Q_SIGNALS:
    void countChanged();

private:
    struct Row {
        Pop pop;
        Brand brand;
    };
    QList<Row> m_rows;
};

} // namespace poptap
