#pragma once

#include "claimservice.h"
#include "lineclient.h"
#include "subscriptions.h"
#include "targetnames.h"
#include "webhookinbox.h"

namespace poptap::delivery {

// What shoppers send the Official Account, answered by (free) reply:
// - a text carrying a registration token (the oaMessage flow, DESIGN.md) registers the
//   sender; if the reply cannot be delivered, a new subscription is confirmed by push;
// - the confirmation's "stop" button (a postback, postbackdata.h) stops that subscription
//   for the sender only;
// - anything else is recorded and left unanswered: the shop's staff may be chatting.
class ShopperConversation
{
public:
    using Clock = std::function<qint64()>; // ms since epoch
    ShopperConversation(ServiceDatabase &db, WebhookInbox &inbox, ClaimService &claims, LineClient &line, Clock now);

    // Handles every message and postback the inbox has not handed out yet.
    void handlePending();

    static QString stopText(Subscriptions::Stop outcome, RegistrationKind kind, const TargetNames::Names &names);

private:
    void handleText(const WebhookInbox::PendingMessage &message);
    void handlePostback(const WebhookInbox::PendingMessage &message);
    void reply(const WebhookInbox::PendingMessage &message, const QJsonArray &messages,
               std::function<void(bool delivered)> done);

    WebhookInbox &m_inbox;
    ClaimService &m_claims;
    LineClient &m_line;
    Subscriptions m_subscriptions;
    TargetNames m_names;
    Clock m_now;
};

} // namespace poptap::delivery
