#include "eventsapi.h"

#include "requestheaders.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonObject>

namespace poptap::delivery {
namespace {

using Status = QHttpServerResponse::StatusCode;

QHttpServerResponse error(Status status, const QString &code, const QString &message, const QJsonArray &details = {})
{
    QJsonObject body{{QStringLiteral("error"), code}, {QStringLiteral("message"), message}};
    if (!details.isEmpty())
        body.insert(QStringLiteral("details"), details);
    QHttpServerResponse response(body, status);
    if (status == Status::Unauthorized)
        response.addHeader("WWW-Authenticate", "Bearer realm=\"poptap-merchant\"");
    if (status == Status::ServiceUnavailable)
        response.addHeader("Retry-After", "5");
    return response;
}

} // namespace

EventsApi::EventsApi(ServiceDatabase &db, std::function<qint64()> now, std::function<void()> eventAccepted)
    : m_chains(db)
    , m_events(db, std::move(now))
    , m_eventAccepted(std::move(eventAccepted))
{
}

void EventsApi::registerRoutes(QHttpServer &http)
{
    using Method = QHttpServerRequest::Method;
    http.route(QStringLiteral("/v1/events"), Method::Post, [this](const QHttpServerRequest &r) { return post(r); });
    http.route(QStringLiteral("/v1/events/<arg>"), Method::Get,
               [this](const QString &id, const QHttpServerRequest &r) { return get(id, r); });
}

std::optional<Chains::Chain> EventsApi::merchant(const QHttpServerRequest &request) const
{
    const QByteArray authorization = header(request, "authorization");
    if (!authorization.startsWith("Bearer "))
        return std::nullopt;
    return m_chains.byApiKey(QString::fromUtf8(authorization.mid(7).trimmed()));
}

QHttpServerResponse EventsApi::post(const QHttpServerRequest &request)
{
    const std::optional<Chains::Chain> chain = merchant(request);
    if (!chain)
        return error(Status::Unauthorized, QStringLiteral("unauthorized"),
                     QStringLiteral("a chain's API key is required: Authorization: Bearer <key>"));
    const ProductEventParse parsed = parseProductEvent(request.body());
    if (!parsed.event)
        return error(Status::BadRequest, QStringLiteral("invalid_event"), parsed.errors.first(),
                     QJsonArray::fromStringList(parsed.errors));
    const ProductEvents::Submitted submitted = m_events.submit(*chain, *parsed.event);
    const QJsonObject accepted{{QStringLiteral("id"), submitted.id},
                               {QStringLiteral("eventId"), parsed.event->merchantEventId},
                               {QStringLiteral("status"), toString(submitted.outcome)}};
    switch (submitted.outcome) {
    case ProductEvents::Outcome::Accepted:
        m_eventAccepted();
        return QHttpServerResponse(accepted, Status::Accepted);
    case ProductEvents::Outcome::Repeated:
        return QHttpServerResponse(accepted, Status::Ok);
    case ProductEvents::Outcome::Conflict:
        return error(Status::Conflict, toString(submitted.outcome), submitted.message);
    case ProductEvents::Outcome::Unknown:
        return error(Status::UnprocessableEntity, toString(submitted.outcome), submitted.message);
    case ProductEvents::Outcome::Failed:
        break;
    }
    return error(Status::ServiceUnavailable, QStringLiteral("storage"), QStringLiteral("the event was not stored; send it again"));
}

QHttpServerResponse EventsApi::get(const QString &id, const QHttpServerRequest &request)
{
    const std::optional<Chains::Chain> chain = merchant(request);
    if (!chain)
        return error(Status::Unauthorized, QStringLiteral("unauthorized"),
                     QStringLiteral("a chain's API key is required: Authorization: Bearer <key>"));
    const std::optional<ProductEvents::Progress> progress = m_events.progress(chain->id, id);
    if (!progress)
        return error(Status::NotFound, QStringLiteral("not_found"), QStringLiteral("no such event for this chain"));
    QJsonObject recipients;
    for (auto it = progress->recipients.cbegin(); it != progress->recipients.cend(); ++it)
        recipients.insert(it.key(), it.value());
    return QHttpServerResponse(QJsonObject{{QStringLiteral("id"), progress->id},
                                           {QStringLiteral("eventId"), progress->merchantEventId},
                                           {QStringLiteral("state"), progress->state},
                                           {QStringLiteral("recipients"), recipients},
                                           {QStringLiteral("delivered"), progress->delivered},
                                           {QStringLiteral("failed"), progress->failed},
                                           {QStringLiteral("batches"),
                                            QJsonObject{{QStringLiteral("pending"), progress->batchesPending},
                                                        {QStringLiteral("sent"), progress->batchesSent},
                                                        {QStringLiteral("failed"), progress->batchesFailed}}}});
}

} // namespace poptap::delivery
