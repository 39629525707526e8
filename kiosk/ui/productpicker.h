#pragma once

#include "catalog.h"

#include <QObject>
#include <QUrl>
#include <QVariantList>
#include <QtQml/qqmlregistration.h>

namespace poptap {

// One product on screen: its colours, and the sizes of the chosen colour with the sold-out
// ones marked. Colours and sizes keep the catalog's order (sizes small to large).
class ProductPicker : public QObject
{
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("Provided by KioskSession.picker")
    Q_PROPERTY(int productId READ productId NOTIFY productChanged)
    Q_PROPERTY(QString nameJa READ nameJa NOTIFY productChanged)
    Q_PROPERTY(QString nameEn READ nameEn NOTIFY productChanged)
    Q_PROPERTY(QUrl image READ image NOTIFY productChanged)
    Q_PROPERTY(int priceYen READ priceYen NOTIFY productChanged)
    // [{ nameJa, nameEn, soldOutCount }]
    Q_PROPERTY(QVariantList colors READ colors NOTIFY productChanged)
    Q_PROPERTY(int colorIndex READ colorIndex WRITE pickColor NOTIFY colorChanged)
    // [{ variantId, size, inStock }] of the chosen colour
    Q_PROPERTY(QVariantList sizes READ sizes NOTIFY colorChanged)

public:
    explicit ProductPicker(QObject *parent = nullptr);

    // Shows `product`, with the colour of `variantId` chosen (the first colour when it is 0).
    void setProduct(const Product &product, const QUrl &image, std::uint32_t variantId = 0);
    void clear();

    int productId() const { return int(m_product.id); }
    QString nameJa() const { return m_product.nameJa; }
    QString nameEn() const { return m_product.nameEn; }
    QUrl image() const { return m_image; }
    int priceYen() const { return m_product.priceYen; }
    QVariantList colors() const;
    int colorIndex() const { return m_colorIndex; }
    QVariantList sizes() const;

    void pickColor(int index);

Q_SIGNALS:
    void productChanged();
    void colorChanged();

private:
    struct Color {
        QString nameJa;
        QString nameEn;
        QList<Variant> variants;
    };
    Product m_product;
    QUrl m_image;
    QList<Color> m_colors;
    int m_colorIndex = -1;
};

} // namespace poptap
