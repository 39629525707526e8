#pragma once

#include "catalog.h"

#include <QString>

#include <cstdint>

namespace poptap {

// The static link a POP sticker carries (DESIGN.md: "Passive POP stickers carry a static
// per-POP link; the service resolves the POP id to brand and store"):
//   https://liff.line.me/{liffId}/p/{popId}
// Path-based like the registration link /r/{token}, because LIFF loses query parameters
// in its liff.state redirect. A sticker cannot be rewritten once it is locked and has no
// token to carry, so only the LIFF flow can serve it: other templates give no link.
struct PopLink {
    enum class Problem {
        None,
        NotLiff,       // the kiosk's link template is oamessage, friend or another non-LIFF one
        InvalidLiffId, // the catalog's LIFF id is missing or malformed
    };
    QString link;     // fully encoded; empty when problem != None
    Problem problem = Problem::None;
    QString error;    // for the log and the automation interface
};

// `templateText` is what the kiosk uses for registration links: kiosk.conf's link-template,
// or the catalog's when that is empty. `popId` is a catalog id (1 and up).
PopLink popLink(const QString &templateText, const LinkSettings &settings, std::uint32_t popId);

} // namespace poptap
