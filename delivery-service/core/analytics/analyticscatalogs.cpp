#include "analyticscatalogs.h"

#include "catalog.h"
#include "registrationtoken.h"

namespace poptap::delivery {

AnalyticsCatalogs::AnalyticsCatalogs(ServiceDatabase &db)
    : m_registry(db)
{
}

const AnalyticsCatalogs::Index &AnalyticsCatalogs::index(std::int64_t storeId)
{
    auto cached = m_indexes.find(storeId);
    if (m_checked.contains(storeId) && cached != m_indexes.end())
        return *cached;
    m_checked.insert(storeId);
    const std::optional<QString> etag = m_registry.catalogETag(storeId);
    if (cached != m_indexes.end() && etag && cached->etag == *etag)
        return *cached;
    Index fresh;
    if (const auto stored = m_registry.catalog(storeId)) {
        // Stored catalogs passed the kiosk's parser on upload; one that fails now maps nothing.
        const Catalog catalog = parseCatalogJson(stored->body).catalog;
        fresh.etag = stored->etag;
        for (const Brand &brand : catalog.brands)
            fresh.brandNames.insert(brand.id, {brand.nameJa, brand.nameEn});
        for (const Product &product : catalog.products)
            for (const Variant &variant : product.variants)
                fresh.variantBrand.insert(variant.id, product.brandId);
        for (const Pop &pop : catalog.pops)
            fresh.pops.insert(pop.id, {pop.brandId, pop.label});
    }
    return *m_indexes.insert(storeId, std::move(fresh));
}

std::uint32_t AnalyticsCatalogs::brandOf(std::int64_t storeId, int kind, std::uint32_t target)
{
    switch (RegistrationKind(kind)) {
    case RegistrationKind::BrandInterest: return target;
    case RegistrationKind::Restock: return index(storeId).variantBrand.value(target);
    case RegistrationKind::Pop: return index(storeId).pops.value(target).first;
    }
    return 0;
}

QString AnalyticsCatalogs::popLabel(std::int64_t storeId, std::uint32_t popId)
{
    return index(storeId).pops.value(popId).second;
}

std::pair<QString, QString> AnalyticsCatalogs::brandNames(std::uint32_t brandId, const QList<std::int64_t> &stores)
{
    for (std::int64_t store : stores) {
        const Index &found = index(store);
        if (const auto names = found.brandNames.constFind(brandId); names != found.brandNames.cend())
            return *names;
    }
    return {};
}

} // namespace poptap::delivery
