#include "deliveryserver.h"

#include "deliverylogging.h"
#include "servicedatabase.h"
#include "webhookevent.h"
#include "webhookinbox.h"
#include "webhooksignature.h"

#include <QDateTime>
#include <QJsonObject>

namespace poptap::delivery {
namespace {

QHttpServerResponse errorResponse(QHttpServerResponse::StatusCode status, const QString &code, const QString &message)
{
    return QHttpServerResponse(QJsonObject{{QStringLiteral("error"), code}, {QStringLiteral("message"), message}}, status);
}

QByteArray header(const QHttpServerRequest &request, QByteArrayView name)
{
    const auto headers = request.headers();
    for (const auto &[key, value] : headers)
        if (key.compare(name, Qt::CaseInsensitive) == 0)
            return value;
    return {};
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
    m_inbox = std::make_unique<WebhookInbox>(*m_db, [] { return QDateTime::currentMSecsSinceEpoch(); });

    m_http.route(QStringLiteral("/line/webhook"), QHttpServerRequest::Method::Post,
                 [this](const QHttpServerRequest &request) { return handleWebhook(request); });
    m_http.route(QStringLiteral("/healthz"), QHttpServerRequest::Method::Get, [this] { return health(); });

    m_port = m_http.listen(m_config.listenAddress, m_config.port);
    if (m_port == 0)
        return QStringLiteral("cannot listen on %1:%2").arg(m_config.listenAddress.toString()).arg(m_config.port);
    // Events stored by an earlier run (or another instance) that were not yet applied.
    processWebhookInbox();
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
    const QByteArray body = request.body();
    if (body.size() > kMaxWebhookBodyBytes)
        return errorResponse(Status::PayloadTooLarge, QStringLiteral("too_large"),
                             QStringLiteral("webhook body larger than %1 bytes").arg(kMaxWebhookBodyBytes));
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

void DeliveryServer::processWebhookInbox()
{
    m_processingScheduled = false;
    int total = 0;
    for (int applied = m_inbox->processPending(); applied > 0; applied = m_inbox->processPending())
        total += applied;
    Q_EMIT webhookEventsProcessed(total);
}

} // namespace poptap::delivery
