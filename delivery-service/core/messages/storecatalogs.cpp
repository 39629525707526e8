#include "storecatalogs.h"

#include <QSqlQuery>
#include <QVariant>

namespace poptap::delivery {

StoreCatalogs::StoreCatalogs(ServiceDatabase &db)
    : m_db(db)
    , m_registry(db)
{
}

std::shared_ptr<const Catalog> StoreCatalogs::catalog(std::int64_t storeId) const
{
    const std::optional<QString> etag = m_registry.catalogETag(storeId);
    if (!etag)
        return nullptr;
    const auto cached = m_catalogs.constFind(storeId);
    if (cached != m_catalogs.cend() && cached->etag == *etag)
        return cached->catalog;
    const std::optional<DeviceRegistry::StoredCatalog> stored = m_registry.catalog(storeId);
    if (!stored)
        return nullptr;
    // Stored catalogs were checked with the kiosk's parser on upload.
    auto parsed = std::make_shared<const Catalog>(parseCatalogJson(stored->body).catalog);
    m_catalogs.insert(storeId, Cached{stored->etag, parsed});
    return parsed;
}

LocalName StoreCatalogs::storeName(std::int64_t storeId) const
{
    QSqlQuery q(m_db.handle());
    q.prepare(QStringLiteral("SELECT name_ja, name_en FROM store WHERE id = ?"));
    q.addBindValue(qint64(storeId));
    if (!q.exec() || !q.next())
        return {};
    return {q.value(0).toString(), q.value(1).toString()};
}

} // namespace poptap::delivery
