#pragma once

#include "catalog.h"
#include "deviceregistry.h"
#include "registrationtoken.h"

#include <QHash>

namespace poptap::delivery {

// What a shopper reads for a subscription's target ("BRAND A" in Japanese and English),
// from the store's catalog. Catalogs are parsed once per ETag, not once per message.
class TargetNames
{
public:
    explicit TargetNames(ServiceDatabase &db);

    struct Names {
        QString ja;
        QString en;
        bool isEmpty() const { return ja.isEmpty(); }
    };
    // Empty when the catalog does not name it (no catalog yet, or products and POPs,
    // which the catalog does not carry yet).
    Names of(RegistrationKind kind, std::uint32_t target, std::int64_t storeId) const;

private:
    struct CachedCatalog {
        QString etag;
        Catalog catalog;
    };
    DeviceRegistry m_registry;
    mutable QHash<std::int64_t, CachedCatalog> m_catalogs;
};

} // namespace poptap::delivery
