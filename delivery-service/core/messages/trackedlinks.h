#pragma once

#include "servicedatabase.h"

#include <QString>
#include <QUrl>

#include <cstdint>
#include <optional>

namespace poptap::delivery {

// The links in product messages point at this service (<public-url>/c/<id>), which counts
// the click and forwards to the product page (server/clickredirects.h). The id is 96 random
// bits, so links cannot be guessed or enumerated.
inline constexpr int kTrackedLinkIdLength = 16; // base64url characters

// Stores a link to `target` (http or https) and returns its id, or an empty string with
// `error` set. Runs on the caller's connection, so inside the caller's transaction if one is
// open. Asked again for the same event, store and target (a fan-out resumed after a crash),
// it returns the link it made before, so that clicks are not split between two ids.
QString createTrackedLink(ServiceDatabase &db, const QString &eventId, std::int64_t chainId,
                          std::optional<std::int64_t> storeId, std::uint32_t brandId, const QUrl &target, QString *error);

// The URL a message carries: publicUrl + "/c/" + id.
QString trackedLinkUrl(const QString &publicUrl, const QString &id);

// True for text shaped like an id createTrackedLink returns (checked before any lookup).
bool isTrackedLinkId(QStringView id);

} // namespace poptap::delivery
