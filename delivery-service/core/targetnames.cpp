#include "targetnames.h"

namespace poptap::delivery {

TargetNames::TargetNames(ServiceDatabase &db)
    : m_catalogs(db)
{
}

namespace {

// "クモ テーラーズ オックスフォードシャツ（ネイビー / M）" / "Kumo Tailors Oxford Shirt (Navy / M)"
TargetNames::Names variantNames(const Catalog &catalog, const VariantRef &found)
{
    const Brand *brand = catalog.brand(found.product->brandId);
    const Product &p = *found.product;
    const Variant &v = *found.variant;
    const QString productJa = brand ? brand->nameJa + u' ' + p.nameJa : p.nameJa;
    const QString productEn = brand ? brand->nameEn + u' ' + p.nameEn : p.nameEn;
    return {QStringLiteral("%1（%2 / %3）").arg(productJa, v.colorJa, v.size),
            QStringLiteral("%1 (%2 / %3)").arg(productEn, v.colorEn, v.size)};
}

} // namespace

TargetNames::Names TargetNames::of(RegistrationKind kind, std::uint32_t target, std::int64_t storeId) const
{
    if (kind != RegistrationKind::BrandInterest && kind != RegistrationKind::Restock && kind != RegistrationKind::Pop)
        return {};
    // Stored catalogs were validated on upload; one that cannot name the target leaves it out.
    const std::shared_ptr<const Catalog> stored = m_catalogs.catalog(storeId);
    if (!stored)
        return {};
    const Catalog &catalog = *stored;
    if (kind == RegistrationKind::Restock) {
        const VariantRef found = catalog.variant(target);
        return found ? variantNames(catalog, found) : Names{};
    }
    if (kind == RegistrationKind::Pop) {
        // A sticker stands for its brand: the shopper reads the brand, not where it was stuck.
        const Pop *pop = catalog.pop(target);
        if (!pop)
            return {};
        target = pop->brandId;
    }
    if (const Brand *brand = catalog.brand(target))
        return {brand->nameJa, brand->nameEn};
    return {};
}

} // namespace poptap::delivery
