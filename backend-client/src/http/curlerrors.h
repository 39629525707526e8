#pragma once

#include "httptransport.h"

namespace poptap::http {

// What went wrong with a finished transfer, in the transport's terms rather than libcurl's.
struct CurlOutcome {
    int curlCode = 0;            // CURLcode
    long proxyConnectStatus = 0; // the proxy's answer to CONNECT, 0 when none was asked
    bool bodyTooLarge = false;   // our write callback refused the body
    QString message;             // curl's error buffer, or its generic text
};

TransportError classifyCurlOutcome(const CurlOutcome &outcome);

} // namespace poptap::http
