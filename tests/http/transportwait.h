#pragma once

#include "http/httptransport.h"

#include <QEventLoop>
#include <QTimer>

#include <chrono>
#include <optional>

// Sends one request and runs the event loop until its callback has run, for at most `timeout`.
// Empty when the callback did not come.
inline std::optional<poptap::http::HttpResponse> sendAndWait(poptap::http::HttpTransport &transport,
                                                             poptap::http::HttpRequest request,
                                                             std::chrono::milliseconds timeout = std::chrono::seconds(10))
{
    std::optional<poptap::http::HttpResponse> result;
    QEventLoop loop; // also the callback's context: gone with this frame if the timeout fires
    QTimer::singleShot(timeout, &loop, &QEventLoop::quit);
    transport.send(std::move(request), &loop, [&](poptap::http::HttpResponse response) {
        result = std::move(response);
        loop.quit();
    });
    loop.exec();
    return result;
}

inline poptap::http::HttpRequest getRequest(const QUrl &url)
{
    return {"GET", url, {}, {}};
}

// The proxy variables a developer's or CI's shell may carry would reroute loopback requests.
inline void clearProxyEnvironment()
{
    for (const char *name : {"http_proxy", "https_proxy", "HTTPS_PROXY", "HTTP_PROXY", "all_proxy", "ALL_PROXY",
                             "no_proxy", "NO_PROXY"})
        qunsetenv(name);
}
