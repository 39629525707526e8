#pragma once

#include "messages/storecatalogs.h"
#include "registrationtoken.h"

namespace poptap::delivery {

// What a shopper reads for a subscription's target, in Japanese and English, from the store's
// catalog: the brand ("クモ テーラーズ"), or for a restock request the brand, product, colour
// and size ("クモ テーラーズ オックスフォードシャツ（ネイビー / M）"), from StoreCatalogs.
class TargetNames
{
public:
    explicit TargetNames(ServiceDatabase &db);

    struct Names {
        QString ja;
        QString en;
        bool isEmpty() const { return ja.isEmpty(); }
    };
    // A POP is named by its brand. Empty when the catalog does not name it (no catalog yet, or
    // an id it does not have).
    Names of(RegistrationKind kind, std::uint32_t target, std::int64_t storeId) const;

private:
    StoreCatalogs m_catalogs;
};

} // namespace poptap::delivery
