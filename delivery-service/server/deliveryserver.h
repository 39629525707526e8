#pragma once

#include "serviceconfig.h"

#include "guardedhttpserver.h"

#include <QHttpServer>
#include <QObject>

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
class WebhookInbox;

// poptap-delivery's HTTP face: routes requests to the core and answers in JSON.
// Errors are {"error": "<code>", "message": "<human text>"}.
class DeliveryServer : public QObject
{
    Q_OBJECT
public:
    explicit DeliveryServer(const ServiceConfig &config, QObject *parent = nullptr);
    ~DeliveryServer() override;

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
    void processWebhookInbox();

    ServiceConfig m_config;
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
    GuardedHttpServer m_http;
    quint16 m_port = 0;
    bool m_processingScheduled = false;
};

} // namespace poptap::delivery
