// The emulator's control API under /_emulator (README.md): what tests in other processes
// and the demo use to make tokens, inject faults, send webhooks and read the log.

#include "lineemulator.h"

#include <QHttpServerRequest>
#include <QHttpServerResponder>
#include <QHttpServerResponse>
#include <QJsonDocument>
#include <QPointer>
#include <QTcpSocket>
#include <QUrlQuery>

#include <memory>

namespace poptap::lineemu {

namespace {

using Method = QHttpServerRequest::Method;
using Status = QHttpServerResponder::StatusCode;

QHttpServerResponse badRequest(const QString &message)
{
    return QHttpServerResponse(QJsonObject{{QStringLiteral("message"), message}}, Status::BadRequest);
}

// An empty body reads as {}; anything else must be a JSON object.
std::optional<QJsonObject> objectBody(const QHttpServerRequest &request)
{
    const QByteArray body = request.body().trimmed();
    if (body.isEmpty())
        return QJsonObject{};
    const QJsonDocument document = QJsonDocument::fromJson(body);
    if (!document.isObject())
        return std::nullopt;
    return document.object();
}

QJsonObject rateLimitsJson(const LineEmulator &emulator)
{
    QJsonObject limits;
    for (LineEndpoint endpoint : kLineEndpoints)
        limits.insert(endpointName(endpoint), emulator.rateLimit(endpoint));
    return limits;
}

QJsonObject userJson(const LineUser &user)
{
    QJsonObject json = user.toJson();
    json.insert(QStringLiteral("friend"), user.isFriend);
    return json;
}

std::optional<WebhookEventSpec> eventSpec(const QJsonObject &json, QString *error)
{
    const auto type = webhookEventTypeFromName(json.value(u"type").toString());
    if (!type) {
        *error = QStringLiteral("event type must be follow, unfollow, message or postback");
        return std::nullopt;
    }
    WebhookEventSpec spec;
    spec.type = *type;
    spec.userId = json.value(u"userId").toString();
    spec.isUnblocked = json.value(u"isUnblocked").toBool();
    spec.text = json.value(u"text").toString();
    spec.data = json.value(u"data").toString();
    spec.params = json.value(u"params").toObject();
    spec.mode = json.value(u"mode").toString(QStringLiteral("active"));
    spec.webhookEventId = json.value(u"webhookEventId").toString();
    spec.replyToken = json.value(u"replyToken").toString();
    spec.timestampMs = json.value(u"timestamp").toInteger();
    return spec;
}

} // namespace

void LineEmulator::registerControlRoutes()
{
    m_server.route(QStringLiteral("/_emulator/config"), Method::Get, [this] {
        return QHttpServerResponse(QJsonObject{{QStringLiteral("baseUrl"), baseUrl().toString()},
                                               {QStringLiteral("channelId"), m_config.channelId},
                                               {QStringLiteral("botUserId"), m_botUserId},
                                               {QStringLiteral("rateLimits"), rateLimitsJson(*this)}});
    });

    m_server.route(QStringLiteral("/_emulator/id-tokens"), Method::Post, [this](const QHttpServerRequest &request) {
        const auto body = objectBody(request);
        if (!body)
            return badRequest(QStringLiteral("body must be a JSON object"));
        IdTokenClaims claims;
        claims.userId = body->value(u"userId").toString();
        claims.channelId = body->value(u"channelId").toString();
        claims.nonce = body->value(u"nonce").toString();
        claims.name = body->value(u"name").toString();
        claims.picture = body->value(u"picture").toString();
        claims.email = body->value(u"email").toString();
        claims.issuedAt = m_clock.now();
        // A negative lifetime makes a token that has already expired.
        claims.expiresAt = claims.issuedAt.addSecs(body->value(u"expiresIn").toInteger(3600));
        if (!claims.userId.isEmpty() && !claims.userId.startsWith(u'U'))
            return badRequest(QStringLiteral("userId must be a LINE user ID (U + 32 hex)"));
        IdTokenClaims issued;
        const QString token = issueIdToken(claims, &issued);
        return QHttpServerResponse(QJsonObject{{QStringLiteral("idToken"), token},
                                               {QStringLiteral("userId"), issued.userId},
                                               {QStringLiteral("channelId"), issued.channelId},
                                               {QStringLiteral("iat"), issued.issuedAt.toSecsSinceEpoch()},
                                               {QStringLiteral("exp"), issued.expiresAt.toSecsSinceEpoch()}});
    });

    m_server.route(QStringLiteral("/_emulator/users"), Method::Post, [this](const QHttpServerRequest &request) {
        const auto body = objectBody(request);
        if (!body)
            return badRequest(QStringLiteral("body must be a JSON object"));
        LineUser user;
        user.userId = body->value(u"userId").toString();
        user.displayName = body->value(u"displayName").toString();
        user.pictureUrl = body->value(u"pictureUrl").toString();
        user.statusMessage = body->value(u"statusMessage").toString();
        user.language = body->value(u"language").toString();
        user.isFriend = body->value(u"friend").toBool(true);
        return QHttpServerResponse(userJson(addUser(user)));
    });

    m_server.route(QStringLiteral("/_emulator/users/<arg>"), Method::Get, [this](const QString &userId) {
        const std::optional<LineUser> found = user(userId);
        if (!found)
            return QHttpServerResponse(QJsonObject{{QStringLiteral("message"), QStringLiteral("no such user")}},
                                       Status::NotFound);
        return QHttpServerResponse(userJson(*found));
    });

    m_server.route(QStringLiteral("/_emulator/reply-tokens"), Method::Post, [this](const QHttpServerRequest &request) {
        const auto body = objectBody(request);
        const QString userId = body ? body->value(u"userId").toString() : QString();
        if (userId.isEmpty())
            return badRequest(QStringLiteral("userId is required"));
        return QHttpServerResponse(QJsonObject{{QStringLiteral("replyToken"), issueReplyToken(userId)}});
    });

    m_server.route(QStringLiteral("/_emulator/faults"), Method::Post, [this](const QHttpServerRequest &request) {
        const auto body = objectBody(request);
        if (!body)
            return badRequest(QStringLiteral("body must be a JSON object"));
        const auto endpoint = endpointFromName(body->value(u"endpoint").toString());
        if (!endpoint)
            return badRequest(QStringLiteral("endpoint must be verify, push, multicast, reply or profile"));
        Fault fault;
        fault.count = body->value(u"count").toInt(1);
        fault.status = body->value(u"status").toInt(500);
        fault.hangMs = body->value(u"hangMs").toInt(0);
        fault.deliver = body->value(u"deliver").toBool(false);
        fault.message = body->value(u"message").toString();
        if (fault.count < 1 || fault.hangMs < 0 || (fault.hangMs == 0 && (fault.status < 400 || fault.status > 599)))
            return badRequest(QStringLiteral("count >= 1, hangMs >= 0, and status 400-599 unless hanging"));
        injectFault(*endpoint, fault);
        return QHttpServerResponse(QJsonObject{{QStringLiteral("endpoint"), endpointName(*endpoint)},
                                               {QStringLiteral("count"), fault.count}});
    });

    m_server.route(QStringLiteral("/_emulator/faults"), Method::Delete, [this] {
        clearFaults();
        return QHttpServerResponse(QJsonObject{});
    });

    m_server.route(QStringLiteral("/_emulator/rate-limits"), Method::Get, [this] {
        return QHttpServerResponse(rateLimitsJson(*this));
    });

    m_server.route(QStringLiteral("/_emulator/rate-limits"), Method::Put | Method::Post,
                   [this](const QHttpServerRequest &request) {
        const auto body = objectBody(request);
        if (!body)
            return badRequest(QStringLiteral("body must be a JSON object"));
        for (auto it = body->begin(); it != body->end(); ++it) {
            const auto endpoint = endpointFromName(it.key());
            if (!endpoint || !it.value().isDouble() || it.value().toInt(-1) < 0)
                return badRequest(QStringLiteral("unknown endpoint or bad limit: ") + it.key());
        }
        for (auto it = body->begin(); it != body->end(); ++it)
            setRateLimit(*endpointFromName(it.key()), it.value().toInt());
        return QHttpServerResponse(rateLimitsJson(*this));
    });

    m_server.route(QStringLiteral("/_emulator/clock"), Method::Post, [this](const QHttpServerRequest &request) {
        const auto body = objectBody(request);
        if (!body)
            return badRequest(QStringLiteral("body must be a JSON object"));
        if (body->contains(u"frozen"))
            m_clock.setFrozen(body->value(u"frozen").toBool());
        m_clock.advance(body->value(u"advanceMs").toInteger(0));
        return QHttpServerResponse(QJsonObject{{QStringLiteral("now"), m_clock.now().toString(Qt::ISODateWithMs)},
                                               {QStringLiteral("frozen"), m_clock.isFrozen()}});
    });

    m_server.route(QStringLiteral("/_emulator/webhooks"), Method::Post,
                   [this](const QHttpServerRequest &request, QHttpServerResponder &&responder) {
        const auto body = objectBody(request);
        const QUrl url(body ? body->value(u"url").toString() : QString());
        QList<WebhookEventSpec> events;
        QString error = !body ? QStringLiteral("body must be a JSON object")
            : !url.isValid() || url.scheme().isEmpty() ? QStringLiteral("url is required")
                                                       : QString();
        if (body && error.isEmpty()) {
            for (const QJsonValue &event : body->value(u"events").toArray()) {
                const auto spec = eventSpec(event.toObject(), &error);
                if (!spec)
                    break;
                events.append(*spec);
            }
        }
        if (!error.isEmpty()) {
            badRequest(error).write(std::move(responder));
            return;
        }
        WebhookOptions options;
        options.isRedelivery = body->value(u"isRedelivery").toBool();
        options.signatureOverride = body->value(u"signature").toString().toLatin1();
        options.timeoutMs = body->value(u"timeoutMs").toInt(0);

        // Answer once the receiver has: the caller learns its status and what was sent.
        auto held = std::make_shared<QHttpServerResponder>(std::move(responder));
        QPointer<QTcpSocket> socket = held->socket();
        sendWebhook(url, events, options, [held, socket](const WebhookResult &result) {
            if (socket && socket->state() == QAbstractSocket::ConnectedState)
                QHttpServerResponse(result.toJson()).write(std::move(*held));
        });
    });

    m_server.route(QStringLiteral("/_emulator/webhooks"), Method::Get, [this] {
        QJsonArray list;
        for (const WebhookResult &result : std::as_const(m_webhooks))
            list.append(result.toJson());
        return QHttpServerResponse(QJsonObject{{QStringLiteral("webhooks"), list}});
    });

    m_server.route(QStringLiteral("/_emulator/requests"), Method::Get, [this](const QHttpServerRequest &request) {
        const QString endpoint = request.query().queryItemValue(QStringLiteral("endpoint"));
        QJsonArray list;
        for (const RecordedRequest &record : std::as_const(m_requests)) {
            if (endpoint.isEmpty() || record.endpoint == endpoint)
                list.append(record.toJson());
        }
        return QHttpServerResponse(QJsonObject{{QStringLiteral("requests"), list}});
    });

    m_server.route(QStringLiteral("/_emulator/requests"), Method::Delete, [this] {
        clearLog();
        return QHttpServerResponse(QJsonObject{});
    });

    m_server.route(QStringLiteral("/_emulator/deliveries"), Method::Get, [this](const QHttpServerRequest &request) {
        const QString userId = request.query().queryItemValue(QStringLiteral("userId"));
        QJsonObject users;
        QJsonArray list;
        for (const Delivery &delivery : std::as_const(m_deliveries)) {
            if (!userId.isEmpty() && delivery.userId != userId)
                continue;
            list.append(delivery.toJson());
            QJsonObject counts = users.value(delivery.userId).toObject();
            counts.insert(QStringLiteral("deliveries"), counts.value(u"deliveries").toInt() + 1);
            counts.insert(QStringLiteral("messages"), counts.value(u"messages").toInt() + int(delivery.messages.size()));
            counts.insert(delivery.endpoint, counts.value(delivery.endpoint).toInt() + 1);
            users.insert(delivery.userId, counts);
        }
        return QHttpServerResponse(QJsonObject{{QStringLiteral("users"), users}, {QStringLiteral("deliveries"), list}});
    });

    m_server.route(QStringLiteral("/_emulator/reset"), Method::Post, [this] {
        reset();
        return QHttpServerResponse(QJsonObject{});
    });
}

} // namespace poptap::lineemu
