#pragma once

#include "deviceregistry.h"

#include <QHash>
#include <QSet>

#include <utility>

namespace poptap::delivery {

// What analytics needs of the stores' catalogs: the brand of a restock variant or of a POP,
// and the names of brands and POPs. A catalog is parsed once per ETag and only these small
// maps are kept. The catalogs are today's: a variant or POP taken out since leaves its
// figures unattributed to a brand.
class AnalyticsCatalogs
{
public:
    explicit AnalyticsCatalogs(ServiceDatabase &db);

    // Each report looks at every catalog's ETag again, once.
    void beginReport() { m_checked.clear(); }

    // The brand a registration, claim or subscription of `kind` (RegistrationKind: 1 brand,
    // 2 restock variant, 3 POP) for `target` is about; 0 when the store's catalog cannot say.
    std::uint32_t brandOf(std::int64_t storeId, int kind, std::uint32_t target);
    QString popLabel(std::int64_t storeId, std::uint32_t popId);
    // A brand's names (Japanese, English) from the first of `stores`' catalogs that has it.
    std::pair<QString, QString> brandNames(std::uint32_t brandId, const QList<std::int64_t> &stores);

private:
    struct Index {
        QString etag;
        QHash<std::uint32_t, std::uint32_t> variantBrand;
        QHash<std::uint32_t, std::pair<std::uint32_t, QString>> pops; // brand, label
        QHash<std::uint32_t, std::pair<QString, QString>> brandNames;
    };
    const Index &index(std::int64_t storeId);

    DeviceRegistry m_registry;
    QHash<std::int64_t, Index> m_indexes;
    QSet<std::int64_t> m_checked;
};

} // namespace poptap::delivery
