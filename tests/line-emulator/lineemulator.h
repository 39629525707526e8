#pragma once

#include "emulatorclock.h"
#include "idtokens.h"
#include "liffplatform.h"
#include "lineendpoint.h"
#include "openapivalidator.h"
#include "ratelimiter.h"
#include "webhookevents.h"

#include <QDateTime>
#include <QHash>
#include <QHttpServer>
#include <QJsonArray>
#include <QJsonObject>
#include <QList>
#include <QNetworkAccessManager>
#include <QObject>
#include <QUrl>

#include <deque>
#include <functional>
#include <map>
#include <optional>

class QHttpServerRequest;
class QHttpServerResponder;

namespace poptap::lineemu {

struct LineEmulatorConfig {
    // The LINE Login channel of the LIFF app: `aud` of ID tokens, `client_id` on verify.
    QString channelId = QStringLiteral("1234567890");
    // The Messaging API channel: bearer token for /v2/bot/*, secret for webhook signatures.
    QString channelAccessToken = QStringLiteral("line-emulator-channel-access-token");
    QString channelSecret = QStringLiteral("line-emulator-channel-secret");
    QString botUserId; // webhook `destination`; derived from channelId when empty
    int replyTokenLifetimeSeconds = 60;
    int webhookTimeoutMs = 2000; // LINE gives up on a webhook that does not answer in ~2 s
    int requestLogLimit = 10000; // oldest records go first, so long fan-out runs stay bounded
};

// A LINE user as the profile API and webhooks see them.
struct LineUser {
    QString userId;
    QString displayName;
    QString pictureUrl;
    QString statusMessage;
    QString language;
    bool isFriend = true; // followed and not blocked; the profile API answers only for friends
    QJsonObject toJson() const; // the UserProfileResponse shape
};

// The next `count` requests to an endpoint fail this way.
struct Fault {
    int count = 1;
    int status = 500; // answered when hangMs == 0: 500, 503, 429, ...
    int hangMs = 0;   // > 0: no answer for this long, then the connection is closed
    // Process (and deliver) the request first, then fail: a LINE that accepted the request
    // but whose answer never arrived, the case X-Line-Retry-Key exists for.
    bool deliver = false;
    QString message; // error body message; a default per status when empty
};

struct RecordedRequest {
    qint64 sequence = 0;
    QDateTime receivedAt;
    QString endpoint; // lineendpoint.h names, or "unknown"
    QString method;
    QString path;
    QJsonObject headers;   // lower-cased names; authorization reduced to missing/valid/invalid
    QString authorization; // "missing", "valid" or "invalid"
    QString retryKey;
    QJsonValue body;     // parsed JSON, the verify form as an object, or the raw text
    int status = 0;      // 0: not answered (an injected hang)
    QString outcome;     // accepted, replayed, rejected, rate-limited, fault, hung
    QString requestId;   // x-line-request-id answered
    QString acceptedRequestId; // x-line-accepted-request-id of a 409
    QJsonObject response;
    QJsonObject toJson() const;
};

// One accepted send reaching one recipient (a multicast to 3 users is 3 deliveries).
struct Delivery {
    QString endpoint;
    QString userId;
    QString requestId;
    QString retryKey;
    QJsonArray messages;
    QDateTime at;
    QJsonObject toJson() const;
};

struct WebhookOptions {
    bool isRedelivery = false;
    QByteArray signatureOverride; // send this x-line-signature instead of the right one
    int timeoutMs = 0;            // 0: the configured webhookTimeoutMs
};

struct WebhookResult {
    QUrl url;
    QByteArray body;
    QByteArray signature;
    QJsonArray events;
    int status = 0; // HTTP status the receiver answered; 0 when it did not
    QByteArray responseBody;
    QString error;
    qint64 elapsedMs = 0;
    QJsonObject toJson() const;
};

// Test double of the LINE platform endpoints the delivery service calls, served on
// 127.0.0.1 with LINE's paths, plus a control API under /_emulator (README.md). Bodies are
// validated against LINE's own OpenAPI documents; limits, retry keys, rate limits and
// error shapes follow LINE's published documentation.
class LineEmulator : public QObject
{
    Q_OBJECT

public:
    explicit LineEmulator(LineEmulatorConfig config = {}, QObject *parent = nullptr);
    ~LineEmulator() override;

    // Listens on 127.0.0.1 only; port 0 picks a free one.
    bool start(quint16 port = 0);
    quint16 port() const { return m_port; }
    QUrl baseUrl() const; // use in place of https://api.line.me
    const LineEmulatorConfig &config() const { return m_config; }
    QString botUserId() const { return m_botUserId; }
    EmulatorClock &clock() { return m_clock; }
    // LIFF apps, the shopper's session and the SDK double served at /liff/sdk.js.
    LiffPlatform &liff() { return m_liff; }

