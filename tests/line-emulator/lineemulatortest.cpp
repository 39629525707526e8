// The LINE platform emulator, exercised the way the delivery service will use it: real HTTP
// on loopback (QNetworkAccessManager), LINE's paths, the control API under /_emulator.

#include "lineemulator.h"
#include "lineids.h"

#include <QCryptographicHash>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFile>
#include <QHttpServer>
#include <QHttpServerRequest>
#include <QHttpServerResponder>
#include <QHttpServerResponse>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMessageAuthenticationCode>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QProcess>
#include <QRegularExpression>
#include <QSet>
#include <QTcpSocket>
#include <QTest>
#include <QTimer>
#include <QUrlQuery>

#include <functional>
#include <memory>

using namespace poptap::lineemu;

namespace {

const QString kUserA = QStringLiteral("U4af4980629aaaaaaaaaaaaaaaaaaaaaa");
const QString kUserB = QStringLiteral("U0c229f96c4bbbbbbbbbbbbbbbbbbbbbb");

struct HttpResult {
    int status = 0;
    QNetworkReply::NetworkError error = QNetworkReply::NoError;
    QByteArray body;
    QJsonObject json;
    QHash<QByteArray, QByteArray> headers; // lower-case names
    qint64 elapsedMs = 0;
};

QJsonObject parse(const QByteArray &text)
{
    return QJsonDocument::fromJson(text).object();
}

QByteArray compact(const QJsonObject &object)
{
    return QJsonDocument(object).toJson(QJsonDocument::Compact);
}

QJsonObject text(const QString &value)
{
    return QJsonObject{{QStringLiteral("type"), QStringLiteral("text")}, {QStringLiteral("text"), value}};
}

QJsonArray texts(int count)
{
    QJsonArray messages;
    for (int i = 1; i <= count; ++i)
        messages.append(text(QStringLiteral("Hello, world%1").arg(i)));
    return messages;
}

QJsonObject push(const QString &to, const QJsonArray &messages)
{
    return QJsonObject{{QStringLiteral("to"), to}, {QStringLiteral("messages"), messages}};
}

QString violationsText(const QList<SchemaViolation> &violations)
{
    QStringList lines;
    for (const SchemaViolation &violation : violations)
        lines << describe(violation);
    return lines.join(QStringLiteral("; "));
}

// Message objects as LINE's Messaging API reference shows them (text, sticker, image, quick
// reply, Flex bubble): messaging-api.yml has no request examples for push, multicast or reply.
QJsonArray referenceMessages()
{
    QFile file(QStringLiteral(POPTAP_SOURCE_DIR "/tests/line-emulator/testdata/reference-messages.json"));
    if (!file.open(QIODevice::ReadOnly))
        qFatal("cannot read %s", qPrintable(file.fileName()));
    return QJsonDocument::fromJson(file.readAll()).array();
}

} // namespace

class LineEmulatorTest : public QObject
{
    Q_OBJECT

    std::unique_ptr<LineEmulator> emulator;
    QNetworkAccessManager network;

    HttpResult request(const QByteArray &method, const QString &path, const QByteArray &body = {},
                       const QList<QPair<QByteArray, QByteArray>> &headers = {}, int timeoutMs = 5000)
    {
        QNetworkRequest req(emulator->baseUrl().resolved(QUrl(path)));
        for (const auto &header : headers)
            req.setRawHeader(header.first, header.second);
        req.setTransferTimeout(timeoutMs);
        QElapsedTimer timer;
        timer.start();
        QNetworkReply *reply = network.sendCustomRequest(req, method, body);
        QEventLoop loop;
        connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
        loop.exec();
        HttpResult result;
        result.elapsedMs = timer.elapsed();
        result.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        result.error = reply->error();
        if (reply->isOpen())
            result.body = reply->readAll();
        result.json = parse(result.body);
        for (const auto &pair : reply->rawHeaderPairs())
            result.headers.insert(pair.first.toLower(), pair.second);
        reply->deleteLater();
        return result;
    }

    QList<QPair<QByteArray, QByteArray>> messagingHeaders(const QByteArray &retryKey = {}) const
    {
        QList<QPair<QByteArray, QByteArray>> headers{
            {"Authorization", "Bearer " + emulator->config().channelAccessToken.toUtf8()},
            {"Content-Type", "application/json"}};
        if (!retryKey.isEmpty())
            headers.append({"X-Line-Retry-Key", retryKey});
        return headers;
    }

    HttpResult send(const QString &path, const QJsonObject &body, const QByteArray &retryKey = {}, int timeoutMs = 5000)
    {
        return request("POST", path, compact(body), messagingHeaders(retryKey), timeoutMs);
    }

    HttpResult control(const QByteArray &method, const QString &path, const QJsonObject &body = {})
    {
        return request(method, QStringLiteral("/_emulator/") + path, compact(body),
                       {{"Content-Type", "application/json"}});
    }

    HttpResult verify(const QString &idToken, const QString &clientId)
    {
        QUrlQuery form;
        form.addQueryItem(QStringLiteral("id_token"), idToken);
        form.addQueryItem(QStringLiteral("client_id"), clientId);
        return request("POST", QStringLiteral("/oauth2/v2.1/verify"), form.toString(QUrl::FullyEncoded).toLatin1(),
                       {{"Content-Type", "application/x-www-form-urlencoded"}});
    }

    void verifySchema(const QJsonObject &json, const QString &schema)
    {
        const auto violations = emulator->messagingApiSchema().validate(json, schema);
        QVERIFY2(violations.isEmpty(), qPrintable(schema + QStringLiteral(": ") + violationsText(violations)));
    }

private Q_SLOTS:
    void init()
    {
        emulator = std::make_unique<LineEmulator>();
        QVERIFY(emulator->start());
        QCOMPARE(emulator->baseUrl().host(), QStringLiteral("127.0.0.1"));
    }

    void cleanup()
    {
        emulator.reset();
        network.clearConnectionCache();
    }

    void loadsLinesOwnSchemas()
    {
        for (const char *name : {"PushMessageRequest", "MulticastRequest", "ReplyMessageRequest", "FlexMessage"})
            QVERIFY2(emulator->messagingApiSchema().hasSchema(QString::fromLatin1(name)), name);
        QVERIFY(emulator->webhookSchema().hasSchema(QStringLiteral("CallbackRequest")));
        QCOMPARE(defaultRateLimit(LineEndpoint::Push), 2000);
        QCOMPARE(defaultRateLimit(LineEndpoint::Multicast), 200);
    }

