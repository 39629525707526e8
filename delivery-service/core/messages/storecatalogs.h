#pragma once

#include "messagetexts.h"
#include "servicedatabase.h"

#include "catalog.h"
#include "deviceregistry.h"

#include <QHash>

#include <memory>

namespace poptap::delivery {

// The stores' catalogs as their kiosks have them, parsed once per ETag rather than once per
// message, and the stores' names: where a message's brand, product, colour and size names
// come from.
class StoreCatalogs
{
public:
    explicit StoreCatalogs(ServiceDatabase &db);

    // Null when the store has no catalog (yet).
    std::shared_ptr<const Catalog> catalog(std::int64_t storeId) const;
    // Empty for a store the service does not know.
    LocalName storeName(std::int64_t storeId) const;

private:
    struct Cached {
        QString etag;
        std::shared_ptr<const Catalog> catalog;
    };
    ServiceDatabase &m_db;
    DeviceRegistry m_registry;
    mutable QHash<std::int64_t, Cached> m_catalogs;
};

} // namespace poptap::delivery
