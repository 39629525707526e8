#include "subscriptionsapi.h"

#include "deliverylogging.h"
#include "requestheaders.h"
#include "wire/registrationwire.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QPointer>
#include <QRegularExpression>
#include <QTcpSocket>

#include <limits>

namespace poptap::delivery {
namespace {

using Status = QHttpServerResponse::StatusCode;

// Like the claim's: a LIFF ID token is a JWT of a few hundred bytes; anything far larger is not
// worth a call to LINE.
constexpr qsizetype kMaxIdTokenChars = 8192;
constexpr qsizetype kMaxStopBodyBytes = 1024;

QHttpServerResponse error(Status status, const QString &code, const QString &message)
{
    QHttpServerResponse response(QJsonObject{{QStringLiteral("error"), code}, {QStringLiteral("message"), message}}, status);
    if (status == Status::Unauthorized)
        response.addHeader("WWW-Authenticate", "Bearer realm=\"poptap-liff\"");
    if (status == Status::ServiceUnavailable)
        response.addHeader("Retry-After", "5");
    return response;
}

QHttpServerResponse unavailable()
{
    return error(Status::ServiceUnavailable, QStringLiteral("unavailable"), QStringLiteral("please try again shortly"));
}

// Empty when the request carries no usable LIFF ID token.
QString bearerIdToken(const QHttpServerRequest &request)
{
    const QByteArray authorization = header(request, "authorization");
    if (!authorization.startsWith("Bearer "))
        return {};
    const QByteArray token = authorization.mid(7).trimmed();
    return token.size() > kMaxIdTokenChars ? QString() : QString::fromLatin1(token);
}

// A subscription's id in this API is its key without the user (whom the ID token names):
// "<kind>-<target>-<store>". The subscription table has no id column of its own.
QString subscriptionId(const StopRequest &s)
{
    return QStringLiteral("%1-%2-%3").arg(int(s.kind)).arg(s.target).arg(s.storeId);
}

std::optional<StopRequest> parseSubscriptionId(const QString &id)
{
    static const QRegularExpression pattern(QStringLiteral("^([1-3])-([0-9]{1,10})-([0-9]{1,18})$"));
    const QRegularExpressionMatch match = pattern.match(id);
    if (!match.hasMatch())
        return std::nullopt;
    const qulonglong target = match.captured(2).toULongLong();
    if (target > std::numeric_limits<std::uint32_t>::max())
        return std::nullopt;
    return StopRequest{RegistrationKind(match.captured(1).toInt()), std::uint32_t(target), match.captured(3).toLongLong()};
}

// What a stop request asks for: one subscription, or all of them; else why it cannot be read.
struct StopBody {
    std::optional<StopRequest> one;
    bool all = false;
    QString error;
};

StopBody parseStopBody(const QByteArray &body)
{
    const QString expected = QStringLiteral("a JSON object with \"subscriptionId\" (an id from GET /v1/me/subscriptions)"
                                            " or \"all\": true is required");
    if (body.size() > kMaxStopBodyBytes)
        return {{}, false, expected};
    const QJsonDocument document = QJsonDocument::fromJson(body);
    if (!document.isObject())
        return {{}, false, expected};
    const QJsonObject json = document.object();
    const bool hasId = json.contains(QLatin1String("subscriptionId"));
    const bool hasAll = json.contains(QLatin1String("all"));
    if (hasId == hasAll)
        return {{}, false, expected};
    if (hasAll) {
        if (json.value(QLatin1String("all")) != QJsonValue(true))
            return {{}, false, QStringLiteral("\"all\" must be true")};
        return {{}, true, {}};
    }
    const std::optional<StopRequest> one = parseSubscriptionId(json.value(QLatin1String("subscriptionId")).toString());
    if (!one)
        return {{}, false, QStringLiteral("\"subscriptionId\" must be a string id as GET /v1/me/subscriptions lists it")};
    return {one, false, {}};
}

} // namespace

SubscriptionsApi::SubscriptionsApi(ServiceDatabase &db, LineClient &line, Clock now)
    : m_subscriptions(db)
    , m_names(db)
    , m_stores(db)
    , m_line(line)
    , m_now(std::move(now))
{
}

void SubscriptionsApi::registerRoutes(QHttpServer &http)
{
    using Method = QHttpServerRequest::Method;
    http.route(QStringLiteral("/v1/me/subscriptions"), Method::Get,
               [this](const QHttpServerRequest &request, QHttpServerResponder &&responder) {
                   handleList(request, std::move(responder));
               });
    http.route(QStringLiteral("/v1/me/subscriptions/stop"), Method::Post,
               [this](const QHttpServerRequest &request, QHttpServerResponder &&responder) {
                   handleStop(request, std::move(responder));
               });
}

void SubscriptionsApi::handleList(const QHttpServerRequest &request, QHttpServerResponder &&responder)
{
    answerAsUser(bearerIdToken(request), std::move(responder), [this](const QString &userId) { return list(userId); });
}

void SubscriptionsApi::handleStop(const QHttpServerRequest &request, QHttpServerResponder &&responder)
{
    const QString idToken = bearerIdToken(request);
    const StopBody body = parseStopBody(request.body());
    // A body that cannot be read is refused before it costs a call to LINE (but after a missing token).
    if (!idToken.isEmpty() && !body.error.isEmpty()) {
        error(Status::BadRequest, QStringLiteral("malformed_body"), body.error).write(std::move(responder));
        return;
    }
    answerAsUser(idToken, std::move(responder), [this, body](const QString &userId) {
        return body.all ? stopAll(userId) : stopOne(userId, *body.one);
    });
}

void SubscriptionsApi::answerAsUser(const QString &idToken, QHttpServerResponder &&responder, Action act)
{
    if (idToken.isEmpty()) {
        error(Status::Unauthorized, QStringLiteral("unauthorized"),
              QStringLiteral("a LIFF ID token is required: Authorization: Bearer <idToken>"))
            .write(std::move(responder));
        return;
    }
    // As for a claim: a phone that hung up while LINE answered gets nothing written to its
    // closed socket; a stop it asked for is done all the same.
    auto pending = std::make_shared<QHttpServerResponder>(std::move(responder));
    QPointer<QTcpSocket> socket = pending->socket();
    m_line.verifyIdToken(idToken, [pending, socket, act = std::move(act)](const LineClient::IdToken &id) {
        QHttpServerResponse response =
            !id.error.isEmpty()
                ? (id.unavailable ? unavailable() : error(Status::Unauthorized, QStringLiteral("id_token_rejected"), id.error))
                : act(id.userId);
        if (socket)
            response.write(std::move(*pending));
    });
}

QHttpServerResponse SubscriptionsApi::list(const QString &userId) const
{
    QString why;
    const std::optional<QList<StopRequest>> active = m_subscriptions.active(userId, &why);
    if (!active) {
        qCCritical(lcHttp).noquote() << "subscriptions not listed:" << why;
        return unavailable();
    }
    return QHttpServerResponse(QJsonObject{{QStringLiteral("subscriptions"), describe(*active)}});
}

QHttpServerResponse SubscriptionsApi::stopOne(const QString &userId, const StopRequest &request)
{
    QString why;
    switch (m_subscriptions.ownership(userId, request, &why)) {
    case Subscriptions::Ownership::Owned: break;
    case Subscriptions::Ownership::NotOwned:
        return error(Status::NotFound, QStringLiteral("not_found"), QStringLiteral("you have no such subscription"));
    case Subscriptions::Ownership::Failed:
        qCCritical(lcHttp).noquote() << "subscription not looked up:" << why;
        return unavailable();
    }
    switch (m_subscriptions.stop(userId, request, m_now(), &why)) {
    case Subscriptions::Stop::Stopped: return stopped(userId, QStringLiteral("stopped"), {request});
    case Subscriptions::Stop::NotActive: return stopped(userId, QStringLiteral("not_active"), {});
    case Subscriptions::Stop::Failed: break;
    }
    qCCritical(lcHttp).noquote() << "subscription not stopped:" << why;
    return unavailable();
}

QHttpServerResponse SubscriptionsApi::stopAll(const QString &userId)
{
    QString why;
    const std::optional<QList<StopRequest>> done = m_subscriptions.stopAll(userId, m_now(), &why);
    if (!done) {
        qCCritical(lcHttp).noquote() << "subscriptions not stopped:" << why;
        return unavailable();
    }
    return stopped(userId, done->isEmpty() ? QStringLiteral("none") : QStringLiteral("stopped"), *done);
}

QHttpServerResponse SubscriptionsApi::stopped(const QString &userId, const QString &result,
                                              const QList<StopRequest> &stopped) const
{
    qCInfo(lcHttp).noquote() << "LIFF stop:" << result << stopped.size();
    QJsonObject body{{QStringLiteral("result"), result}, {QStringLiteral("stopped"), describe(stopped)}};
    // What is still active saves the page another round trip to LINE. Without it (the database
    // failed just now) the page drops what was stopped from the list it has.
    QString why;
    if (const std::optional<QList<StopRequest>> active = m_subscriptions.active(userId, &why))
        body.insert(QStringLiteral("subscriptions"), describe(*active));
    return QHttpServerResponse(body);
}

QJsonArray SubscriptionsApi::describe(const QList<StopRequest> &subscriptions) const
{
    QHash<std::int64_t, LocalName> stores; // a store is looked up once per answer
    QJsonArray described;
    for (const StopRequest &s : subscriptions) {
        // Names are left out when the catalog does not give one (no catalog yet, or a POP).
        QJsonObject target{{QStringLiteral("id"), qint64(s.target)}, {QStringLiteral("kind"), wire::kindName(s.kind)}};
        if (const TargetNames::Names names = m_names.of(s.kind, s.target, s.storeId); !names.isEmpty()) {
            target.insert(QStringLiteral("nameJa"), names.ja);
            target.insert(QStringLiteral("nameEn"), names.en);
        }
        if (!stores.contains(s.storeId))
            stores.insert(s.storeId, m_stores.storeName(s.storeId));
        QJsonObject store{{QStringLiteral("id"), qint64(s.storeId)}};
        if (const LocalName name = stores.value(s.storeId); !name.isEmpty()) {
            store.insert(QStringLiteral("nameJa"), name.ja);
            store.insert(QStringLiteral("nameEn"), name.en);
        }
        described.append(QJsonObject{{QStringLiteral("id"), subscriptionId(s)},
                                     {QStringLiteral("target"), target},
                                     {QStringLiteral("store"), store}});
    }
    return described;
}

} // namespace poptap::delivery
