// Catalogs come from the delivery service (and seed files): a broken one is refused whole.
#include "catalog.h"

#include <cstdint>
#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray json(reinterpret_cast<const char *>(data), qsizetype(size));
    const poptap::CatalogParse parsed = poptap::parseCatalogJson(json);
    if (!parsed.errors.isEmpty() && !parsed.catalog.brands.isEmpty())
        std::abort(); // half-applied
    if (parsed.errors.isEmpty() && parsed.catalog.visibleBrands().isEmpty())
        std::abort(); // accepted a catalog a shopper could not use
    return 0;
}
