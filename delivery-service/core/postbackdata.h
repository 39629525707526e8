#pragma once

#include "registrationtoken.h"

#include <QString>

#include <optional>

namespace poptap::delivery {

// The postback the confirmation message's "stop" button sends back through the webhook:
// "v=1&action=stop&kind=1&target=12&store=101". It names a subscription, never a user:
// the user is the webhook event's signed source, so a button can only stop its own.
struct StopRequest {
    RegistrationKind kind = RegistrationKind::BrandInterest;
    std::uint32_t target = 0;
    std::int64_t storeId = 0;
    bool operator==(const StopRequest &) const = default;
};

QString postbackData(const StopRequest &request);
// nullopt with `reason` set for data the service did not write (LINE limits it to 300 characters).
std::optional<StopRequest> parseStopPostback(const QString &data, QString *reason);

// The "stop all" button of the reply to the stop keyword: "v=1&action=stopall". Like a stop
// button it acts on the webhook's signed sender only.
QString stopAllPostbackData();
bool isStopAllPostback(const QString &data);

} // namespace poptap::delivery
