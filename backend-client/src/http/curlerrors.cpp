#include "curlerrors.h"

#include <curl/curl.h>

namespace poptap::http {

TransportError classifyCurlOutcome(const CurlOutcome &outcome)
{
    const auto code = CURLcode(outcome.curlCode);
    if (code == CURLE_OK)
        return TransportError::None;
    if (outcome.bodyTooLarge || code == CURLE_FILESIZE_EXCEEDED)
        return TransportError::TooLarge;
    // A proxy that refuses the tunnel surfaces as a receive error; its CONNECT status tells.
    if (outcome.proxyConnectStatus >= 300)
        return TransportError::Proxy;

    switch (code) {
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_CONNECT:
        return TransportError::Connect;
    case CURLE_COULDNT_RESOLVE_PROXY:
    case CURLE_PROXY:
        return TransportError::Proxy;
    case CURLE_OPERATION_TIMEDOUT:
        return TransportError::Timeout;
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_CIPHER:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
    case CURLE_SSL_ENGINE_NOTFOUND:
    case CURLE_SSL_ENGINE_SETFAILED:
    case CURLE_SSL_ENGINE_INITFAILED:
    case CURLE_SSL_CRL_BADFILE:
    case CURLE_SSL_ISSUER_ERROR:
    case CURLE_SSL_INVALIDCERTSTATUS:
    case CURLE_SSL_SHUTDOWN_FAILED:
    case CURLE_SSL_CLIENTCERT:
    case CURLE_USE_SSL_FAILED:
        return TransportError::Tls;
    // The exchange broke off or made no sense. (With TLS 1.3 a server that refuses the client's
    // certificate may only hang up after the handshake, which looks like this too.)
    case CURLE_RECV_ERROR:
    case CURLE_SEND_ERROR:
    case CURLE_WEIRD_SERVER_REPLY:
    case CURLE_GOT_NOTHING:
    case CURLE_PARTIAL_FILE:
    case CURLE_HTTP2:
    case CURLE_HTTP2_STREAM:
    case CURLE_HTTP3:
    case CURLE_BAD_CONTENT_ENCODING:
    case CURLE_UNSUPPORTED_PROTOCOL: // a reply without a status line (HTTP/0.9); schemes are checked before
        return TransportError::Protocol;
    default:
        return TransportError::Other;
    }
}

} // namespace poptap::http
