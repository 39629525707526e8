#pragma once

#include "catalog.h"
#include "deviceregistry.h"

#include <QHash>
#include <QList>
#include <QSet>

#include <cstdint>
#include <optional>

namespace poptap::delivery {

// Where each POP sticker is: its store and brand, from the stores' catalogs (DESIGN.md: "the
// service resolves the POP id to brand and store").
//
// A sticker's link, https://liff.line.me/{liffId}/p/{popId}, names no store, and a locked
// sticker cannot be rewritten. So a POP id must name one POP across the whole service, not
// only within one catalog (which is all the kiosk's parser checks): DeviceRegistry::setCatalog
// refuses a catalog with a POP id that another store's catalog has (conflicts()). Catalogs
// stored before that rule, or two uploads racing, could still share an id; find() then refuses
// it rather than guess a store, so a sticker never subscribes anyone to the wrong shop.
//
// Only the POPs of each catalog are kept, re-read when the store's catalog ETag changes.
class PopDirectory
{
public:
    explicit PopDirectory(ServiceDatabase &db);

    struct Place {
        std::int64_t storeId = 0;
        std::uint32_t popId = 0;
        std::uint32_t brandId = 0;
        QString label; // where staff put it; may be empty
    };
    struct Lookup {
        std::optional<Place> place;
        QString problem;          // why there is none, for logs and the API's message
        bool unavailable = false; // the database did not answer: worth a retry, unlike an unknown POP
    };
    Lookup find(std::uint32_t popId);

    // What refuses `catalog` as `storeId`'s new catalog: the POP ids other stores' catalogs
    // already have, worded for the operator. Empty when there are none.
    QString conflicts(std::int64_t storeId, const Catalog &catalog);

private:
    struct StoreIndex {
        QString etag;
        QHash<std::uint32_t, Pop> pops;
        QSet<std::uint32_t> brands;
    };
    // Brings the index in line with the stored catalogs' ETags; false (with `error`) when the
    // database did not answer.
    bool refresh(QString *error);

    ServiceDatabase &m_db;
    DeviceRegistry m_registry;
    QHash<std::int64_t, StoreIndex> m_stores;
    QHash<std::uint32_t, QList<std::int64_t>> m_owners; // POP id → stores whose catalog has it
};

} // namespace poptap::delivery
