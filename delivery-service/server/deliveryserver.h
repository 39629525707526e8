#pragma once

#include "serviceconfig.h"

#include "guardedhttpserver.h"

#include <QDateTime>
#include <QHttpServer>
#include <QObject>

#include <functional>
#include <memory>

namespace poptap::delivery {

class ClaimService;
class ClickRedirects;
class DeviceRegistry;
class EventsApi;
class FanOut;
class KioskApi;
class KioskLedger;
class LineClient;
class PushSender;
class ServiceDatabase;
class ShopperConversation;
class SubscriptionsApi;
class WebhookInbox;

// poptap-delivery's HTTP face: routes requests to the core and answers in JSON.
// Errors are {"error": "<code>", "message": "<human text>"}.
class DeliveryServer : public QObject
{
    Q_OBJECT
public:
    explicit DeliveryServer(const ServiceConfig &config, QObject *parent = nullptr);
    ~DeliveryServer() override;

    using Clock = std::function<qint64()>; // ms since epoch
    // What the service takes for now; before start(). Tests move it to another day.
    void setClock(Clock now) { m_now = std::move(now); }
    // Opens and migrates the database, then listens. Empty on success.
    QString start();
    quint16 port() const { return m_port; }
    QString databaseDescription() const;
    WebhookInbox *webhookInbox() const { return m_inbox.get(); }
    ServiceDatabase *database() const { return m_db.get(); }
    PushSender *pushSender() const { return m_pushes.get(); }
    KioskLedger *kioskLedger() const { return m_ledger.get(); }
    FanOut *fanOut() const { return m_fanOut.get(); }

Q_SIGNALS:
    // The inbox has applied what it could of the events received so far.
    void webhookEventsProcessed(int count);

private:
    QHttpServerResponse handleWebhook(const QHttpServerRequest &request);
    QHttpServerResponse health() const;
    void handleClaim(const QHttpServerRequest &request, QHttpServerResponder &&responder);
    QHttpServerResponse claimPage() const;
    // A LIFF page of liff/ with the LIFF id and SDK filled in, under the pages' CSP.
    QHttpServerResponse liffPage(const QString &file) const;
    void processWebhookInbox();

    ServiceConfig m_config;
    Clock m_now = [] { return QDateTime::currentMSecsSinceEpoch(); };
    std::unique_ptr<ServiceDatabase> m_db;
    std::unique_ptr<WebhookInbox> m_inbox;
    std::unique_ptr<LineClient> m_line;
    std::unique_ptr<ClaimService> m_claims;
    std::unique_ptr<ShopperConversation> m_conversation;
    std::unique_ptr<PushSender> m_pushes;
    std::unique_ptr<DeviceRegistry> m_registry;
    std::unique_ptr<KioskLedger> m_ledger;
    std::unique_ptr<KioskApi> m_kioskApi;
    std::unique_ptr<FanOut> m_fanOut;
    std::unique_ptr<EventsApi> m_eventsApi;
    std::unique_ptr<ClickRedirects> m_clicks;
    std::unique_ptr<SubscriptionsApi> m_subscriptionsApi;
    GuardedHttpServer m_http;
    quint16 m_port = 0;
    bool m_processingScheduled = false;
};

} // namespace poptap::delivery
