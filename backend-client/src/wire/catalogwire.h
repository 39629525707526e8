#pragma once

#include <QByteArray>
#include <QByteArrayView>

namespace poptap::wire {

// GET /v1/catalog. The body is the catalog JSON both sides parse with parseCatalogJson
// (catalog.h); this protocol adds only its size cap and the conditional-GET rules.
inline constexpr qsizetype kMaxCatalogBytes = 8 * 1024 * 1024;

// Strong entity tag of a catalog body: "\"" + base64url(SHA-256(body)) + "\"". Any strong
// validator works; this one lets service replicas agree without shared state.
QByteArray catalogETag(QByteArrayView body);

// If-None-Match evaluation (RFC 9110, 13.1.2): true when the request's header lists `etag`
// (weak comparison) or is "*"; then the service answers 304. Garbage never matches.
bool ifNoneMatchHits(QByteArrayView ifNoneMatch, QByteArrayView etag);

} // namespace poptap::wire
