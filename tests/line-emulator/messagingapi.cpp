// Serving LINE's own endpoints: authorization, rate limits, retry keys, schema validation,
// delivery and injected faults, in the order LINE applies them.

#include "lineemulator.h"

#include "emulatorlogging.h"
#include "lineids.h"

#include <QHttpServerRequest>
#include <QHttpServerResponder>
#include <QHttpServerResponse>
#include <QJsonDocument>
#include <QPointer>
#include <QTcpSocket>
#include <QTimer>
#include <QUrlQuery>

#include <memory>

namespace poptap::lineemu {

namespace {

using Method = QHttpServerRequest::Method;

constexpr qint64 kRetryKeyLifetimeMs = 24LL * 60 * 60 * 1000; // "valid for 24 hours"
constexpr qsizetype kMaxBodyBytes = 2 * 1024 * 1024;          // LINE answers 413 above 2 MB

const QString kRateLimitMessage = QStringLiteral("The API rate limit has been exceeded. Try again later.");

QJsonObject lineError(const QString &message)
{
    return QJsonObject{{QStringLiteral("message"), message}};
}

QString propertyInvalid(const QString &property)
{
    // LINE's message for a property that cannot be read (wrong type, unknown name, bad ID).
    // The emulator does not track source positions; LINE itself prints "-" in some cases.
    return QStringLiteral("The property, '%1', in the request body is invalid (line: -, column: -)").arg(property);
}

QString methodName(Method method)
{
    switch (method) {
    case Method::Get:
        return QStringLiteral("GET");
    case Method::Post:
        return QStringLiteral("POST");
    case Method::Put:
        return QStringLiteral("PUT");
    case Method::Delete:
        return QStringLiteral("DELETE");
    case Method::Patch:
        return QStringLiteral("PATCH");
    case Method::Head:
        return QStringLiteral("HEAD");
    case Method::Options:
        return QStringLiteral("OPTIONS");
    default:
        return QStringLiteral("OTHER");
    }
}

bool hasHeader(const QHttpServerRequest &request, const QByteArray &name)
{
    for (const auto &header : request.headers()) {
        if (header.first.compare(name, Qt::CaseInsensitive) == 0)
            return true;
    }
    return false;
}

// Where a JSON parse error sits, as the line and column LINE reports.
QString parsePosition(const QByteArray &body, int offset)
{
    const QByteArray before = body.left(offset);
    const qsizetype lastNewline = before.lastIndexOf('\n');
    return QStringLiteral("line: %1, column: %2").arg(before.count('\n') + 1).arg(offset - lastNewline);
}

bool quotable(const QString &messageType)
{
    // Message types a sent message can later be quoted by (sentMessages[].quoteToken).
    return messageType == u"text" || messageType == u"textV2" || messageType == u"sticker"
        || messageType == u"image" || messageType == u"video";
}

QString schemaFor(LineEndpoint endpoint)
{
    switch (endpoint) {
    case LineEndpoint::Push:
        return QStringLiteral("PushMessageRequest");
    case LineEndpoint::Multicast:
        return QStringLiteral("MulticastRequest");
    case LineEndpoint::Reply:
        return QStringLiteral("ReplyMessageRequest");
    default:
        return {};
    }
}

} // namespace

void LineEmulator::registerLineRoutes()
{
    const auto route = [this](const char *path, Method method, LineEndpoint endpoint) {
        m_server.route(QString::fromLatin1(path), method,
                       [this, endpoint](const QHttpServerRequest &request, QHttpServerResponder &&responder) {
                           serve(endpoint, request, std::move(responder));
                       });
    };
    route("/oauth2/v2.1/verify", Method::Post, LineEndpoint::Verify);
    route("/v2/bot/message/push", Method::Post, LineEndpoint::Push);
    route("/v2/bot/message/multicast", Method::Post, LineEndpoint::Multicast);
    route("/v2/bot/message/reply", Method::Post, LineEndpoint::Reply);
    m_server.route(QStringLiteral("/v2/bot/profile/<arg>"), Method::Get,
                   [this](const QString &userId, const QHttpServerRequest &request, QHttpServerResponder &&responder) {
                       serve(LineEndpoint::Profile, request, std::move(responder), userId);
                   });
    m_server.setMissingHandler([this](const QHttpServerRequest &request, QHttpServerResponder &&responder) {
        serve(std::nullopt, request, std::move(responder));
    });
}

void LineEmulator::serve(std::optional<LineEndpoint> endpoint, const QHttpServerRequest &request,
                         QHttpServerResponder &&responder, const QString &pathArgument)
{
    if (!endpoint && request.url().path().startsWith(u"/_emulator")) {
        // A mistyped control call is not LINE traffic: answered, not logged.
        QHttpServerResponse(lineError(QStringLiteral("Not found")), QHttpServerResponder::StatusCode::NotFound)
            .write(std::move(responder));
        return;
    }

    RecordedRequest record = startRecord(endpoint, request);
    if (!endpoint) {
        Answer notFound{404, lineError(QStringLiteral("Not found")), {}, QStringLiteral("rejected"), 0};
        respond(std::move(record), notFound, std::move(responder));
        return;
    }

    Answer answer;
    const std::optional<Fault> fault = takeFault(*endpoint);
    if (fault && !fault->deliver) {
        answer = faultAnswer(*fault);
    } else {
        answer = process(*endpoint, request, pathArgument, record);
        if (fault && answer.status < 300) {
            answer = faultAnswer(*fault);
            answer.outcome = answer.hangMs > 0 ? QStringLiteral("accepted-then-hung")
                                               : QStringLiteral("accepted-then-fault");
        }
    }
    respond(std::move(record), answer, std::move(responder));
}

RecordedRequest LineEmulator::startRecord(std::optional<LineEndpoint> endpoint, const QHttpServerRequest &request)
{
    RecordedRequest record;
    record.sequence = ++m_sequence;
    record.receivedAt = m_clock.now();
    record.endpoint = endpoint ? endpointName(*endpoint) : QStringLiteral("unknown");
    record.method = methodName(request.method());
    record.path = request.url().path();
    record.requestId = lineids::requestId();
    record.retryKey = QString::fromLatin1(request.value("x-line-retry-key"));
    for (const auto &header : request.headers()) {
        const QString name = QString::fromLatin1(header.first).toLower();
        if (name != u"authorization")
            record.headers.insert(name, QString::fromLatin1(header.second));
    }
    // The token itself stays out of the log; whether it was the right one is what tests ask.
    const QByteArray authorization = request.value("authorization");
    const bool bearer = authorization.left(7).compare("Bearer ", Qt::CaseInsensitive) == 0;
    record.authorization = authorization.isEmpty() ? QStringLiteral("missing")
        : bearer && authorization.mid(7) == m_config.channelAccessToken.toUtf8() ? QStringLiteral("valid")
                                                                                 : QStringLiteral("invalid");
    record.headers.insert(QStringLiteral("authorization"), record.authorization);
    const QByteArray body = request.body();
    const QJsonDocument json = QJsonDocument::fromJson(body);
    record.body = json.isObject() ? QJsonValue(json.object())
        : json.isArray()          ? QJsonValue(json.array())
                                  : QJsonValue(QString::fromUtf8(body.left(64 * 1024)));
    return record;
}

LineEmulator::Answer LineEmulator::process(LineEndpoint endpoint, const QHttpServerRequest &request,
                                           const QString &pathArgument, RecordedRequest &record)
{
    const auto reject = [](int status, const QString &message) {
        return Answer{status, lineError(message), {}, QStringLiteral("rejected"), 0};
    };

    if (needsChannelAccessToken(endpoint)) {
        if (record.authorization == u"missing")
            return reject(401, QStringLiteral("Authorization header required. Must follow the scheme, "
                                              "'Authorization: Bearer <ACCESS TOKEN>'"));
        if (record.authorization != u"valid")
            return reject(401, QStringLiteral("Authentication failed. Confirm that the access token in the "
                                              "authorization header is valid."));
    }

    if (!m_limits[endpoint].tryAdmit(m_clock.monotonicMs()))
        return Answer{429, lineError(kRateLimitMessage), {}, QStringLiteral("rate-limited"), 0};

    if (endpoint == LineEndpoint::Verify)
        return processVerify(request, record);

    // "If you specify X-Line-Retry-Key in an API other than the above, the request is
    // rejected with 400" (LINE: Retry failed API requests).
    QString retryKey;
    if (hasHeader(request, "x-line-retry-key")) {
        retryKey = record.retryKey;
        if (!acceptsRetryKey(endpoint))
            return reject(400, QStringLiteral("X-Line-Retry-Key is not supported by this API"));
        if (!lineids::isRetryKey(retryKey))
            return reject(400, QStringLiteral("The retry key is invalid. Specify a UUID in hexadecimal format."));
        expireRetryKeys();
        if (const auto accepted = m_retryKeys.constFind(retryKey); accepted != m_retryKeys.cend()) {
            QJsonObject body = lineError(QStringLiteral("The retry key is already accepted"));
            if (accepted->response.contains(u"sentMessages"))
                body.insert(QStringLiteral("sentMessages"), accepted->response.value(u"sentMessages"));
            return Answer{409, body, {{"x-line-accepted-request-id", accepted->requestId.toLatin1()}},
                          QStringLiteral("replayed"), 0};
        }
    }

    if (endpoint == LineEndpoint::Profile)
        return processProfile(pathArgument);
    return processSend(endpoint, request, retryKey, record);
}

LineEmulator::Answer LineEmulator::processVerify(const QHttpServerRequest &request, RecordedRequest &record)
{
    // application/x-www-form-urlencoded: '+' is a space, the rest is percent-encoding.
    QByteArray form = request.body();
    form.replace('+', "%20");
    const QUrlQuery query(QString::fromLatin1(form));
    QJsonObject fields;
    for (const auto &item : query.queryItems(QUrl::FullyDecoded))
        fields.insert(item.first, item.second);
    record.body = fields;

    const auto invalid = [](const QString &description) {
        return Answer{400,
                      QJsonObject{{QStringLiteral("error"), QStringLiteral("invalid_request")},
                                  {QStringLiteral("error_description"), description}},
                      {}, QStringLiteral("rejected"), 0};
    };
    const QString idToken = fields.value(u"id_token").toString();
    const QString clientId = fields.value(u"client_id").toString();
    if (idToken.isEmpty())
        return invalid(QStringLiteral("id_token is required."));
    if (clientId.isEmpty())
        return invalid(QStringLiteral("client_id is required."));

    const IdTokenCheck check = m_idTokens.verify(idToken, clientId, m_clock.now(),
                                                 fields.value(u"nonce").toString(),
                                                 fields.value(u"user_id").toString());
    if (!check.ok())
        return invalid(check.errorDescription);
    return Answer{200, *check.payload, {}, QStringLiteral("accepted"), 0};
}

LineEmulator::Answer LineEmulator::processProfile(const QString &userId)
{
    const auto found = m_users.constFind(userId);
    if (found == m_users.cend() || !found->isFriend)
        return Answer{404, lineError(QStringLiteral("Not found")), {}, QStringLiteral("rejected"), 0};
    return Answer{200, found->toJson(), {}, QStringLiteral("accepted"), 0};
}

LineEmulator::Answer LineEmulator::processSend(LineEndpoint endpoint, const QHttpServerRequest &request,
                                               const QString &retryKey, RecordedRequest &record)
{
    const auto reject = [](int status, const QString &message) {
        return Answer{status, lineError(message), {}, QStringLiteral("rejected"), 0};
    };

    const QByteArray body = request.body();
    if (body.size() > kMaxBodyBytes)
        return reject(413, QStringLiteral("The request body exceeds the maximum size of 2MB"));
    const QByteArray contentType = request.value("content-type");
    if (!contentType.trimmed().toLower().startsWith("application/json"))
        return reject(415, QStringLiteral("The content type, '%1', is not supported").arg(QString::fromLatin1(contentType)));

    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(body, &parseError);
    if (parseError.error != QJsonParseError::NoError || !document.isObject()) {
        const int offset = parseError.error != QJsonParseError::NoError ? parseError.offset : 0;
        return reject(400, QStringLiteral("The request body could not be parsed as JSON (%1)").arg(parsePosition(body, offset)));
    }
    const QJsonObject json = document.object();

    const QList<SchemaViolation> violations = m_messagingApi.validate(json, schemaFor(endpoint));
    for (const SchemaViolation &violation : violations) {
        if (violation.kind != SchemaViolation::Kind::Constraint)
            return reject(400, propertyInvalid(violation.property));
    }
    if (!violations.isEmpty()) {
        QJsonArray details;
        for (const SchemaViolation &violation : violations)
            details.append(QJsonObject{{QStringLiteral("message"), violation.message},
                                       {QStringLiteral("property"), violation.property}});
        QJsonObject error = lineError(QStringLiteral("The request body has %1 error(s)").arg(violations.size()));
        error.insert(QStringLiteral("details"), details);
        return Answer{400, error, {}, QStringLiteral("rejected"), 0};
    }

    QStringList recipients;
    switch (endpoint) {
    case LineEndpoint::Push: {
        const QString to = json.value(u"to").toString();
        if (!lineids::isPushTarget(to))
            return reject(400, propertyInvalid(QStringLiteral("to")));
        recipients << to;
        break;
    }
    case LineEndpoint::Multicast: {
        const QJsonArray to = json.value(u"to").toArray();
        for (qsizetype i = 0; i < to.size(); ++i) {
            if (!lineids::isUserId(to.at(i).toString()))
                return reject(400, propertyInvalid(QStringLiteral("to[%1]").arg(i)));
            recipients << to.at(i).toString(); // each listed ID counts: a duplicate shows up twice
        }
        break;
    }
    case LineEndpoint::Reply: {
        const auto token = m_replyTokens.find(json.value(u"replyToken").toString());
        const qint64 lifetimeMs = qint64(m_config.replyTokenLifetimeSeconds) * 1000;
        if (token == m_replyTokens.end() || token->used || m_clock.monotonicMs() - token->issuedMs > lifetimeMs)
            return reject(400, QStringLiteral("Invalid reply token"));
        token->used = true;
        recipients << token->userId;
        break;
    }
    default:
        break;
    }

    const QJsonArray messages = json.value(u"messages").toArray();
    QJsonArray sentMessages;
    for (const QJsonValue &message : messages) {
        QJsonObject sent{{QStringLiteral("id"), lineids::messageId()}};
        if (quotable(message.toObject().value(u"type").toString()))
            sent.insert(QStringLiteral("quoteToken"), lineids::quoteToken());
        sentMessages.append(sent);
    }
    const QString name = endpointName(endpoint);
    const QDateTime at = m_clock.now();
    for (const QString &recipient : std::as_const(recipients))
        m_deliveries.append(Delivery{name, recipient, record.requestId, retryKey, messages, at});

    const QJsonObject response = endpoint == LineEndpoint::Multicast
        ? QJsonObject{}
        : QJsonObject{{QStringLiteral("sentMessages"), sentMessages}};
    if (!retryKey.isEmpty())
        m_retryKeys.insert(retryKey, AcceptedRetry{record.requestId, response, m_clock.monotonicMs()});
    return Answer{200, response, {}, QStringLiteral("accepted"), 0};
}

LineEmulator::Answer LineEmulator::faultAnswer(const Fault &fault) const
{
    Answer answer;
    if (fault.hangMs > 0) {
        answer.hangMs = fault.hangMs;
        answer.outcome = QStringLiteral("hung");
        return answer;
    }
    QString message = fault.message;
    if (message.isEmpty()) {
        switch (fault.status) {
        case 429:
            message = kRateLimitMessage;
            break;
        case 500:
            message = QStringLiteral("Internal server error");
            break;
        case 503:
            message = QStringLiteral("Service unavailable");
            break;
        default:
            message = QStringLiteral("Injected fault");
        }
    }
    answer.status = fault.status;
    answer.body = lineError(message);
    answer.outcome = QStringLiteral("fault");
    return answer;
}

void LineEmulator::respond(RecordedRequest record, const Answer &answer, QHttpServerResponder &&responder)
{
    record.status = answer.hangMs > 0 ? 0 : answer.status;
    record.outcome = answer.outcome;
    record.response = answer.body;
    for (const auto &header : answer.headers) {
        if (header.first == "x-line-accepted-request-id")
            record.acceptedRequestId = QString::fromLatin1(header.second);
    }
    if (record.status == 429)
        qCWarning(lcLineEmulator).noquote() << "429" << record.method << record.path << record.outcome;
    if (m_config.requestLogLimit > 0 && m_requests.size() >= m_config.requestLogLimit)
        m_requests.removeFirst();
    m_requests.append(record);
    Q_EMIT requestRecorded(record);

    if (answer.hangMs > 0) {
        // Keep the connection open without a word, then drop it, as a stalled LINE would.
        auto held = std::make_shared<QHttpServerResponder>(std::move(responder));
        QPointer<QTcpSocket> socket = held->socket();
        QTimer::singleShot(answer.hangMs, this, [held, socket] {
            if (socket)
                socket->abort();
        });
        return;
    }

    QHttpServerResponse response(answer.body, QHttpServerResponder::StatusCode(answer.status));
    response.addHeader("x-line-request-id", record.requestId.toLatin1());
    for (const auto &header : answer.headers)
        response.addHeader(header.first, header.second);
    response.write(std::move(responder));
}

std::optional<Fault> LineEmulator::takeFault(LineEndpoint endpoint)
{
    std::deque<Fault> &queue = m_faults[endpoint];
    if (queue.empty())
        return std::nullopt;
    Fault fault = queue.front();
    if (--queue.front().count <= 0)
        queue.pop_front();
    return fault;
}

void LineEmulator::expireRetryKeys()
{
    const qint64 now = m_clock.monotonicMs();
    for (auto it = m_retryKeys.begin(); it != m_retryKeys.end();) {
        if (now - it->acceptedMs >= kRetryKeyLifetimeMs)
            it = m_retryKeys.erase(it);
        else
            ++it;
    }
}

} // namespace poptap::lineemu
