#include "productpicker.h"

#include <algorithm>

namespace poptap {

ProductPicker::ProductPicker(QObject *parent)
    : QObject(parent)
{
}

void ProductPicker::setProduct(const Product &product, const QUrl &image, std::uint32_t variantId)
{
    m_product = product;
    m_image = image;
    m_colors.clear();
    int chosen = 0;
    for (const Variant &v : product.variants) {
        auto color = std::find_if(m_colors.begin(), m_colors.end(),
                                  [&](const Color &c) { return c.nameJa == v.colorJa && c.nameEn == v.colorEn; });
        if (color == m_colors.end())
            color = m_colors.insert(m_colors.end(), Color{v.colorJa, v.colorEn, {}});
        color->variants.append(v);
        if (v.id == variantId)
            chosen = int(color - m_colors.begin());
    }
    m_colorIndex = m_colors.isEmpty() ? -1 : chosen;
    Q_EMIT productChanged();
    Q_EMIT colorChanged();
}

void ProductPicker::clear()
{
    setProduct(Product{}, QUrl());
}

QVariantList ProductPicker::colors() const
{
    QVariantList list;
    for (const Color &c : m_colors) {
        const auto soldOut = std::count_if(c.variants.begin(), c.variants.end(), [](const Variant &v) { return !v.inStock; });
        list.append(QVariantMap{{QStringLiteral("nameJa"), c.nameJa},
                                {QStringLiteral("nameEn"), c.nameEn},
                                {QStringLiteral("soldOutCount"), int(soldOut)}});
    }
    return list;
}

QVariantList ProductPicker::sizes() const
{
    QVariantList list;
    if (m_colorIndex < 0 || m_colorIndex >= m_colors.size())
        return list;
    for (const Variant &v : m_colors.at(m_colorIndex).variants) {
        list.append(QVariantMap{{QStringLiteral("variantId"), qint64(v.id)},
                                {QStringLiteral("size"), v.size},
                                {QStringLiteral("inStock"), v.inStock}});
    }
    return list;
}

void ProductPicker::pickColor(int index)
{
    if (index < 0 || index >= m_colors.size() || index == m_colorIndex)
        return;
    m_colorIndex = index;
    Q_EMIT colorChanged();
}

} // namespace poptap
