#include "restocklookup.h"

namespace poptap {

RestockLookup RestockLookup::find(const Catalog &catalog, const QString &productCode)
{
    RestockLookup result;
    const VariantRef ref = catalog.variantByCode(productCode);
    // A product of a brand the store has switched off is not offered: the kiosk shows no
    // trace of that brand anywhere else either.
    const Brand *brand = ref ? catalog.brand(ref.product->brandId) : nullptr;
    if (!ref || !brand || !brand->enabled)
        return result;
    result.found = ref;
    result.outcome = ref.variant->inStock ? Outcome::InStock : Outcome::SoldOut;
    return result;
}

} // namespace poptap