    // Users
    LineUser addUser(LineUser user); // fills an empty userId and displayName
    std::optional<LineUser> user(const QString &userId) const;

    // Tokens the service will receive from LINE in real life
    // Empty fields get defaults (a new user, the configured channel, valid for 1 h); `issued`
    // receives the claims as signed.
    QString issueIdToken(IdTokenClaims claims, IdTokenClaims *issued = nullptr);
    QString issueReplyToken(const QString &userId);

    // Behaviour
    void setRateLimit(LineEndpoint endpoint, int perSecond); // 0: unlimited
    int rateLimit(LineEndpoint endpoint) const;
    void injectFault(LineEndpoint endpoint, const Fault &fault);
    void clearFaults();

    // Sends LINE webhook events to `url`, signed with the channel secret. `done` runs when
    // the receiver has answered, failed or timed out.
    void sendWebhook(const QUrl &url, QList<WebhookEventSpec> events, const WebhookOptions &options = {},
                     std::function<void(const WebhookResult &)> done = {});

    // Inspection
    QList<RecordedRequest> requests() const { return m_requests; }
    QList<RecordedRequest> requests(LineEndpoint endpoint) const;
    QList<WebhookResult> webhooks() const { return m_webhooks; }
    QList<Delivery> deliveries(const QString &userId = {}) const;
    int deliveryCount(const QString &userId) const;
    void clearLog();  // requests, webhooks, deliveries
    void reset();     // the log, users, tokens, retry keys, faults, rate limits, the clock and LIFF

    const OpenApiValidator &messagingApiSchema() const { return m_messagingApi; }
    const OpenApiValidator &webhookSchema() const { return m_webhookApi; }

Q_SIGNALS:
    void requestRecorded(const poptap::lineemu::RecordedRequest &record);
    void webhookSent(const poptap::lineemu::WebhookResult &result);

private:
    struct Answer {
        int status = 200;
        QJsonObject body;
        QList<QPair<QByteArray, QByteArray>> headers;
        QString outcome = QStringLiteral("accepted");
        int hangMs = 0;
    };
    struct ReplyTokenState {
        QString userId;
        qint64 issuedMs = 0;
        bool used = false;
    };
    struct AcceptedRetry {
        QString requestId;
        QJsonObject response;
        qint64 acceptedMs = 0;
    };

    void registerLineRoutes();
    void registerControlRoutes(); // controlapi.cpp

    void serve(std::optional<LineEndpoint> endpoint, const QHttpServerRequest &request,
               QHttpServerResponder &&responder, const QString &pathArgument = {});
    RecordedRequest startRecord(std::optional<LineEndpoint> endpoint, const QHttpServerRequest &request);
    Answer process(LineEndpoint endpoint, const QHttpServerRequest &request,
                   const QString &pathArgument, RecordedRequest &record);
    Answer processVerify(const QHttpServerRequest &request, RecordedRequest &record);
    Answer processProfile(const QString &userId);
    Answer processSend(LineEndpoint endpoint, const QHttpServerRequest &request,
                       const QString &retryKey, RecordedRequest &record);
    Answer faultAnswer(const Fault &fault) const;
    void respond(RecordedRequest record, const Answer &answer, QHttpServerResponder &&responder);

    std::optional<Fault> takeFault(LineEndpoint endpoint);
    void expireRetryKeys();
    LineUser &ensureUser(const QString &userId);
    void resetBehaviour();

    LineEmulatorConfig m_config;
    QString m_botUserId;
    QHttpServer m_server;
    QNetworkAccessManager m_network;
    quint16 m_port = 0;
    EmulatorClock m_clock;
    IdTokenIssuer m_idTokens;
    LiffPlatform m_liff;
    OpenApiValidator m_messagingApi;
    OpenApiValidator m_webhookApi;

    QHash<QString, LineUser> m_users;
    QHash<QString, ReplyTokenState> m_replyTokens;
    QHash<QString, AcceptedRetry> m_retryKeys;
    std::map<LineEndpoint, SlidingWindowLimiter> m_limits;
    std::map<LineEndpoint, std::deque<Fault>> m_faults;

    qint64 m_sequence = 0;
    QList<RecordedRequest> m_requests;
    QList<WebhookResult> m_webhooks;
    QList<Delivery> m_deliveries;
};

// Default per-second limits from LINE's "Rate limits" table and DESIGN.md.
int defaultRateLimit(LineEndpoint endpoint);

} // namespace poptap::lineemu

// Every member is relocatable, so the logs grow by memmove (a 500-recipient multicast adds 500).
Q_DECLARE_TYPEINFO(poptap::lineemu::Delivery, Q_RELOCATABLE_TYPE);
Q_DECLARE_TYPEINFO(poptap::lineemu::RecordedRequest, Q_RELOCATABLE_TYPE);
