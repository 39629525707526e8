#include "analyticsapi.h"

#include "analytics/analyticsformat.h"
#include "requestheaders.h"

#include <QDateTime>
#include <QUrlQuery>

namespace poptap::delivery {
namespace {

using Status = QHttpServerResponse::StatusCode;

QHttpServerResponse error(Status status, const QString &code, const QString &message)
{
    QHttpServerResponse response(QJsonObject{{QStringLiteral("error"), code}, {QStringLiteral("message"), message}}, status);
    if (status == Status::Unauthorized)
        response.addHeader("WWW-Authenticate", "Bearer realm=\"poptap-merchant\"");
    if (status == Status::ServiceUnavailable)
        response.addHeader("Retry-After", "5");
    return response;
}

QHttpServerResponse badParameter(const QString &message)
{
    return error(Status::BadRequest, QStringLiteral("invalid_parameter"), message);
}

// The query's parameters, each at most once and each one the route knows; else why not.
std::optional<QHash<QString, QString>> parameters(const QHttpServerRequest &request, const QStringList &known,
                                                  QString *problem)
{
    QHash<QString, QString> values;
    for (const auto &[name, value] : request.query().queryItems(QUrl::FullyDecoded)) {
        if (!known.contains(name)) {
            *problem = QStringLiteral("unknown parameter '%1' (known: %2)").arg(name, known.join(QStringLiteral(", ")));
            return std::nullopt;
        }
        if (values.contains(name)) {
            *problem = QStringLiteral("parameter '%1' given more than once").arg(name);
            return std::nullopt;
        }
        values.insert(name, value);
    }
    return values;
}

// format=csv|json decides; without it, an Accept header that names text/csv asks for CSV.
std::optional<bool> wantsCsv(const QHttpServerRequest &request, const QHash<QString, QString> &query)
{
    if (query.contains(QStringLiteral("format"))) {
        const QString format = query.value(QStringLiteral("format"));
        if (format == QLatin1String("csv"))
            return true;
        if (format == QLatin1String("json"))
            return false;
        return std::nullopt;
    }
    return header(request, "accept").toLower().contains("text/csv");
}

QHttpServerResponse csv(const QByteArray &body, const QString &fileName)
{
    // Chain codes are the operator's text: only safe characters go into the header.
    QByteArray safeName;
    for (const QChar c : fileName) {
        const bool safe = c.unicode() < 0x80 && (c.isLetterOrNumber() || c == u'.' || c == u'_' || c == u'-');
        safeName += safe ? char(c.unicode()) : '-';
    }
    QHttpServerResponse response("text/csv; charset=utf-8; header=present", body);
    response.addHeader("Content-Disposition", "attachment; filename=\"" + safeName + '"');
    response.addHeader("Cache-Control", "no-store");
    return response;
}

QHttpServerResponse json(const QJsonObject &body)
{
    QHttpServerResponse response(body);
    response.addHeader("Cache-Control", "no-store");
    return response;
}

template <typename T>
std::optional<QHttpServerResponse> refusalOf(const Analytics::Outcome<T> &outcome)
{
    switch (outcome.problem) {
    case Analytics::Problem::None: return std::nullopt;
    case Analytics::Problem::BadRange: return badParameter(outcome.message);
    case Analytics::Problem::UnknownChain:
        return error(Status::Unauthorized, QStringLiteral("unauthorized"), QStringLiteral("this API key's chain is gone"));
    case Analytics::Problem::Unavailable: break;
    }
    return error(Status::ServiceUnavailable, QStringLiteral("unavailable"), QStringLiteral("the figures could not be read; try again"));
}

} // namespace

AnalyticsApi::AnalyticsApi(ServiceDatabase &db, const QString &timeZone)
    : m_chains(db)
    , m_analytics(db, timeZone, [] { return QDateTime::currentMSecsSinceEpoch(); })
{
}

void AnalyticsApi::registerRoutes(QHttpServer &http, const std::shared_ptr<AnalyticsApi> &api)
{
    using Method = QHttpServerRequest::Method;
    http.route(QStringLiteral("/v1/analytics"), Method::Get, [api](const QHttpServerRequest &r) { return api->report(r); });
    http.route(QStringLiteral("/v1/usage"), Method::Get, [api](const QHttpServerRequest &r) { return api->usage(r); });
}

AnalyticsApi::Caller AnalyticsApi::authenticate(const QHttpServerRequest &request) const
{
    const QByteArray authorization = header(request, "authorization");
    std::optional<Chains::Chain> chain;
    if (authorization.startsWith("Bearer "))
        chain = m_chains.byApiKey(QString::fromUtf8(authorization.mid(7).trimmed()));
    if (!chain)
        return {std::nullopt, error(Status::Unauthorized, QStringLiteral("unauthorized"),
                                    QStringLiteral("a chain's API key is required: Authorization: Bearer <key>"))};
    return {chain, std::nullopt};
}

QHttpServerResponse AnalyticsApi::report(const QHttpServerRequest &request)
{
    Caller caller = authenticate(request);
    if (caller.refusal)
        return std::move(*caller.refusal);
    QString problem;
    const auto query = parameters(request, {QStringLiteral("from"), QStringLiteral("to"), QStringLiteral("groupBy"),
                                            QStringLiteral("format")},
                                  &problem);
    if (!query)
        return badParameter(problem);
    const std::optional<QDate> from = parseDay(query->value(QStringLiteral("from")));
    const std::optional<QDate> to = parseDay(query->value(QStringLiteral("to")));
    if (!from || !to)
        return badParameter(QStringLiteral("from and to must be days, YYYY-MM-DD"));
    const auto groupBy = parseDimensions(query->value(QStringLiteral("groupBy"), QStringLiteral("day")), &problem);
    if (!groupBy)
        return badParameter(problem);
    const std::optional<bool> asCsv = wantsCsv(request, *query);
    if (!asCsv)
        return badParameter(QStringLiteral("format must be json or csv"));

    const auto outcome = m_analytics.report(caller.chain->id, *from, *to, *groupBy);
    if (auto refusal = refusalOf(outcome))
        return std::move(*refusal);
    if (*asCsv)
        return csv(toCsv(toTable(*outcome.value)),
                   QStringLiteral("poptap-%1-%2_%3.csv")
                       .arg(caller.chain->code, from->toString(Qt::ISODate), to->toString(Qt::ISODate)));
    return json(toJson(*outcome.value));
}

QHttpServerResponse AnalyticsApi::usage(const QHttpServerRequest &request)
{
    Caller caller = authenticate(request);
    if (caller.refusal)
        return std::move(*caller.refusal);
    QString problem;
    const auto query = parameters(request, {QStringLiteral("from"), QStringLiteral("to"), QStringLiteral("format")},
                                  &problem);
    if (!query)
        return badParameter(problem);
    auto [from, to] = m_analytics.lastTwelveMonths();
    for (auto [name, month] : {std::pair{QStringLiteral("from"), &from}, std::pair{QStringLiteral("to"), &to}}) {
        if (!query->contains(name))
            continue;
        const std::optional<QDate> given = parseMonth(query->value(name));
        if (!given)
            return badParameter(QStringLiteral("%1 must be a month, YYYY-MM").arg(name));
        *month = *given;
    }
    const std::optional<bool> asCsv = wantsCsv(request, *query);
    if (!asCsv)
        return badParameter(QStringLiteral("format must be json or csv"));

    const auto outcome = m_analytics.usage(caller.chain->id, from, to);
    if (auto refusal = refusalOf(outcome))
        return std::move(*refusal);
    if (*asCsv)
        return csv(toCsv(toTable(*outcome.value)),
                   QStringLiteral("poptap-%1-usage-%2_%3.csv").arg(caller.chain->code, outcome.value->from, outcome.value->to));
    return json(toJson(*outcome.value));
}

} // namespace poptap::delivery
