#include "deliveryserver.h"
#include "requestheaders.h"

#include "analyticsapi.h"
#include "claimservice.h"
#include "clickredirects.h"
#include "deliverylogging.h"
#include "deviceregistry.h"
#include "eventsapi.h"
#include "fanout.h"
#include "kioskapi.h"
#include "kioskledger.h"
#include "lineclient.h"
#include "pushsender.h"
#include "servicedatabase.h"
#include "shopperconversation.h"
#include "subscriptionsapi.h"
#include "webhookevent.h"
#include "webhookinbox.h"
#include "webhooksignature.h"

#include <QDateTime>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QPointer>
#include <QTcpSocket>

namespace poptap::delivery {
namespace {

QHttpServerResponse errorResponse(QHttpServerResponse::StatusCode status, const QString &code, const QString &message)
{
    return QHttpServerResponse(QJsonObject{{QStringLiteral("error"), code}, {QStringLiteral("message"), message}}, status);
}

constexpr qsizetype kMaxClaimBodyBytes = 16 * 1024;

QHttpServerResponse::StatusCode statusFor(ClaimOutcome outcome)
{
    using Status = QHttpServerResponse::StatusCode;
    switch (outcome) {
    case ClaimOutcome::Subscribed:
    case ClaimOutcome::AlreadySubscribed: return Status::Ok;
    case ClaimOutcome::ClaimedByAnother: return Status::Conflict;
    case ClaimOutcome::Expired: return Status::Gone;
    case ClaimOutcome::Invalid: return Status::BadRequest;
    case ClaimOutcome::IdTokenRejected: return Status::Unauthorized;
    case ClaimOutcome::Unavailable: return Status::ServiceUnavailable;
    }
    return Status::InternalServerError;
}

QHttpServerResponse claimResponse(const ClaimResult &r)
{
    QJsonObject body{{QStringLiteral("result"), toString(r.outcome)}, {QStringLiteral("message"), r.message}};
    if (!r.targetNameJa.isEmpty())
        body.insert(QStringLiteral("target"), QJsonObject{{QStringLiteral("id"), qint64(r.claims.target)},
                                                          {QStringLiteral("kind"), r.claims.kind == RegistrationKind::Restock
                                                                                       ? QStringLiteral("restock")
                                                                                       : QStringLiteral("brand")},
                                                          {QStringLiteral("nameJa"), r.targetNameJa},
                                                          {QStringLiteral("nameEn"), r.targetNameEn}});
    return QHttpServerResponse(body, statusFor(r.outcome));
}

} // namespace

DeliveryServer::DeliveryServer(const ServiceConfig &config, QObject *parent)
    : QObject(parent)
    , m_config(config)
    , m_db(std::make_unique<ServiceDatabase>(QStringLiteral("poptap-delivery")))
{
}

DeliveryServer::~DeliveryServer() = default;

QString DeliveryServer::databaseDescription() const
{
    return m_db->describe();
}

QString DeliveryServer::start()
{
    if (m_config.lineChannelSecret.isEmpty())
        return QStringLiteral("line-channel-secret is not set: webhook signatures cannot be checked");
    if (const QString error = m_db->open(m_config.database, m_config.sqlitePath()); !error.isEmpty())
        return error;
    if (const QString error = m_db->migrate(); !error.isEmpty())
        return error;
    m_inbox = std::make_unique<WebhookInbox>(*m_db, m_now);
    const auto now = [clock = m_now] { return QDateTime::fromMSecsSinceEpoch(clock(), Qt::UTC); };
    m_line = std::make_unique<LineClient>(m_config.lineApiBaseUrl, m_config.lineChannelId, m_config.lineChannelAccessToken);
    m_pushes = std::make_unique<PushSender>(*m_db, *m_line, m_config, now);
    m_claims = std::make_unique<ClaimService>(*m_db, *m_line, now);
    connect(m_claims.get(), &ClaimService::pushQueued, m_pushes.get(), &PushSender::kick);
    m_conversation = std::make_unique<ShopperConversation>(*m_db, *m_inbox, *m_claims, *m_line,
                                                           m_now);
    m_registry = std::make_unique<DeviceRegistry>(*m_db);
    m_ledger = std::make_unique<KioskLedger>(*m_db, now);
    m_kioskApi = std::make_unique<KioskApi>(*m_ledger, *m_registry);
    m_kioskApi->registerRoutes(m_http.routes());
    AnalyticsApi::registerRoutes(m_http.routes(), std::make_shared<AnalyticsApi>(*m_db, m_config.timeZone));
    m_fanOut = std::make_unique<FanOut>(m_config, *m_line, m_now);
    m_clicks = std::make_unique<ClickRedirects>(*m_db, m_config.timeZone);
    m_clicks->registerRoutes(m_http.routes());
    m_eventsApi = std::make_unique<EventsApi>(*m_db, m_now, [this] { m_fanOut->kick(); });
    m_eventsApi->registerRoutes(m_http.routes());
    m_subscriptionsApi = std::make_unique<SubscriptionsApi>(*m_db, *m_line, m_now);
    m_subscriptionsApi->registerRoutes(m_http.routes());

    m_http.routes().route(QStringLiteral("/line/webhook"), QHttpServerRequest::Method::Post,
                 [this](const QHttpServerRequest &request) { return handleWebhook(request); });
    m_http.routes().route(QStringLiteral("/healthz"), QHttpServerRequest::Method::Get, [this] { return health(); });
    m_http.routes().route(QStringLiteral("/v1/claims"), QHttpServerRequest::Method::Post,
                 [this](const QHttpServerRequest &request, QHttpServerResponder &&responder) {
                     handleClaim(request, std::move(responder));
                 });
    // The LIFF endpoint: LINE first opens it bare (with liff.state), then at /r/<token>.
    m_http.routes().route(QStringLiteral("/"), QHttpServerRequest::Method::Get, [this] { return claimPage(); });
    m_http.routes().route(QStringLiteral("/r/<arg>"), QHttpServerRequest::Method::Get,
                 [this](const QString &) { return claimPage(); });
    // A POP sticker's static link, https://liff.line.me/{liffId}/p/{popId} (kiosk/core/poplink.h).
    m_http.routes().route(QStringLiteral("/p/<arg>"), QHttpServerRequest::Method::Get,
                          [this](const QString &) { return claimPage(); });
    // The shopper's subscriptions, at LIFF URL https://liff.line.me/{liffId}/m.
    m_http.routes().route(QStringLiteral("/m"), QHttpServerRequest::Method::Get,
                          [this] { return liffPage(QStringLiteral("manage.html")); });

    m_port = m_http.listen(m_config.listenAddress, m_config.port);
    if (m_port == 0)
        return QStringLiteral("cannot listen on %1:%2").arg(m_config.listenAddress.toString()).arg(m_config.port);
    // Events stored and pushes queued by an earlier run (or another instance).
    processWebhookInbox();
    m_pushes->kick();
    return {};
}

QHttpServerResponse DeliveryServer::health() const
{
    return QHttpServerResponse(QJsonObject{{QStringLiteral("status"), QStringLiteral("ok")},
                                           {QStringLiteral("schemaVersion"), m_db->schemaVersion()}});
}

QHttpServerResponse DeliveryServer::handleWebhook(const QHttpServerRequest &request)
{
    using Status = QHttpServerResponse::StatusCode;
    const QByteArray body = request.body(); // at most wire::kMaxBodyBytes: GuardedHttpServer refused larger
    // The signature is checked on the raw bytes before anything parses them.
    if (!verifyWebhookSignature(m_config.lineChannelSecret.toUtf8(), body, header(request, "x-line-signature"))) {
        qCWarning(lcWebhook) << "webhook with a missing or wrong signature from" << request.remoteAddress();
        return errorResponse(Status::Unauthorized, QStringLiteral("bad_signature"),
                             QStringLiteral("x-line-signature does not match the body"));
    }
    const WebhookParse parsed = parseWebhookBody(body);
    if (!parsed.ok())
        return errorResponse(Status::BadRequest, QStringLiteral("malformed_body"), parsed.error);
    for (const QString &reason : parsed.skipped)
        qCWarning(lcWebhook).noquote() << "webhook event skipped:" << reason;

    const WebhookInbox::Stored stored = m_inbox->store(parsed.events);
    if (!stored.error.isEmpty()) {
        // Not acknowledged, so LINE's redelivery (when enabled) brings the events back.
        qCCritical(lcWebhook).noquote() << "webhook events not stored:" << stored.error;
        return errorResponse(Status::InternalServerError, QStringLiteral("storage"), QStringLiteral("events not stored"));
    }
    if (stored.added > 0 && !m_processingScheduled) {
        // Answer LINE now; apply the events right after (DESIGN.md: 2xx within ~2 s).
        m_processingScheduled = true;
        QMetaObject::invokeMethod(this, &DeliveryServer::processWebhookInbox, Qt::QueuedConnection);
    }
    return QHttpServerResponse(QJsonObject{}, Status::Ok);
}

void DeliveryServer::handleClaim(const QHttpServerRequest &request, QHttpServerResponder &&responder)
{
    using Status = QHttpServerResponse::StatusCode;
    const QByteArray body = request.body();
    if (body.size() > kMaxClaimBodyBytes) {
        errorResponse(Status::PayloadTooLarge, QStringLiteral("too_large"), QStringLiteral("claim too large"))
            .write(std::move(responder));
        return;
    }
    const QJsonObject json = QJsonDocument::fromJson(body).object();
    const QJsonValue token = json.value(QLatin1String("token"));
    const QJsonValue pop = json.value(QLatin1String("pop")); // a sticker's POP id, as its link spells it
    const QJsonValue idToken = json.value(QLatin1String("idToken"));
    if (!(pop.isUndefined() ? token.isString() : pop.isString() && token.isUndefined()) || !idToken.isString()) {
        errorResponse(Status::BadRequest, QStringLiteral("malformed_body"),
                      QStringLiteral("a JSON object with string idToken and either string token or string pop is required"))
            .write(std::move(responder));
        return;
    }
    // The answer comes after LINE has checked the ID token. A phone that hung up by then
    // gets nothing written to its closed socket; its claim is recorded all the same.
    auto pending = std::make_shared<QHttpServerResponder>(std::move(responder));
    QPointer<QTcpSocket> socket = pending->socket();
    auto answer = [pending, socket](const ClaimResult &result) {
        if (socket)
            claimResponse(result).write(std::move(*pending));
    };
    if (pop.isUndefined())
        m_claims->claim(token.toString(), idToken.toString(), std::move(answer));
    else
        m_claims->claimPop(pop.toString(), idToken.toString(), std::move(answer));
}

QHttpServerResponse DeliveryServer::claimPage() const
{
    return liffPage(QStringLiteral("claim.html"));
}

QHttpServerResponse DeliveryServer::liffPage(const QString &file) const
{
    QFile page(QStringLiteral(":/poptap/delivery/liff/") + file);
    if (!page.open(QIODevice::ReadOnly))
        return errorResponse(QHttpServerResponse::StatusCode::InternalServerError, QStringLiteral("page"),
                             file + QStringLiteral(" missing"));
    QByteArray html = page.readAll();
    html.replace("@LIFF_ID@", m_config.liffId.toUtf8());
    html.replace("@LIFF_SDK_URL@", m_config.liffSdkUrl.toUtf8());
    QHttpServerResponse response("text/html; charset=utf-8", html);
    response.addHeader("Cache-Control", "no-store");
    // The SDK is loaded from its origin and may call back to it (the emulator's LIFF double
    // does, for the session), besides LINE's API hosts.
    const QByteArray sdkOrigin =
        QUrl(m_config.liffSdkUrl).adjusted(QUrl::RemovePath | QUrl::RemoveQuery | QUrl::RemoveFragment).toEncoded();
    response.addHeader("Content-Security-Policy",
                       "default-src 'none'; script-src 'self' 'unsafe-inline' " + sdkOrigin + "; connect-src 'self' " + sdkOrigin
                           + " https://api.line.me https://access.line.me https://liffsdk.line-scdn.net; style-src 'unsafe-inline'");
    return response;
}

void DeliveryServer::processWebhookInbox()
{
    m_processingScheduled = false;
    int total = 0;
    for (int applied = m_inbox->processPending(); applied > 0; applied = m_inbox->processPending())
        total += applied;
    m_conversation->handlePending();
    Q_EMIT webhookEventsProcessed(total);
}

} // namespace poptap::delivery
