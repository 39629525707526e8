#include "popdirectory.h"

#include <QSqlError>
#include <QSqlQuery>
#include <QVariant>

#include <algorithm>

namespace poptap::delivery {

PopDirectory::PopDirectory(ServiceDatabase &db)
    : m_db(db)
    , m_registry(db)
{
}

bool PopDirectory::refresh(QString *error)
{
    // One small query per look-up: every instance sees an upload at once, and only a catalog
    // whose ETag changed is read and parsed again.
    QSqlQuery q(m_db.handle());
    if (!q.exec(QStringLiteral("SELECT store_id, etag FROM store_catalog"))) {
        *error = q.lastError().text();
        return false;
    }
    QHash<std::int64_t, QString> current;
    while (q.next())
        current.insert(q.value(0).toLongLong(), q.value(1).toString());
    q.finish();

    bool changed = false;
    for (auto it = m_stores.begin(); it != m_stores.end();) {
        if (current.contains(it.key())) {
            ++it;
        } else {
            it = m_stores.erase(it);
            changed = true;
        }
    }
    for (auto it = current.cbegin(); it != current.cend(); ++it) {
        const auto known = m_stores.constFind(it.key());
        if (known != m_stores.cend() && known->etag == it.value())
            continue;
        const std::optional<DeviceRegistry::StoredCatalog> stored = m_registry.catalog(it.key());
        if (!stored) {
            *error = QStringLiteral("the catalog of store %1 could not be read").arg(it.key());
            return false;
        }
        // Stored catalogs passed the kiosk's parser on upload; one that fails now has no POPs.
        const Catalog catalog = parseCatalogJson(stored->body).catalog;
        StoreIndex index{stored->etag, {}, {}};
        for (const Brand &brand : catalog.brands)
            index.brands.insert(brand.id);
        for (const Pop &pop : catalog.pops)
            index.pops.insert(pop.id, pop);
        m_stores.insert(it.key(), std::move(index));
        changed = true;
    }
    if (changed) {
        m_owners.clear();
        for (auto store = m_stores.cbegin(); store != m_stores.cend(); ++store)
            for (auto pop = store->pops.cbegin(); pop != store->pops.cend(); ++pop)
                m_owners[pop.key()].append(store.key());
    }
    return true;
}

PopDirectory::Lookup PopDirectory::find(std::uint32_t popId)
{
    Lookup result;
    if (!refresh(&result.problem)) {
        result.unavailable = true;
        return result;
    }
    const QList<std::int64_t> owners = m_owners.value(popId);
    if (owners.isEmpty()) {
        result.problem = QStringLiteral("no store's catalog has POP %1").arg(popId);
        return result;
    }
    if (owners.size() > 1) {
        QList<std::int64_t> sorted = owners;
        std::sort(sorted.begin(), sorted.end());
        QStringList stores;
        for (std::int64_t store : std::as_const(sorted))
            stores << QString::number(store);
        result.problem = QStringLiteral("POP %1 is in the catalogs of stores %2: its store is ambiguous")
                             .arg(popId)
                             .arg(stores.join(QStringLiteral(", ")));
        return result;
    }
    const StoreIndex &store = m_stores[owners.first()];
    const Pop &pop = store.pops[popId];
    // The parser refuses a POP of a brand its catalog lacks; checked again so that a brand
    // taken out of the catalog can never be subscribed to through an old sticker.
    if (!store.brands.contains(pop.brandId)) {
        result.problem = QStringLiteral("the brand %1 of POP %2 is no longer in store %3's catalog")
                             .arg(pop.brandId)
                             .arg(popId)
                             .arg(owners.first());
        return result;
    }
    result.place = Place{owners.first(), popId, pop.brandId, pop.label};
    return result;
}

QString PopDirectory::conflicts(std::int64_t storeId, const Catalog &catalog)
{
    QString error;
    if (!refresh(&error))
        return QStringLiteral("the other stores' POPs could not be checked: ") + error;
    constexpr int kShown = 5; // enough to see the pattern; the operator renumbers them all
    QStringList clashes;
    int total = 0;
    for (const Pop &pop : catalog.pops) {
        QList<std::int64_t> others = m_owners.value(pop.id);
        others.removeAll(storeId); // its own old catalog is being replaced
        if (others.isEmpty())
            continue;
        if (++total <= kShown)
            clashes << QStringLiteral("POP %1 is already in the catalog of store %2").arg(pop.id).arg(others.first());
    }
    if (total == 0)
        return {};
    if (total > kShown)
        clashes << QStringLiteral("%1 more").arg(total - kShown);
    return QStringLiteral("catalog refused: %1. A POP sticker's link carries only its POP id, so POP ids must be"
                          " unique across all stores: renumber these POPs, or take them out of the other store's"
                          " catalog first")
        .arg(clashes.join(QStringLiteral("; ")));
}

} // namespace poptap::delivery
