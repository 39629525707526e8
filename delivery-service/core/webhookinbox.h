#pragma once

#include "servicedatabase.h"
#include "webhookevent.h"

#include <functional>

namespace poptap::delivery {

// The durable inbox of LINE webhook events. store() runs before LINE gets its 2xx:
// each event is kept once (by webhookEventId, so LINE's redeliveries are dropped).
// processPending() runs afterwards and applies follow and unfollow; messages and
// postbacks are handed out with takeMessages() to the conversation that answers them.
class WebhookInbox
{
public:
    using Clock = std::function<qint64()>; // ms since epoch

    WebhookInbox(ServiceDatabase &db, Clock now);

    struct Stored {
        int added = 0;
        int duplicates = 0;
        QString error;
    };
    Stored store(const QList<WebhookEvent> &events);

    // Returns how many events were applied, or -1 on a database error.
    int processPending(int limit = 200);

    struct PendingMessage {
        QString eventId;
        QString userId;
        QString replyToken;
        QString text;          // a text message's text; empty for other messages
        bool isPostback = false;
        QString postbackData;  // a postback's data
    };
    // Takes up to `limit` messages and postbacks not yet handled and marks them as being handled,
    // so another instance leaves them alone. One left half-handled by a crash is handed
    // out again after kStaleMs.
    QList<PendingMessage> takeMessages(int limit = 50);
    void finishMessage(const QString &eventId, const QString &outcome);
    static constexpr qint64 kStaleMs = 5 * 60 * 1000;

    // Friend status as the newest follow/unfollow says; nullopt for an unknown user.
    std::optional<bool> isFriend(const QString &userId) const;

private:
    QString applyFriendship(const QString &userId, bool friendNow, qint64 eventTimeMs);

    ServiceDatabase &m_db;
    Clock m_now;
};

} // namespace poptap::delivery
