#pragma once

#include <QString>
#include <QStringView>

#include <array>
#include <optional>

namespace poptap::lineemu {

// The LINE endpoints the emulator serves, by the names the control API and the log use.
enum class LineEndpoint {
    Verify,    // POST /oauth2/v2.1/verify (LINE Login)
    Push,      // POST /v2/bot/message/push
    Multicast, // POST /v2/bot/message/multicast
    Reply,     // POST /v2/bot/message/reply
    Profile,   // GET  /v2/bot/profile/{userId}
};

inline constexpr std::array kLineEndpoints = {LineEndpoint::Verify, LineEndpoint::Push,
                                              LineEndpoint::Multicast, LineEndpoint::Reply,
                                              LineEndpoint::Profile};

QString endpointName(LineEndpoint endpoint);
std::optional<LineEndpoint> endpointFromName(QStringView name);

// Only push and multicast (of the emulated endpoints) accept X-Line-Retry-Key.
bool acceptsRetryKey(LineEndpoint endpoint);
// The Messaging API endpoints need the channel access token; LINE Login's verify does not.
bool needsChannelAccessToken(LineEndpoint endpoint);

} // namespace poptap::lineemu
