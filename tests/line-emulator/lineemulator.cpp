#include "lineemulator.h"

#include "emulatorlogging.h"
#include "lineids.h"

#include <QCryptographicHash>
#include <QElapsedTimer>
#include <QNetworkReply>
#include <QNetworkRequest>

namespace poptap::lineemu {

namespace {

QString derivedBotUserId(const QString &channelId)
{
    const QByteArray digest = QCryptographicHash::hash("line-emulator-bot:" + channelId.toUtf8(), QCryptographicHash::Sha256);
    return u'U' + QString::fromLatin1(digest.left(16).toHex());
}

} // namespace

int defaultRateLimit(LineEndpoint endpoint)
{
    switch (endpoint) {
    case LineEndpoint::Multicast:
        return 200;
    case LineEndpoint::Verify:
        return 0; // LINE Login does not disclose its thresholds
    default:
        return 2000; // push and "other API endpoints"
    }
}

QJsonObject LineUser::toJson() const
{
    QJsonObject json{{QStringLiteral("displayName"), displayName}, {QStringLiteral("userId"), userId}};
    if (!pictureUrl.isEmpty())
        json.insert(QStringLiteral("pictureUrl"), pictureUrl);
    if (!statusMessage.isEmpty())
        json.insert(QStringLiteral("statusMessage"), statusMessage);
    if (!language.isEmpty())
        json.insert(QStringLiteral("language"), language);
    return json;
}

QJsonObject RecordedRequest::toJson() const
{
    QJsonObject json{{QStringLiteral("sequence"), sequence},
                     {QStringLiteral("receivedAt"), receivedAt.toString(Qt::ISODateWithMs)},
                     {QStringLiteral("endpoint"), endpoint},
                     {QStringLiteral("method"), method},
                     {QStringLiteral("path"), path},
                     {QStringLiteral("headers"), headers},
                     {QStringLiteral("authorization"), authorization},
                     {QStringLiteral("body"), body},
                     {QStringLiteral("status"), status},
                     {QStringLiteral("outcome"), outcome},
                     {QStringLiteral("requestId"), requestId},
                     {QStringLiteral("response"), response}};
    if (!retryKey.isEmpty())
        json.insert(QStringLiteral("retryKey"), retryKey);
    if (!acceptedRequestId.isEmpty())
        json.insert(QStringLiteral("acceptedRequestId"), acceptedRequestId);
    return json;
}

QJsonObject Delivery::toJson() const
{
    QJsonObject json{{QStringLiteral("endpoint"), endpoint},
                     {QStringLiteral("userId"), userId},
                     {QStringLiteral("requestId"), requestId},
                     {QStringLiteral("messages"), messages},
                     {QStringLiteral("at"), at.toString(Qt::ISODateWithMs)}};
    if (!retryKey.isEmpty())
        json.insert(QStringLiteral("retryKey"), retryKey);
    return json;
}

QJsonObject WebhookResult::toJson() const
{
    QJsonObject json{{QStringLiteral("url"), url.toString()},
                     {QStringLiteral("status"), status},
                     {QStringLiteral("elapsedMs"), elapsedMs},
                     {QStringLiteral("signature"), QString::fromLatin1(signature)},
                     {QStringLiteral("body"), QString::fromUtf8(body)},
                     {QStringLiteral("events"), events},
                     {QStringLiteral("responseBody"), QString::fromUtf8(responseBody)}};
    if (!error.isEmpty())
        json.insert(QStringLiteral("error"), error);
    return json;
}

LineEmulator::LineEmulator(LineEmulatorConfig config, QObject *parent)
    : QObject(parent)
    , m_config(std::move(config))
    , m_liff(m_config.channelId,
             [this](const QString &userId) {
                 IdTokenClaims claims;
                 claims.userId = userId;
                 return issueIdToken(claims);
             },
             [this] { return m_clock.now(); })
{
    m_botUserId = m_config.botUserId.isEmpty() ? derivedBotUserId(m_config.channelId) : m_config.botUserId;

    QString error;
    const auto load = [&error](const char *path) {
        auto validator = OpenApiValidator::fromFile(QString::fromLatin1(path), &error);
        if (!validator)
            qFatal("line emulator: cannot read %s: %s", path, qPrintable(error)); // a broken build
        return *validator;
    };
    m_messagingApi = load(":/line-openapi/messaging-api.json");
    m_webhookApi = load(":/line-openapi/webhook.json");

    resetBehaviour();
    registerLineRoutes();
    registerControlRoutes();
    m_liff.registerRoutes(m_server);
}

LineEmulator::~LineEmulator() = default;

bool LineEmulator::start(quint16 port)
{
    const quint16 bound = m_server.listen(QHostAddress::LocalHost, port);
    if (bound == 0) {
        qCWarning(lcLineEmulator) << "cannot listen on 127.0.0.1 port" << port;
        return false;
    }
    m_port = bound;
    return true;
}

QUrl LineEmulator::baseUrl() const
{
    return QUrl(QStringLiteral("http://127.0.0.1:%1").arg(m_port));
}

LineUser LineEmulator::addUser(LineUser newUser)
{
    if (newUser.userId.isEmpty())
        newUser.userId = lineids::userId();
    if (newUser.displayName.isEmpty())
        newUser.displayName = QStringLiteral("LINE user ") + newUser.userId.right(4);
    m_users.insert(newUser.userId, newUser);
    return newUser;
}

std::optional<LineUser> LineEmulator::user(const QString &userId) const
{
    const auto found = m_users.constFind(userId);
    if (found == m_users.cend())
        return std::nullopt;
    return *found;
}

LineUser &LineEmulator::ensureUser(const QString &userId)
{
    if (!m_users.contains(userId)) {
        LineUser fresh;
        fresh.userId = userId;
        fresh.isFriend = false;
        addUser(fresh);
    }
    return m_users[userId];
}

QString LineEmulator::issueIdToken(IdTokenClaims claims, IdTokenClaims *issued)
{
    if (claims.userId.isEmpty())
        claims.userId = lineids::userId();
    if (claims.channelId.isEmpty())
        claims.channelId = m_config.channelId;
    if (!claims.issuedAt.isValid())
        claims.issuedAt = m_clock.now();
    if (!claims.expiresAt.isValid())
        claims.expiresAt = claims.issuedAt.addSecs(3600);
    LineUser &known = ensureUser(claims.userId);
    if (!claims.name.isEmpty())
        known.displayName = claims.name;
    if (!claims.picture.isEmpty())
        known.pictureUrl = claims.picture;
    if (issued)
        *issued = claims;
    return m_idTokens.issue(claims);
}

QString LineEmulator::issueReplyToken(const QString &userId)
{
    const QString token = lineids::replyToken();
    m_replyTokens.insert(token, ReplyTokenState{userId, m_clock.monotonicMs(), false});
    return token;
}

void LineEmulator::setRateLimit(LineEndpoint endpoint, int perSecond)
{
    m_limits[endpoint].setLimit(perSecond);
}

int LineEmulator::rateLimit(LineEndpoint endpoint) const
{
    const auto found = m_limits.find(endpoint);
    return found == m_limits.end() ? 0 : found->second.limit();
}

void LineEmulator::injectFault(LineEndpoint endpoint, const Fault &fault)
{
    if (fault.count > 0)
        m_faults[endpoint].push_back(fault);
}

void LineEmulator::clearFaults()
{
    m_faults.clear();
}

void LineEmulator::sendWebhook(const QUrl &url, QList<WebhookEventSpec> events, const WebhookOptions &options,
                               std::function<void(const WebhookResult &)> done)
{
    WebhookResult result;
    result.url = url;
    const qint64 now = m_clock.epochMs();
    for (WebhookEventSpec &spec : events) {
        result.events.append(buildWebhookEvent(spec, options.isRedelivery, now));
        LineUser &source = ensureUser(spec.userId);
        if (spec.type == WebhookEventSpec::Type::Follow)
            source.isFriend = true;
        else if (spec.type == WebhookEventSpec::Type::Unfollow)
            source.isFriend = false;
        if (!spec.replyToken.isEmpty())
            m_replyTokens.insert(spec.replyToken, ReplyTokenState{spec.userId, m_clock.monotonicMs(), false});
    }
    result.body = buildWebhookBody(m_botUserId, result.events);
    result.signature = options.signatureOverride.isEmpty()
        ? webhookSignature(m_config.channelSecret.toUtf8(), result.body)
        : options.signatureOverride;

    QNetworkRequest request(url);
    request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json; charset=utf-8"));
    request.setHeader(QNetworkRequest::UserAgentHeader, QByteArrayLiteral("LineBotWebhook/2.0"));
    request.setRawHeader("x-line-signature", result.signature);
    const int timeoutMs = options.timeoutMs > 0 ? options.timeoutMs : m_config.webhookTimeoutMs;
    request.setTransferTimeout(timeoutMs);

    QElapsedTimer timer;
    timer.start();
    QNetworkReply *reply = m_network.post(request, result.body);
    connect(reply, &QNetworkReply::finished, this, [this, reply, result, timer, timeoutMs, done]() mutable {
        result.elapsedMs = timer.elapsed();
        result.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        if (reply->isOpen())
            result.responseBody = reply->readAll().left(64 * 1024);
        if (reply->error() == QNetworkReply::OperationCanceledError || reply->error() == QNetworkReply::TimeoutError)
            result.error = QStringLiteral("no answer within %1 ms").arg(timeoutMs);
        else if (result.status == 0)
            result.error = reply->errorString();
        reply->deleteLater();
        m_webhooks.append(result);
        Q_EMIT webhookSent(result);
        if (done)
            done(result);
    });
}

QList<RecordedRequest> LineEmulator::requests(LineEndpoint endpoint) const
{
    QList<RecordedRequest> matching;
    const QString name = endpointName(endpoint);
    for (const RecordedRequest &record : m_requests) {
        if (record.endpoint == name)
            matching.append(record);
    }
    return matching;
}

QList<Delivery> LineEmulator::deliveries(const QString &userId) const
{
    if (userId.isEmpty())
        return m_deliveries;
    QList<Delivery> matching;
    for (const Delivery &delivery : m_deliveries) {
        if (delivery.userId == userId)
            matching.append(delivery);
    }
    return matching;
}

int LineEmulator::deliveryCount(const QString &userId) const
{
    return int(deliveries(userId).size());
}

void LineEmulator::clearLog()
{
    m_requests.clear();
    m_webhooks.clear();
    m_deliveries.clear();
}

void LineEmulator::reset()
{
    clearLog();
    m_users.clear();
    m_replyTokens.clear();
    m_retryKeys.clear();
    m_clock.reset();
    m_liff.reset();
    resetBehaviour();
}

void LineEmulator::resetBehaviour()
{
    m_faults.clear();
    for (LineEndpoint endpoint : kLineEndpoints)
        m_limits[endpoint].setLimit(defaultRateLimit(endpoint));
}

} // namespace poptap::lineemu
