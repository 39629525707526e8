#pragma once

#include "claimservice.h"
#include "lineclient.h"
#include "messages/chaintemplates.h"
#include "messages/stopmessages.h"
#include "messages/storecatalogs.h"
#include "subscriptions.h"
#include "targetnames.h"
#include "webhookinbox.h"

namespace poptap::delivery {

// What shoppers send the Official Account, answered by (free) reply:
// - a text carrying a registration token (the oaMessage flow, DESIGN.md) registers the
//   sender; if the reply cannot be delivered, a new subscription is confirmed by push;
// - the stop keyword (停止, ストップ, 配信停止, stop) lists the sender's active subscriptions
//   with a button that stops each and one that stops all;
// - those buttons and the confirmation's "stop" button (postbacks, postbackdata.h) stop
//   subscriptions of the sender only;
// - anything else is recorded and left unanswered: the shop's staff may be chatting.
class ShopperConversation
{
public:
    using Clock = std::function<qint64()>; // ms since epoch
    ShopperConversation(ServiceDatabase &db, WebhookInbox &inbox, ClaimService &claims, LineClient &line, Clock now);

    // Handles every message and postback the inbox has not handed out yet.
    void handlePending();

    // Trimmed, in any case, in full-width or half-width forms as phones type them.
    static bool isStopKeyword(const QString &text);

private:
    void handleText(const WebhookInbox::PendingMessage &message);
    void handleStopKeyword(const WebhookInbox::PendingMessage &message);
    void handlePostback(const WebhookInbox::PendingMessage &message);
    void handleStopAll(const WebhookInbox::PendingMessage &message);
    QList<StoppableSubscription> describe(const QList<StopRequest> &subscriptions) const;
    MessageTemplate templateFor(const QList<StopRequest> &subscriptions) const;
    // Replies when the event has a reply token, and records `outcome` either way.
    void answer(const WebhookInbox::PendingMessage &message, const QJsonArray &messages, const QString &outcome);
    void reply(const WebhookInbox::PendingMessage &message, const QJsonArray &messages,
               std::function<void(bool delivered)> done);

    WebhookInbox &m_inbox;
    ClaimService &m_claims;
    LineClient &m_line;
    Subscriptions m_subscriptions;
    TargetNames m_names;
    StoreCatalogs m_stores;
    ChainTemplates m_templates;
    Clock m_now;
};

} // namespace poptap::delivery