    void verifyAcceptsAnIssuedToken()
    {
        const HttpResult issued = control("POST", QStringLiteral("id-tokens"),
                                          {{QStringLiteral("name"), QStringLiteral("Taro Line")},
                                           {QStringLiteral("nonce"), QStringLiteral("0987654asdf")}});
        QCOMPARE(issued.status, 200);
        const QString userId = issued.json.value(u"userId").toString();
        QVERIFY(lineids::isUserId(userId));

        const HttpResult verified = verify(issued.json.value(u"idToken").toString(), emulator->config().channelId);
        QCOMPARE(verified.status, 200);
        QVERIFY(!verified.headers.value("x-line-request-id").isEmpty());
        const QJsonObject claims = verified.json;
        QCOMPARE(claims.value(u"iss").toString(), QStringLiteral("https://access.line.me"));
        QCOMPARE(claims.value(u"sub").toString(), userId);
        QCOMPARE(claims.value(u"aud").toString(), emulator->config().channelId);
        QCOMPARE(claims.value(u"nonce").toString(), QStringLiteral("0987654asdf"));
        QCOMPARE(claims.value(u"name").toString(), QStringLiteral("Taro Line"));
        QCOMPARE(claims.value(u"amr").toArray(), QJsonArray{QStringLiteral("linesso")});
        const qint64 now = QDateTime::currentSecsSinceEpoch();
        QVERIFY(qAbs(claims.value(u"iat").toInteger() - now) < 60);
        QCOMPARE(claims.value(u"exp").toInteger(), claims.value(u"iat").toInteger() + 3600);
    }

    void verifyRefusesBadTokens_data()
    {
        QTest::addColumn<QJsonObject>("issue");  // control-call body, empty: no issued token
        QTest::addColumn<QString>("token");       // used when nothing is issued
        QTest::addColumn<QString>("clientId");    // empty: the emulator's channel
        QTest::addColumn<QString>("description");
        QTest::newRow("expired") << QJsonObject{{QStringLiteral("expiresIn"), -60}} << QString() << QString()
                                 << QStringLiteral("IdToken expired.");
        QTest::newRow("other channel") << QJsonObject{{QStringLiteral("channelId"), QStringLiteral("2000000000")}}
                                       << QString() << QString() << QStringLiteral("Invalid IdToken Audience.");
        QTest::newRow("wrong client_id") << QJsonObject{{QStringLiteral("name"), QStringLiteral("x")}} << QString()
                                         << QStringLiteral("2000000000") << QStringLiteral("Invalid IdToken Audience.");
        QTest::newRow("garbage") << QJsonObject() << QStringLiteral("not-a-token") << QString()
                                 << QStringLiteral("Invalid IdToken.");
        QTest::newRow("forged signature")
            << QJsonObject() << QStringLiteral("eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJVMSJ9.c2lnbmF0dXJl") << QString()
            << QStringLiteral("Invalid IdToken.");
    }
    void verifyRefusesBadTokens()
    {
        QFETCH(QJsonObject, issue);
        QFETCH(QString, token);
        QFETCH(QString, clientId);
        QFETCH(QString, description);
        if (!issue.isEmpty())
            token = control("POST", QStringLiteral("id-tokens"), issue).json.value(u"idToken").toString();
        const HttpResult verified = verify(token, clientId.isEmpty() ? emulator->config().channelId : clientId);
        QCOMPARE(verified.status, 400);
        QCOMPARE(verified.json.value(u"error").toString(), QStringLiteral("invalid_request"));
        QCOMPARE(verified.json.value(u"error_description").toString(), description);
    }

