#pragma once

#include "messagetemplate.h"

#include "subscriptions.h"

#include <QJsonArray>

namespace poptap::delivery {

// A subscription as a shopper reads it in the answers to the stop keyword.
struct StoppableSubscription {
    StopRequest request;
    LocalName target; // the brand or the variant; empty when the catalog does not name it
    LocalName store;
};

// A quick reply holds 13 buttons: one per subscription for the newest 12, and "stop all".
inline constexpr int kMaxListedSubscriptions = 12;

// The reply to a stop button: what was stopped, or why nothing was.
QJsonArray stopReplyMessages(Subscriptions::Stop outcome, RegistrationKind kind, const LocalName &target,
                             const MessageTemplate &wording);
// The reply to the stop keyword: the active subscriptions, numbered, with a quick-reply
// button that stops each and one that stops all; without any, a friendly "nothing to stop".
QJsonArray stopChoiceMessages(const QList<StoppableSubscription> &active, const MessageTemplate &wording);
// The reply to "stop all": how many and which were stopped.
QJsonArray stopAllMessages(const QList<StoppableSubscription> &stopped, const MessageTemplate &wording);
// The reply when the subscriptions could not be read or changed.
QJsonArray stopFailedMessages(const MessageTemplate &wording);

} // namespace poptap::delivery
