#pragma once

#include "analytics/analytics.h"

#include <QHttpServer>

#include <memory>

namespace poptap::delivery {

// A merchant's analytics over HTTP, with the chain's API key (Authorization: Bearer <key>):
//   GET /v1/analytics?from=YYYY-MM-DD&to=YYYY-MM-DD[&groupBy=store,brand,day][&format=csv]
//   GET /v1/usage[?from=YYYY-MM&to=YYYY-MM][&format=csv]
// JSON by default; CSV with format=csv or Accept: text/csv. groupBy defaults to day; usage
// to the last twelve months. A chain sees only its own figures.
class AnalyticsApi
{
public:
    AnalyticsApi(ServiceDatabase &db, const QString &timeZone);

    // The routes keep the API alive as long as the server keeps them.
    static void registerRoutes(QHttpServer &http, const std::shared_ptr<AnalyticsApi> &api);

    QHttpServerResponse report(const QHttpServerRequest &request);
    QHttpServerResponse usage(const QHttpServerRequest &request);

private:
    struct Caller {
        std::optional<Chains::Chain> chain;
        std::optional<QHttpServerResponse> refusal;
    };
    Caller authenticate(const QHttpServerRequest &request) const;

    Chains m_chains;
    Analytics m_analytics;
};

} // namespace poptap::delivery