    void verifyRefusesATamperedToken()
    {
        const QString token = emulator->issueIdToken({});
        QStringList parts = token.split(u'.');
        // Claim to be someone else, keeping the original signature.
        QJsonObject payload = QJsonDocument::fromJson(QByteArray::fromBase64(parts[1].toLatin1(), QByteArray::Base64UrlEncoding)).object();
        payload.insert(QStringLiteral("sub"), kUserB);
        parts[1] = QString::fromLatin1(compact(payload).toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals));
        QCOMPARE(verify(parts.join(u'.'), emulator->config().channelId).json.value(u"error_description").toString(),
                 QStringLiteral("Invalid IdToken."));
    }

    void sendsAcceptValidBodies_data()
    {
        QTest::addColumn<QString>("path");
        QTest::addColumn<QJsonObject>("body");
        QTest::addColumn<QStringList>("recipients");
        const QJsonArray reference = referenceMessages();
        QTest::newRow("push text (reference)") << QStringLiteral("/v2/bot/message/push") << push(kUserA, texts(2))
                                               << QStringList{kUserA};
        QTest::newRow("push five kinds incl. flex") << QStringLiteral("/v2/bot/message/push") << push(kUserA, reference)
                                                    << QStringList{kUserA};
        QTest::newRow("push to a group") << QStringLiteral("/v2/bot/message/push")
                                         << push(QStringLiteral("Ca56f94637c0123456789abcdef012345"), texts(1))
                                         << QStringList{QStringLiteral("Ca56f94637c0123456789abcdef012345")};
        QTest::newRow("push, notification off")
            << QStringLiteral("/v2/bot/message/push")
            << QJsonObject{{QStringLiteral("to"), kUserA}, {QStringLiteral("messages"), texts(1)},
                           {QStringLiteral("notificationDisabled"), true}}
            << QStringList{kUserA};
        QTest::newRow("multicast (reference)")
            << QStringLiteral("/v2/bot/message/multicast")
            << QJsonObject{{QStringLiteral("to"), QJsonArray{kUserA, kUserB}}, {QStringLiteral("messages"), texts(2)}}
            << QStringList{kUserA, kUserB};
    }
    void sendsAcceptValidBodies()
    {
        QFETCH(QString, path);
        QFETCH(QJsonObject, body);
        QFETCH(QStringList, recipients);
        const HttpResult result = send(path, body);
        QCOMPARE(result.status, 200);
        QVERIFY(!result.headers.value("x-line-request-id").isEmpty());
        if (path.endsWith(u"push")) {
            verifySchema(result.json, QStringLiteral("PushMessageResponse"));
            QCOMPARE(result.json.value(u"sentMessages").toArray().size(), body.value(u"messages").toArray().size());
        } else {
            QCOMPARE(result.json, QJsonObject{}); // LINE answers multicast with {}
        }
        for (const QString &recipient : recipients) {
            QCOMPARE(emulator->deliveryCount(recipient), 1);
            QCOMPARE(emulator->deliveries(recipient).first().messages, body.value(u"messages").toArray());
        }
        QCOMPARE(emulator->requests().last().outcome, QStringLiteral("accepted"));
    }

    void replyUsesATokenOnce()
    {
        const QString token = control("POST", QStringLiteral("reply-tokens"), {{QStringLiteral("userId"), kUserA}})
                                  .json.value(u"replyToken").toString();
        QVERIFY(!token.isEmpty());
        const QJsonObject body{{QStringLiteral("replyToken"), token},
                               {QStringLiteral("messages"), QJsonArray{text(QStringLiteral("Hello, user")),
                                                                       text(QStringLiteral("May I help you?"))}}};
        const HttpResult first = send(QStringLiteral("/v2/bot/message/reply"), body);
        QCOMPARE(first.status, 200);
        verifySchema(first.json, QStringLiteral("ReplyMessageResponse"));
        QCOMPARE(emulator->deliveries(kUserA).first().endpoint, QStringLiteral("reply"));

        const HttpResult again = send(QStringLiteral("/v2/bot/message/reply"), body);
        QCOMPARE(again.status, 400);
        QCOMPARE(again.json.value(u"message").toString(), QStringLiteral("Invalid reply token"));
        QCOMPARE(emulator->deliveryCount(kUserA), 1);
    }

    void invalidBodiesAreRefusedWithDetails_data()
    {
        QTest::addColumn<QString>("path");
        QTest::addColumn<QJsonObject>("body");
        QTest::addColumn<QString>("property");
        QTest::addColumn<QString>("message");
        QJsonArray recipients;
        for (int i = 0; i < 501; ++i)
            recipients.append(u'U' + QString::number(i).rightJustified(32, u'0'));
        QJsonObject flexWithoutLayout = referenceMessages().at(4).toObject();
        QJsonObject contents = flexWithoutLayout.value(u"contents").toObject();
        QJsonObject box = contents.value(u"body").toObject();
        box.remove(QStringLiteral("layout"));
        contents.insert(QStringLiteral("body"), box);
        flexWithoutLayout.insert(QStringLiteral("contents"), contents);

        const QString pushPath = QStringLiteral("/v2/bot/message/push");
        QTest::newRow("missing to") << pushPath << QJsonObject{{QStringLiteral("messages"), texts(1)}}
                                    << QStringLiteral("to") << QStringLiteral("must be specified");
        QTest::newRow("6 messages") << pushPath << push(kUserA, texts(6)) << QStringLiteral("messages")
                                    << QStringLiteral("size must be between 1 and 5");
        QTest::newRow("no messages") << pushPath << push(kUserA, {}) << QStringLiteral("messages")
                                     << QStringLiteral("size must be between 1 and 5");
        QTest::newRow("501 recipients")
            << QStringLiteral("/v2/bot/message/multicast")
            << QJsonObject{{QStringLiteral("to"), recipients}, {QStringLiteral("messages"), texts(1)}}
            << QStringLiteral("to") << QStringLiteral("size must be between 1 and 500");
        QTest::newRow("unknown message type")
            << pushPath << push(kUserA, QJsonArray{QJsonObject{{QStringLiteral("type"), QStringLiteral("html")}}})
            << QStringLiteral("messages[0].type")
            << QStringLiteral("must be one of the following values: [audio, coupon, flex, image, imagemap, "
                              "location, sticker, template, text, textV2, video]");
        QTest::newRow("text too long") << pushPath << push(kUserA, QJsonArray{text(QString(5001, u'あ'))})
                                       << QStringLiteral("messages[0].text")
                                       << QStringLiteral("length must be between 1 and 5000");
        QTest::newRow("empty text") << pushPath << push(kUserA, QJsonArray{text(QString())})
                                    << QStringLiteral("messages[0].text")
                                    << QStringLiteral("length must be between 1 and 5000");
        QTest::newRow("flex box without layout") << pushPath << push(kUserA, QJsonArray{flexWithoutLayout})
                                                 << QStringLiteral("messages[0].contents.body.layout")
                                                 << QStringLiteral("must be specified");
        QTest::newRow("reply without token") << QStringLiteral("/v2/bot/message/reply")
                                             << QJsonObject{{QStringLiteral("messages"), texts(1)}}
                                             << QStringLiteral("replyToken") << QStringLiteral("must be specified");
    }
    void invalidBodiesAreRefusedWithDetails()
    {
        QFETCH(QString, path);
        QFETCH(QJsonObject, body);
        QFETCH(QString, property);
        QFETCH(QString, message);
        const HttpResult result = send(path, body);
        QCOMPARE(result.status, 400);
        verifySchema(result.json, QStringLiteral("ErrorResponse"));
        QCOMPARE(result.json.value(u"message").toString(), QStringLiteral("The request body has 1 error(s)"));
        const QJsonObject detail = result.json.value(u"details").toArray().first().toObject();
        QCOMPARE(detail.value(u"property").toString(), property);
        QCOMPARE(detail.value(u"message").toString(), message);
        QVERIFY(emulator->deliveries().isEmpty());
        QCOMPARE(emulator->requests().last().outcome, QStringLiteral("rejected"));
    }

    void unreadableBodiesAreRefused_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<QString>("message");
        QTest::newRow("not JSON") << QByteArray("{\"to\": \n  [oops")
                                  << QStringLiteral("The request body could not be parsed as JSON (line: 2, column: 4)");
        QTest::newRow("unknown property")
            << compact(push(kUserA, QJsonArray{QJsonObject{{QStringLiteral("type"), QStringLiteral("text")},
                                                           {QStringLiteral("text"), QStringLiteral("hi")},
                                                           {QStringLiteral("colour"), QStringLiteral("red")}}}))
            << QStringLiteral("The property, 'messages[0].colour', in the request body is invalid (line: -, column: -)");
        QTest::newRow("messages not an array")
            << compact(QJsonObject{{QStringLiteral("to"), kUserA}, {QStringLiteral("messages"), text(QStringLiteral("hi"))}})
            << QStringLiteral("The property, 'messages', in the request body is invalid (line: -, column: -)");
        QTest::newRow("to is not a user ID") << compact(push(QStringLiteral("U4af4980629..."), texts(1)))
                                             << QStringLiteral("The property, 'to', in the request body is invalid (line: -, column: -)");
    }
    void unreadableBodiesAreRefused()
    {
        QFETCH(QByteArray, body);
        QFETCH(QString, message);
        const HttpResult result = request("POST", QStringLiteral("/v2/bot/message/push"), body, messagingHeaders());
        QCOMPARE(result.status, 400);
        QCOMPARE(result.json, (QJsonObject{{QStringLiteral("message"), message}}));
        QVERIFY(emulator->deliveries().isEmpty());
    }

    void missingOrWrongAuthorizationIs401()
    {
        const QByteArray body = compact(push(kUserA, texts(1)));
        const HttpResult missing = request("POST", QStringLiteral("/v2/bot/message/push"), body,
                                           {{"Content-Type", "application/json"}});
        QCOMPARE(missing.status, 401);
        QCOMPARE(missing.json.value(u"message").toString(),
                 QStringLiteral("Authorization header required. Must follow the scheme, 'Authorization: Bearer <ACCESS TOKEN>'"));
        const HttpResult wrong = request("POST", QStringLiteral("/v2/bot/message/push"), body,
                                         {{"Content-Type", "application/json"}, {"Authorization", "Bearer not-the-token"}});
        QCOMPARE(wrong.status, 401);
        QCOMPARE(wrong.json.value(u"message").toString(),
                 QStringLiteral("Authentication failed. Confirm that the access token in the authorization header is valid."));
        const HttpResult profile = request("GET", QStringLiteral("/v2/bot/profile/") + kUserA);
        QCOMPARE(profile.status, 401);
        QVERIFY(emulator->deliveries().isEmpty());
        QCOMPARE(emulator->requests().first().authorization, QStringLiteral("missing"));
        QCOMPARE(emulator->requests().at(1).authorization, QStringLiteral("invalid"));
    }

    void rateLimitAnswers429WhenExceeded()
    {
        emulator->clock().setFrozen(true); // every request lands in the same one-second window
        QCOMPARE(control("PUT", QStringLiteral("rate-limits"), {{QStringLiteral("push"), 3}}).json.value(u"push").toInt(), 3);
        for (int i = 0; i < 3; ++i)
            QCOMPARE(send(QStringLiteral("/v2/bot/message/push"), push(kUserA, texts(1))).status, 200);
        const HttpResult limited = send(QStringLiteral("/v2/bot/message/push"), push(kUserA, texts(1)));
        QCOMPARE(limited.status, 429);
        QCOMPARE(limited.json.value(u"message").toString(), QStringLiteral("The API rate limit has been exceeded. Try again later."));
        // Other endpoints have their own window.
        QCOMPARE(send(QStringLiteral("/v2/bot/message/multicast"),
                      QJsonObject{{QStringLiteral("to"), QJsonArray{kUserB}}, {QStringLiteral("messages"), texts(1)}}).status,
                 200);

        const QJsonArray logged = control("GET", QStringLiteral("requests?endpoint=push")).json.value(u"requests").toArray();
        QCOMPARE(logged.size(), 4);
        QCOMPARE(logged.last().toObject().value(u"status").toInt(), 429);
        QCOMPARE(logged.last().toObject().value(u"outcome").toString(), QStringLiteral("rate-limited"));
        QCOMPARE(emulator->deliveryCount(kUserA), 3);

        control("POST", QStringLiteral("clock"), {{QStringLiteral("advanceMs"), 1000}});
        QCOMPARE(send(QStringLiteral("/v2/bot/message/push"), push(kUserA, texts(1))).status, 200);
    }

    void retryKeyReplayIs409AndNotDeliveredTwice()
    {
        const QByteArray key = "123e4567-e89b-12d3-a456-426614174000";
        const HttpResult first = send(QStringLiteral("/v2/bot/message/push"), push(kUserA, texts(2)), key);
        QCOMPARE(first.status, 200);
        const HttpResult replay = send(QStringLiteral("/v2/bot/message/push"), push(kUserA, texts(2)), key);
        QCOMPARE(replay.status, 409);
        QCOMPARE(replay.headers.value("x-line-accepted-request-id"), first.headers.value("x-line-request-id"));
        QVERIFY(replay.headers.value("x-line-request-id") != first.headers.value("x-line-request-id"));
        QCOMPARE(replay.json.value(u"message").toString(), QStringLiteral("The retry key is already accepted"));
        QCOMPARE(replay.json.value(u"sentMessages"), first.json.value(u"sentMessages"));
        verifySchema(replay.json, QStringLiteral("ErrorResponse"));
        QCOMPARE(emulator->deliveryCount(kUserA), 1);

        const QByteArray multicastKey = "8d5bd35f-7f5d-4b43-9a49-5f1a4f0b9c11";
        const QJsonObject multicast{{QStringLiteral("to"), QJsonArray{kUserA, kUserB}}, {QStringLiteral("messages"), texts(1)}};
        QCOMPARE(send(QStringLiteral("/v2/bot/message/multicast"), multicast, multicastKey).status, 200);
        QCOMPARE(send(QStringLiteral("/v2/bot/message/multicast"), multicast, multicastKey).status, 409);
        QCOMPARE(emulator->deliveryCount(kUserA), 2);
        QCOMPARE(emulator->deliveryCount(kUserB), 1);

        // A key is remembered for 24 hours, then the same key is a new request.
        emulator->clock().advance(24LL * 3600 * 1000);
        QCOMPARE(send(QStringLiteral("/v2/bot/message/push"), push(kUserA, texts(2)), key).status, 200);
        QCOMPARE(emulator->deliveryCount(kUserA), 3);
    }

    void retryKeyWhereItDoesNotBelongIs400()
    {
        const QByteArray key = "123e4567-e89b-12d3-a456-426614174000";
        const QString token = emulator->issueReplyToken(kUserA);
        const HttpResult reply = send(QStringLiteral("/v2/bot/message/reply"),
                                      QJsonObject{{QStringLiteral("replyToken"), token}, {QStringLiteral("messages"), texts(1)}}, key);
        QCOMPARE(reply.status, 400);
        auto profileHeaders = messagingHeaders(key);
        QCOMPARE(request("GET", QStringLiteral("/v2/bot/profile/") + kUserA, {}, profileHeaders).status, 400);
        const HttpResult malformed = send(QStringLiteral("/v2/bot/message/push"), push(kUserA, texts(1)), "not-a-uuid");
        QCOMPARE(malformed.status, 400);
        QVERIFY(emulator->deliveries().isEmpty());
        // The refused reply did not use up the token.
        QCOMPARE(send(QStringLiteral("/v2/bot/message/reply"),
                      QJsonObject{{QStringLiteral("replyToken"), token}, {QStringLiteral("messages"), texts(1)}}).status,
                 200);
    }

    void injectedServerErrorsThenRecovery()
    {
        QCOMPARE(control("POST", QStringLiteral("faults"),
                         {{QStringLiteral("endpoint"), QStringLiteral("push")}, {QStringLiteral("status"), 500},
                          {QStringLiteral("count"), 2}}).status, 200);
        QCOMPARE(send(QStringLiteral("/v2/bot/message/push"), push(kUserA, texts(1))).status, 500);
        QCOMPARE(send(QStringLiteral("/v2/bot/message/push"), push(kUserA, texts(1))).status, 500);
        QCOMPARE(send(QStringLiteral("/v2/bot/message/push"), push(kUserA, texts(1))).status, 200);
        QCOMPARE(emulator->deliveryCount(kUserA), 1);

        Fault unavailable;
        unavailable.status = 503;
        emulator->injectFault(LineEndpoint::Multicast, unavailable);
        const QJsonObject multicast{{QStringLiteral("to"), QJsonArray{kUserB}}, {QStringLiteral("messages"), texts(1)}};
        QCOMPARE(send(QStringLiteral("/v2/bot/message/multicast"), multicast).status, 503);
        QCOMPARE(send(QStringLiteral("/v2/bot/message/multicast"), multicast).status, 200);
    }

    void failureAfterAcceptanceIsSafeToRetryWithTheKey()
    {
        // LINE delivered but the answer was lost: the retry with the same key must not deliver again.
        control("POST", QStringLiteral("faults"), {{QStringLiteral("endpoint"), QStringLiteral("push")},
                                                   {QStringLiteral("status"), 500}, {QStringLiteral("deliver"), true}});
        const QByteArray key = "0b7c2a4e-1f3d-4c5b-8a69-7e8f90a1b2c3";
        QCOMPARE(send(QStringLiteral("/v2/bot/message/push"), push(kUserA, texts(1)), key).status, 500);
        QCOMPARE(emulator->deliveryCount(kUserA), 1);
        QCOMPARE(send(QStringLiteral("/v2/bot/message/push"), push(kUserA, texts(1)), key).status, 409);
        QCOMPARE(emulator->deliveryCount(kUserA), 1);
    }

    void hangOutlastsTheClientsTimeout()
    {
        control("POST", QStringLiteral("faults"), {{QStringLiteral("endpoint"), QStringLiteral("push")},
                                                   {QStringLiteral("hangMs"), 3000}, {QStringLiteral("deliver"), true}});
        const HttpResult timedOut = send(QStringLiteral("/v2/bot/message/push"), push(kUserA, texts(1)), {}, 150);
        QCOMPARE(timedOut.status, 0);
        QVERIFY2(timedOut.error == QNetworkReply::OperationCanceledError || timedOut.error == QNetworkReply::TimeoutError,
                 qPrintable(QString::number(timedOut.error)));
        QVERIFY(timedOut.elapsedMs < 3000);
        QCOMPARE(emulator->requests().last().outcome, QStringLiteral("accepted-then-hung"));
        QCOMPARE(emulator->requests().last().status, 0);
        QCOMPARE(emulator->deliveryCount(kUserA), 1); // accepted although nobody heard so

        // A patient client sees the connection closed without an answer once the hang ends.
        // (A raw socket: QNetworkAccessManager would quietly resend the request.)
        emulator->injectFault(LineEndpoint::Push, Fault{1, 500, 200, false, {}});
        QTcpSocket client;
        client.connectToHost(QHostAddress::LocalHost, emulator->port());
        QVERIFY(client.waitForConnected(2000));
        const QByteArray body = compact(push(kUserA, texts(1)));
        client.write("POST /v2/bot/message/push HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                     "Authorization: Bearer " + emulator->config().channelAccessToken.toUtf8()
                     + "\r\nContent-Length: " + QByteArray::number(body.size()) + "\r\n\r\n" + body);
        QElapsedTimer waited;
        waited.start();
        QTRY_COMPARE_WITH_TIMEOUT(client.state(), QAbstractSocket::UnconnectedState, 3000);
        QVERIFY(waited.elapsed() >= 150);
        QCOMPARE(client.readAll(), QByteArray());
        QCOMPARE(emulator->requests().last().outcome, QStringLiteral("hung"));
        QCOMPARE(emulator->deliveryCount(kUserA), 1);

        QCOMPARE(send(QStringLiteral("/v2/bot/message/push"), push(kUserA, texts(1))).status, 200);
    }

    void webhooksAreSignedAndValidPerWebhookYml()
    {
        QHttpServer receiver;
        QList<QByteArray> bodies;
        QList<QByteArray> signatures;
        QList<QByteArray> contentTypes;
        receiver.route(QStringLiteral("/callback"), QHttpServerRequest::Method::Post, [&](const QHttpServerRequest &r) {
            bodies.append(r.body());
            signatures.append(r.value("x-line-signature"));
            contentTypes.append(r.value("content-type"));
            return QHttpServerResponse("OK");
        });
        const quint16 port = receiver.listen(QHostAddress::LocalHost);
        QVERIFY(port != 0);
        const QString url = QStringLiteral("http://127.0.0.1:%1/callback").arg(port);

        const auto event = [](const char *type, const QJsonObject &fields) {
            QJsonObject json = fields;
            json.insert(QStringLiteral("type"), QString::fromLatin1(type));
            json.insert(QStringLiteral("userId"), kUserA);
            return json;
        };
        const HttpResult sent = control("POST", QStringLiteral("webhooks"), {
            {QStringLiteral("url"), url},
            {QStringLiteral("events"), QJsonArray{
                event("follow", {{QStringLiteral("isUnblocked"), true}}),
                event("message", {{QStringLiteral("text"), QStringLiteral("登録 r/AbCdEf0123456789")}}),
                event("postback", {{QStringLiteral("data"), QStringLiteral("action=stop&brand=7")},
                                   {QStringLiteral("params"), QJsonObject{{QStringLiteral("datetime"), QStringLiteral("2017-12-25T01:00")}}}}),
                event("unfollow", {})}}});
        QCOMPARE(sent.status, 200);
        QCOMPARE(sent.json.value(u"status").toInt(), 200);
        QCOMPARE(bodies.size(), 1);

        const QByteArray secret = emulator->config().channelSecret.toUtf8();
        const QByteArray expected = QMessageAuthenticationCode::hash(bodies.first(), secret, QCryptographicHash::Sha256).toBase64();
        QCOMPARE(signatures.first(), expected);
        QVERIFY(contentTypes.first().startsWith("application/json"));

        const QJsonObject callback = parse(bodies.first());
        const auto violations = emulator->webhookSchema().validate(callback, QStringLiteral("CallbackRequest"));
        QVERIFY2(violations.isEmpty(), qPrintable(violationsText(violations)));
        QCOMPARE(callback.value(u"destination").toString(), emulator->botUserId());

        const QJsonArray events = callback.value(u"events").toArray();
        QCOMPARE(events.size(), 4);
        QSet<QString> eventIds;
        static const QRegularExpression ulid(QStringLiteral("^[0-9A-HJKMNP-TV-Z]{26}$"));
        for (const QJsonValue &value : events) {
            const QJsonObject e = value.toObject();
            QVERIFY(ulid.match(e.value(u"webhookEventId").toString()).hasMatch());
            eventIds.insert(e.value(u"webhookEventId").toString());
            QCOMPARE(e.value(u"deliveryContext").toObject().value(u"isRedelivery").toBool(), false);
            QCOMPARE(e.value(u"source").toObject().value(u"userId").toString(), kUserA);
            QCOMPARE(e.contains(u"replyToken"), e.value(u"type").toString() != u"unfollow");
        }
        QCOMPARE(eventIds.size(), 4);
        QCOMPARE(events.at(0).toObject().value(u"follow").toObject().value(u"isUnblocked").toBool(), true);
        QCOMPARE(events.at(1).toObject().value(u"message").toObject().value(u"text").toString(),
                 QStringLiteral("登録 r/AbCdEf0123456789"));

        // The message's reply token works once, for the user who sent it.
        const QJsonObject reply{{QStringLiteral("replyToken"), events.at(1).toObject().value(u"replyToken")},
                                {QStringLiteral("messages"), texts(1)}};
        QCOMPARE(send(QStringLiteral("/v2/bot/message/reply"), reply).status, 200);
        QCOMPARE(emulator->deliveries(kUserA).first().endpoint, QStringLiteral("reply"));

        // The follow made kUserA a friend and the unfollow after it blocked the account.
        QCOMPARE(request("GET", QStringLiteral("/v2/bot/profile/") + kUserA, {}, messagingHeaders()).status, 404);

        // A redelivery keeps the event ID and says so; a connectivity check has no events.
        const QString followId = events.at(0).toObject().value(u"webhookEventId").toString();
        QCOMPARE(control("POST", QStringLiteral("webhooks"),
                         {{QStringLiteral("url"), url}, {QStringLiteral("isRedelivery"), true},
                          {QStringLiteral("events"), QJsonArray{QJsonObject{{QStringLiteral("type"), QStringLiteral("follow")},
                                                                            {QStringLiteral("userId"), kUserA},
                                                                            {QStringLiteral("webhookEventId"), followId}}}}})
                     .status, 200);
        const QJsonObject redelivered = parse(bodies.last()).value(u"events").toArray().first().toObject();
        QCOMPARE(redelivered.value(u"webhookEventId").toString(), followId);
        QCOMPARE(redelivered.value(u"deliveryContext").toObject().value(u"isRedelivery").toBool(), true);
        QCOMPARE(request("GET", QStringLiteral("/v2/bot/profile/") + kUserA, {}, messagingHeaders()).status, 200);

        control("POST", QStringLiteral("webhooks"), {{QStringLiteral("url"), url}, {QStringLiteral("events"), QJsonArray{}}});
        QCOMPARE(parse(bodies.last()).value(u"events").toArray().size(), 0);
        QVERIFY(emulator->webhookSchema().validate(parse(bodies.last()), QStringLiteral("CallbackRequest")).isEmpty());
        QCOMPARE(emulator->webhooks().size(), 3);
    }

    void webhookReportsAReceiverThatDoesNotAnswer()
    {
        QHttpServer receiver;
        std::shared_ptr<QHttpServerResponder> held; // never answered
        receiver.route(QStringLiteral("/slow"), QHttpServerRequest::Method::Post,
                       [&held](const QHttpServerRequest &, QHttpServerResponder &&responder) {
                           held = std::make_shared<QHttpServerResponder>(std::move(responder));
                       });
        const quint16 port = receiver.listen(QHostAddress::LocalHost);
        WebhookResult result;
        bool done = false;
        WebhookOptions options;
        options.timeoutMs = 200;
        emulator->sendWebhook(QUrl(QStringLiteral("http://127.0.0.1:%1/slow").arg(port)), {WebhookEventSpec{}}, options,
                              [&](const WebhookResult &r) {
                                  result = r;
                                  done = true;
                              });
        QTRY_VERIFY_WITH_TIMEOUT(done, 3000);
        QCOMPARE(result.status, 0);
        QCOMPARE(result.error, QStringLiteral("no answer within 200 ms"));
    }

    void signatureMatchesPublishedVectors()
    {
        QFile file(QStringLiteral(POPTAP_SHARED_DIR "/line-webhook-signatures.json"));
        QVERIFY2(file.open(QIODevice::ReadOnly), qPrintable(file.fileName()));
        const QJsonArray vectors = parse(file.readAll()).value(u"vectors").toArray();
        QVERIFY(vectors.size() >= 3);
        for (const QJsonValue &value : vectors) {
            const QJsonObject vector = value.toObject();
            QCOMPARE(webhookSignature(vector.value(u"secret").toString().toUtf8(), vector.value(u"body").toString().toUtf8()),
                     vector.value(u"signature").toString().toLatin1());
        }
    }

    void webhookSchemaCatchesBrokenBodies_data()
    {
        QTest::addColumn<QJsonObject>("body");
        QTest::addColumn<QString>("property");
        const auto body = [](WebhookEventSpec::Type type, const std::function<void(QJsonObject &)> &breakIt) {
            WebhookEventSpec spec;
            spec.type = type;
            spec.text = QStringLiteral("hi");
            QJsonObject event = buildWebhookEvent(spec, false, QDateTime::currentMSecsSinceEpoch());
            breakIt(event);
            return parse(buildWebhookBody(kUserB, QJsonArray{event}));
        };
        QTest::newRow("intact") << body(WebhookEventSpec::Type::Message, [](QJsonObject &) {}) << QString();
        QJsonObject badDestination = body(WebhookEventSpec::Type::Follow, [](QJsonObject &) {});
        badDestination.insert(QStringLiteral("destination"), QStringLiteral("bot"));
        QTest::newRow("destination pattern") << badDestination << QStringLiteral("destination");
        QTest::newRow("follow without replyToken")
            << body(WebhookEventSpec::Type::Follow, [](QJsonObject &e) { e.remove(QStringLiteral("replyToken")); })
            << QStringLiteral("events[0].replyToken");
        QTest::newRow("text message without quoteToken")
            << body(WebhookEventSpec::Type::Message, [](QJsonObject &e) {
                   QJsonObject message = e.value(u"message").toObject();
                   message.remove(QStringLiteral("quoteToken"));
                   e.insert(QStringLiteral("message"), message);
               })
            << QStringLiteral("events[0].message.quoteToken");
        QTest::newRow("unfollow without deliveryContext")
            << body(WebhookEventSpec::Type::Unfollow, [](QJsonObject &e) { e.remove(QStringLiteral("deliveryContext")); })
            << QStringLiteral("events[0].deliveryContext");
        QTest::newRow("unknown event type")
            << body(WebhookEventSpec::Type::Unfollow, [](QJsonObject &e) { e.insert(QStringLiteral("type"), QStringLiteral("purchase")); })
            << QStringLiteral("events[0].type");
    }
    void webhookSchemaCatchesBrokenBodies()
    {
        QFETCH(QJsonObject, body);
        QFETCH(QString, property);
        const auto violations = emulator->webhookSchema().validate(body, QStringLiteral("CallbackRequest"));
        if (property.isEmpty()) {
            QVERIFY2(violations.isEmpty(), qPrintable(violationsText(violations)));
            return;
        }
        QVERIFY(!violations.isEmpty());
        QCOMPARE(violations.first().property, property);
    }

    void profileAnswersForFriendsOnly()
    {
        const HttpResult added = control("POST", QStringLiteral("users"),
                                         {{QStringLiteral("userId"), kUserB}, {QStringLiteral("displayName"), QStringLiteral("LINE taro")},
                                          {QStringLiteral("language"), QStringLiteral("ja")}});
        QCOMPARE(added.status, 200);
        const HttpResult profile = request("GET", QStringLiteral("/v2/bot/profile/") + kUserB, {}, messagingHeaders());
        QCOMPARE(profile.status, 200);
        verifySchema(profile.json, QStringLiteral("UserProfileResponse"));
        QCOMPARE(profile.json.value(u"displayName").toString(), QStringLiteral("LINE taro"));
        QCOMPARE(request("GET", QStringLiteral("/v2/bot/profile/") + kUserA, {}, messagingHeaders()).status, 404);
    }

    void unknownPathsAre404AndLogged()
    {
        const HttpResult quota = request("GET", QStringLiteral("/v2/bot/message/quota"), {}, messagingHeaders());
        QCOMPARE(quota.status, 404);
        QCOMPARE(emulator->requests().last().endpoint, QStringLiteral("unknown"));
        QCOMPARE(emulator->requests().last().path, QStringLiteral("/v2/bot/message/quota"));
    }

    void deliveriesAndResetThroughTheControlApi()
    {
        QCOMPARE(send(QStringLiteral("/v2/bot/message/push"), push(kUserA, texts(3))).status, 200);
        const QJsonObject counts = control("GET", QStringLiteral("deliveries")).json.value(u"users").toObject();
        QCOMPARE(counts.value(kUserA).toObject(),
                 (QJsonObject{{QStringLiteral("deliveries"), 1}, {QStringLiteral("messages"), 3}, {QStringLiteral("push"), 1}}));
        QCOMPARE(control("POST", QStringLiteral("reset")).status, 200);
        QVERIFY(emulator->requests().isEmpty());
        QCOMPARE(control("GET", QStringLiteral("deliveries")).json.value(u"deliveries").toArray().size(), 0);
        QCOMPARE(emulator->rateLimit(LineEndpoint::Push), 2000);
    }

    // LIFF: the SDK double and the session it reads (the page side runs in tests/liff).
    void liffSdkIsServedAsJavaScript()
    {
        const HttpResult sdk = request("GET", QStringLiteral("/liff/sdk.js"));
        QCOMPARE(sdk.status, 200);
        QVERIFY(sdk.headers.value("content-type").startsWith("text/javascript"));
        for (const char *api : {"init", "isLoggedIn", "login", "getIDToken"})
            QVERIFY2(sdk.body.contains(QByteArray(api) + ": function"), api);
    }

    void liffSessionGivesAnIdTokenThatVerifies()
    {
        const HttpResult app = control("POST", QStringLiteral("liff/apps"),
                                       {{QStringLiteral("endpointUrl"), QStringLiteral("http://127.0.0.1:1/")}});
        QCOMPARE(app.status, 200);
        const QString liffId = app.json.value(u"liffId").toString();
        QVERIFY2(liffId.startsWith(emulator->config().channelId + u'-'), qPrintable(liffId));
        QCOMPARE(control("POST", QStringLiteral("liff/session"),
                         {{QStringLiteral("liffId"), liffId}, {QStringLiteral("userId"), kUserA}})
                     .status,
                 200);

        // Read as the page's origin does: a cross-origin GET.
        const HttpResult session = request("GET", QStringLiteral("/_emulator/liff/session?liffId=") + liffId, {},
                                           {{"Origin", "http://127.0.0.1:1"}});
        QCOMPARE(session.status, 200);
        QCOMPARE(session.headers.value("access-control-allow-origin"), QByteArray("*"));
        QCOMPARE(session.json.value(u"loggedIn").toBool(), true);
        QCOMPARE(session.json.value(u"userId").toString(), kUserA);
        QCOMPARE(session.json.value(u"endpointUrl").toString(), QStringLiteral("http://127.0.0.1:1/"));
        const HttpResult verified = verify(session.json.value(u"idToken").toString(), emulator->config().channelId);
        QCOMPARE(verified.status, 200);
        QCOMPARE(verified.json.value(u"sub").toString(), kUserA);
    }

    void liffWithoutALoginHasNoIdToken()
    {
        const QString liffId = emulator->liff().addApp({{}, QUrl(QStringLiteral("http://127.0.0.1:1/"))}).liffId;
        const QString path = QStringLiteral("/_emulator/liff/session?liffId=") + liffId;
        QCOMPARE(request("GET", path).json.value(u"loggedIn").toBool(true), false); // nobody on the phone yet
        QCOMPARE(emulator->liff().setSession({liffId, kUserA, false}), QString());
        const HttpResult session = request("GET", path);
        QCOMPARE(session.json.value(u"loggedIn").toBool(true), false);
        QVERIFY(!session.json.contains(u"idToken"));
        QVERIFY(emulator->requests(LineEndpoint::Verify).isEmpty());
    }

    void unknownLiffAppsAreRefused()
    {
        const HttpResult session = request("GET", QStringLiteral("/_emulator/liff/session?liffId=1234567890-unknown"));
        QCOMPARE(session.status, 404);
        QCOMPARE(session.headers.value("access-control-allow-origin"), QByteArray("*")); // the SDK can read why
        const HttpResult set = control("POST", QStringLiteral("liff/session"),
                                       {{QStringLiteral("liffId"), QStringLiteral("1234567890-unknown")}});
        QCOMPARE(set.status, 400);
        QVERIFY(set.json.value(u"message").toString().contains(QStringLiteral("liff/apps")));
        QCOMPARE(control("POST", QStringLiteral("liff/apps"), {{QStringLiteral("endpointUrl"), QStringLiteral("ftp://x/")}})
                     .status,
                 400);
    }

    void liffLoginIsRecordedAndReturnsToTheApp_data()
    {
        QTest::addColumn<QString>("redirectUri");
        QTest::addColumn<bool>("userOnPhone");
        QTest::addColumn<int>("status");
        QTest::addColumn<QString>("outcome");
        QTest::newRow("logs in") << "http://127.0.0.1:1/r/abc" << true << 302 << "logged-in";
        QTest::newRow("nobody to log in") << "http://127.0.0.1:1/r/abc" << false << 200 << "no-user";
        QTest::newRow("outside the endpoint") << "http://127.0.0.1:2/r/abc" << true << 400 << "bad-redirect-uri";
    }
    void liffLoginIsRecordedAndReturnsToTheApp()
    {
        QFETCH(QString, redirectUri);
        QFETCH(bool, userOnPhone);
        QFETCH(int, status);
        QFETCH(QString, outcome);
        const QString liffId = emulator->liff().addApp({{}, QUrl(QStringLiteral("http://127.0.0.1:1/"))}).liffId;
        if (userOnPhone)
            QCOMPARE(emulator->liff().setSession({liffId, kUserA, false}), QString());

        QUrlQuery query;
        query.addQueryItem(QStringLiteral("liffId"), liffId);
        query.addQueryItem(QStringLiteral("redirectUri"), QString::fromLatin1(QUrl::toPercentEncoding(redirectUri)));
        QUrl url = emulator->baseUrl().resolved(QUrl(QStringLiteral("/liff/login")));
        url.setQuery(query);
        QNetworkRequest req(url);
        req.setAttribute(QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::ManualRedirectPolicy);
        QNetworkReply *reply = network.get(req);
        QTRY_VERIFY_WITH_TIMEOUT(reply->isFinished(), 5000);
        reply->deleteLater();
        QCOMPARE(reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), status);
        if (status == 302)
            QCOMPARE(reply->rawHeader("Location"), redirectUri.toLatin1());

        const QJsonArray logins = control("GET", QStringLiteral("liff/logins")).json.value(u"logins").toArray();
        QCOMPARE(logins.size(), 1);
        QCOMPARE(logins.first()[u"redirectUri"].toString(), redirectUri);
        QCOMPARE(logins.first()[u"outcome"].toString(), outcome);
        const std::optional<LiffSession> session = emulator->liff().session(liffId);
        QCOMPARE(session && session->loggedIn, status == 302);
    }

    void resetForgetsLiffApps()
    {
        const QString liffId = emulator->liff().addApp({{}, QUrl(QStringLiteral("http://127.0.0.1:1/"))}).liffId;
        QCOMPARE(control("POST", QStringLiteral("reset")).status, 200);
        QVERIFY(!emulator->liff().app(liffId));
    }

    void executableServesUntilSigterm()
    {
        QProcess process;
        process.start(QStringLiteral(LINE_EMULATOR_BINARY),
                      {QStringLiteral("--port"), QStringLiteral("0"), QStringLiteral("--channel-access-token"),
                       QStringLiteral("demo-token"), QStringLiteral("--channel-id"), QStringLiteral("1650000000")});
        QVERIFY(process.waitForStarted());
        QTRY_VERIFY_WITH_TIMEOUT(process.canReadLine(), 5000);
        const QString line = QString::fromUtf8(process.readLine()).trimmed();
        static const QRegularExpression listening(QStringLiteral("^line-emulator listening on (http://127\\.0\\.0\\.1:\\d+)$"));
        const QRegularExpressionMatch match = listening.match(line);
        QVERIFY2(match.hasMatch(), qPrintable(line));
        const QUrl base(match.captured(1));

        QNetworkRequest req(base.resolved(QUrl(QStringLiteral("/v2/bot/message/push"))));
        req.setRawHeader("Authorization", "Bearer demo-token");
        req.setRawHeader("Content-Type", "application/json");
        QNetworkReply *reply = network.post(req, compact(push(kUserA, texts(1))));
        QTRY_VERIFY_WITH_TIMEOUT(reply->isFinished(), 5000);
        QCOMPARE(reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 200);
        reply->deleteLater();

        process.terminate();
        QVERIFY(process.waitForFinished(5000));
        QCOMPARE(process.exitStatus(), QProcess::NormalExit);
        QCOMPARE(process.exitCode(), 0);
    }
};

QTEST_GUILESS_MAIN(LineEmulatorTest)
#include "lineemulatortest.moc"
