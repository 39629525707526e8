#pragma once

#include <QJsonObject>
#include <QString>

namespace poptap::test {

// resources/catalog/demo-catalog.json of the source tree.
QString demoCatalogPath();
QJsonObject demoCatalog();

// A catalog in the demo's schema with `brandCount` brands (ids 1..brandCount, all
// enabled, display order shuffled deterministically), reusing the demo's store, link
// settings and logo file names in turn, so the kiosk's built-in logos resolve.
QJsonObject generatedCatalog(int brandCount);
// Writes generatedCatalog(brandCount) to `path`; returns an error or an empty string.
QString writeGeneratedCatalog(const QString &path, int brandCount);

} // namespace poptap::test
