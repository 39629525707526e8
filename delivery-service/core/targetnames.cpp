#include "targetnames.h"

namespace poptap::delivery {

TargetNames::TargetNames(ServiceDatabase &db)
    : m_registry(db)
{
}

TargetNames::Names TargetNames::of(RegistrationKind kind, std::uint32_t target, std::int64_t storeId) const
{
    if (kind != RegistrationKind::BrandInterest)
        return {};
    const std::optional<QString> etag = m_registry.catalogETag(storeId);
    if (!etag)
        return {};
    auto cached = m_catalogs.find(storeId);
    if (cached == m_catalogs.end() || cached->etag != *etag) {
        const std::optional<DeviceRegistry::StoredCatalog> stored = m_registry.catalog(storeId);
        if (!stored)
            return {};
        // Stored catalogs were validated on upload; a failed parse just leaves the name out.
        cached = m_catalogs.insert(storeId, CachedCatalog{stored->etag, parseCatalogJson(stored->body).catalog});
    }
    if (const Brand *brand = cached->catalog.brand(target))
        return {brand->nameJa, brand->nameEn};
    return {};
}

} // namespace poptap::delivery
