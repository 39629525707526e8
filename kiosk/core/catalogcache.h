#pragma once

#include "catalog.h"
#include "sqlitedatabase.h"

#include <optional>

namespace poptap {

// The catalog as last received, in SQLite, so the kiosk starts and works offline.
// Version 2 of the schema adds the store's POP stickers; version 3 stores products and
// variants as the catalog has them, so that a cached catalog loads back equal to it.
class CatalogCache
{
public:
    enum class Source { Seed, Service };

    CatalogCache();
    SqliteDatabase::OpenResult open(const QString &path);

    // Replaces the whole catalog in one transaction: readers see the old or the new one.
    // `etag` is the delivery service's for this catalog, so the next refresh can be conditional.
    QString apply(const Catalog &catalog, Source source, const QByteArray &etag = {}); // empty string on success
    std::optional<Catalog> load() const;
    std::optional<Source> source() const;
    QByteArray etag() const; // empty for a seed, or when the service sent none

private:
    SqliteDatabase m_db;
};

} // namespace poptap
