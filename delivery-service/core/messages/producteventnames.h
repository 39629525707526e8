#pragma once

#include "productmessages.h"
#include "storecatalogs.h"

#include "chains.h"

namespace poptap::delivery {

// Fills ProductEventNames from the catalogs the chain's kiosks show: the brand (for a
// restock, the brand of the variant's product), the variant's colour and size, the store.
class ProductEventNamer
{
public:
    explicit ProductEventNamer(ServiceDatabase &db);

    // nullopt with `error` set when the catalog does not know the brand or variant (or the
    // store has no catalog yet): such an event cannot be worded.
    std::optional<ProductEventNames> names(const ProductEvent &event, std::int64_t chainId, QString *error) const;

private:
    std::optional<ProductEventNames> restockNames(const ProductEvent &event, QString *error) const;
    std::optional<ProductEventNames> newArrivalNames(const ProductEvent &event, std::int64_t chainId, QString *error) const;

    StoreCatalogs m_catalogs;
    Chains m_chains;
};

} // namespace poptap::delivery
