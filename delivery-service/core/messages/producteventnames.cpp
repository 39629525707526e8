#include "producteventnames.h"

namespace poptap::delivery {

ProductEventNamer::ProductEventNamer(ServiceDatabase &db)
    : m_catalogs(db)
    , m_chains(db)
{
}

std::optional<ProductEventNames> ProductEventNamer::names(const ProductEvent &event, std::int64_t chainId,
                                                          QString *error) const
{
    return event.kind == ProductEvent::Kind::Restock ? restockNames(event, error)
                                                     : newArrivalNames(event, chainId, error);
}

std::optional<ProductEventNames> ProductEventNamer::restockNames(const ProductEvent &event, QString *error) const
{
    if (!event.storeId) {
        *error = QStringLiteral("a restock names its store");
        return std::nullopt;
    }
    const std::int64_t storeId = *event.storeId;
    const std::shared_ptr<const Catalog> catalog = m_catalogs.catalog(storeId);
    if (!catalog) {
        *error = QStringLiteral("store %1 has no catalog").arg(storeId);
        return std::nullopt;
    }
    const VariantRef found = catalog->variant(event.target);
    if (!found) {
        *error = QStringLiteral("variant %1 is not in the catalog of store %2").arg(event.target).arg(storeId);
        return std::nullopt;
    }
    ProductEventNames names;
    names.brandId = found.product->brandId;
    if (const Brand *brand = catalog->brand(found.product->brandId))
        names.brand = {brand->nameJa, brand->nameEn};
    names.colour = {found.variant->colorJa, found.variant->colorEn};
    names.size = found.variant->size;
    names.store = m_catalogs.storeName(storeId);
    if (names.store.isEmpty()) {
        *error = QStringLiteral("store %1 is not known").arg(storeId);
        return std::nullopt;
    }
    return names;
}

std::optional<ProductEventNames> ProductEventNamer::newArrivalNames(const ProductEvent &event, std::int64_t chainId,
                                                                    QString *error) const
{
    // One store's catalog, or for a chain-wide event the first of the chain's stores that has
    // the brand: a chain's stores share its brand ids.
    const QList<std::int64_t> stores = event.storeId ? QList<std::int64_t>{*event.storeId} : m_chains.storesOf(chainId);
    for (const std::int64_t storeId : stores) {
        const std::shared_ptr<const Catalog> catalog = m_catalogs.catalog(storeId);
        const Brand *brand = catalog ? catalog->brand(event.target) : nullptr;
        if (!brand)
            continue;
        ProductEventNames names;
        names.brandId = brand->id;
        names.brand = {brand->nameJa, brand->nameEn};
        if (event.storeId) {
            names.store = m_catalogs.storeName(storeId);
            if (names.store.isEmpty()) {
                *error = QStringLiteral("store %1 is not known").arg(storeId);
                return std::nullopt;
            }
        }
        return names;
    }
    *error = event.storeId ? QStringLiteral("brand %1 is not in the catalog of store %2").arg(event.target).arg(*event.storeId)
                           : QStringLiteral("brand %1 is in no catalog of chain %2").arg(event.target).arg(chainId);
    return std::nullopt;
}

} // namespace poptap::delivery
