#include "lineendpoint.h"

namespace poptap::lineemu {

QString endpointName(LineEndpoint endpoint)
{
    switch (endpoint) {
    case LineEndpoint::Verify:
        return QStringLiteral("verify");
    case LineEndpoint::Push:
        return QStringLiteral("push");
    case LineEndpoint::Multicast:
        return QStringLiteral("multicast");
    case LineEndpoint::Reply:
        return QStringLiteral("reply");
    case LineEndpoint::Profile:
        return QStringLiteral("profile");
    }
    return {};
}

std::optional<LineEndpoint> endpointFromName(QStringView name)
{
    for (LineEndpoint endpoint : kLineEndpoints) {
        if (endpointName(endpoint) == name)
            return endpoint;
    }
    return std::nullopt;
}

bool acceptsRetryKey(LineEndpoint endpoint)
{
    return endpoint == LineEndpoint::Push || endpoint == LineEndpoint::Multicast;
}

bool needsChannelAccessToken(LineEndpoint endpoint)
{
    return endpoint != LineEndpoint::Verify;
}

} // namespace poptap::lineemu
