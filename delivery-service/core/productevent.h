#pragma once

#include <QByteArray>
#include <QString>
#include <QStringList>
#include <QUrl>

#include <cstdint>
#include <optional>

namespace poptap::delivery {

// A product event as a merchant posts it to POST /v1/events (docs: delivery-service README):
//   {"eventId": "...", "type": "new_arrival", "brandId": 7, "storeId": 101?, "product": {...}}
//   {"eventId": "...", "type": "restock", "variantId": 100102, "storeId": 101, "product": {...}}
// product: {"nameJa", "nameEn"?, "imageUrl" (https), "priceYen"?, "url" (https)}.
struct ProductEvent {
    enum class Kind { NewArrival = 1, Restock = 2 }; // the subscription kinds they reach
    QString merchantEventId;
    Kind kind = Kind::NewArrival;
    std::uint32_t target = 0;             // brand id (new arrival) or variant id (restock)
    std::optional<std::int64_t> storeId;  // required for a restock; none: chain-wide
    QString productNameJa;
    QString productNameEn;                // may be empty: the Japanese name is used
    QUrl imageUrl;
    std::optional<qint64> priceYen;       // tax included
    QUrl productUrl;                      // where the tracked link forwards to
};

struct ProductEventParse {
    std::optional<ProductEvent> event;
    QStringList errors; // one per bad field, naming it
};

// Checks everything that can be checked without the database: types, lengths, https URLs.
ProductEventParse parseProductEvent(const QByteArray &body);
// The canonical JSON stored with the event (and compared when a merchant repeats an eventId).
QByteArray toJson(const ProductEvent &event);

} // namespace poptap::delivery
