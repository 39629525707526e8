#pragma once

#include "chains.h"
#include "productevents.h"

#include <QHttpServer>

#include <functional>

namespace poptap::delivery {

// The merchants' API: POST /v1/events stores a product event and answers 202 once it is
// durable; GET /v1/events/<id> tells how its fan-out is going. A chain's API key
// (Authorization: Bearer) names the chain; a chain sees only its own events.
class EventsApi
{
public:
    EventsApi(ServiceDatabase &db, std::function<qint64()> now, std::function<void()> eventAccepted);
    void registerRoutes(QHttpServer &http);

private:
    QHttpServerResponse post(const QHttpServerRequest &request);
    QHttpServerResponse get(const QString &id, const QHttpServerRequest &request);
    std::optional<Chains::Chain> merchant(const QHttpServerRequest &request) const;

    Chains m_chains;
    ProductEvents m_events;
    std::function<void()> m_eventAccepted;
};

} // namespace poptap::delivery
