#pragma once

#include "wire/enrollmentwire.h"
#include "wire/registrationwire.h"

#include <QList>
#include <QNetworkAccessManager>

#include <optional>
#include <utility>

namespace poptap::bench {

class BenchServer;

// What an enrolled kiosk holds and does towards the service: sign its requests with its
// own request secret, and issue registration tokens with the key enrollment gave it.
// Const after enrollment, so the load thread may use it.
struct BenchKiosk {
    wire::EnrollmentResponse enrolled;

    // The X-PopTap-* headers for this request, signed now with a fresh nonce.
    QList<std::pair<QByteArray, QByteArray>> sign(const QByteArray &method, const QByteArray &path,
                                                  const QByteArray &body) const;
    // An intent as the kiosk's outbox holds it, its token made as the kiosk makes one:
    // brand interest, issued now, under the device key. `sequence` must be unique per kiosk.
    wire::RegistrationIntent intent(std::uint32_t sequence, std::uint32_t brandId) const;
};

// Enrolls a kiosk the way staff do: the operator creates a one-time code, the kiosk sends
// it with its local key to POST /v1/enrollments. `localKeyId` must differ per kiosk.
std::optional<BenchKiosk> enrollKiosk(BenchServer &server, QNetworkAccessManager &network, std::uint32_t localKeyId,
                                      QString *error);

// Brand ids of the demo catalog the kiosks cycle through (1 .. kDemoBrands).
inline constexpr std::uint32_t kDemoBrands = 45;

} // namespace poptap::bench
