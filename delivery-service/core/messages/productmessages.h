#pragma once

#include "messagetemplate.h"
#include "productevent.h"

#include <QJsonArray>
#include <QJsonObject>

namespace poptap::delivery {

// The names a product event's message needs that the event itself does not carry, from the
// store's catalog (producteventnames.h) or wherever the caller has them.
struct ProductEventNames {
    std::uint32_t brandId = 0; // for analytics: a restock's is the brand of the variant's product
    LocalName brand;
    LocalName colour;  // restock only
    QString size;      // restock only: as printed on the tag ("M", "26.5")
    LocalName store;   // empty for a chain-wide new arrival
};

struct ProductEventContext {
    const ProductEvent &event;
    ProductEventNames names;
    QString trackedUrl; // <public-url>/c/<id> (trackedlinks.h); empty: the event's own product URL
};

// The LINE messages for one product event, the same for every recipient: one Flex bubble
// with the product image, brand (restock), product name, colour and size (restock), the
// tax-included price when known, the store when there is one, and a button opening the
// tracked link; its altText is the notification. Names too long for LINE's limits are cut.
QJsonArray productEventMessages(const ProductEventContext &context, const MessageTemplate &wording);

} // namespace poptap::delivery
