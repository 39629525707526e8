#pragma once

#include "catalog.h"

#include <QString>

namespace poptap {

// What the kiosk makes of a product code a shopper scanned: a variant of this store's catalog
// that is sold out here (offer a restock request), one that is in stock (say so instead), or
// nothing it knows (offer to browse). Pure: the catalog and the code in, the answer out.
struct RestockLookup {
    enum class Outcome { Unknown, InStock, SoldOut };

    Outcome outcome = Outcome::Unknown;
    VariantRef found; // set for InStock and SoldOut

    // `productCode` is GTIN digits (ScannedCode::productCode()); anything else is Unknown.
    static RestockLookup find(const Catalog &catalog, const QString &productCode);
};

} // namespace poptap
