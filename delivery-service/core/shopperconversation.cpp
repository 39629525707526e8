#include "shopperconversation.h"

#include "deliverylogging.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>

namespace poptap::delivery {

ShopperConversation::ShopperConversation(ServiceDatabase &db, WebhookInbox &inbox, ClaimService &claims,
                                         LineClient &line, Clock now)
    : m_inbox(inbox)
    , m_claims(claims)
    , m_line(line)
    , m_subscriptions(db)
    , m_names(db)
    , m_now(std::move(now))
{
}

void ShopperConversation::handlePending()
{
    for (const WebhookInbox::PendingMessage &message : m_inbox.takeMessages()) {
        if (message.userId.isEmpty()) // a group or room: never a shopper's registration
            m_inbox.finishMessage(message.eventId, QStringLiteral("not-a-user"));
        else if (message.isPostback)
            handlePostback(message);
        else
            handleText(message);
    }
}

void ShopperConversation::handleText(const WebhookInbox::PendingMessage &message)
{
    // The oaMessage flow: the prefilled text carries the registration token.
    static const QRegularExpression tokenPattern(QStringLiteral("(?<![A-Za-z0-9_-])([A-Za-z0-9_-]{%1})(?![A-Za-z0-9_-])")
                                                     .arg(RegistrationToken::kEncodedLength));
    const QRegularExpressionMatch match = tokenPattern.match(message.text);
    if (!match.hasMatch()) {
        m_inbox.finishMessage(message.eventId, QStringLiteral("no-token"));
        return;
    }
    const bool canReply = !message.replyToken.isEmpty();
    const ClaimResult result = m_claims.claimForUser(match.captured(1), message.userId, !canReply);
    const QString outcome = toString(result.outcome);
    if (!canReply) {
        m_inbox.finishMessage(message.eventId, outcome);
        return;
    }
    reply(message, ClaimService::confirmationMessages(result), [this, message, result, outcome](bool delivered) {
        // A reply is free; if it cannot be delivered, a subscription is confirmed by push.
        if (!delivered && result.outcome == ClaimOutcome::Subscribed)
            m_claims.queueConfirmation(message.userId, result);
        m_inbox.finishMessage(message.eventId, delivered ? outcome : outcome + QStringLiteral("-pushed"));
    });
}

void ShopperConversation::handlePostback(const WebhookInbox::PendingMessage &message)
{
    QString reason;
    const std::optional<StopRequest> stop = parseStopPostback(message.postbackData, &reason);
    if (!stop) {
        qCInfo(lcWebhook).noquote() << "postback" << message.eventId << "ignored:" << reason;
        m_inbox.finishMessage(message.eventId, QStringLiteral("postback-ignored"));
        return;
    }
    QString error;
    const Subscriptions::Stop outcome = m_subscriptions.stop(message.userId, *stop, m_now(), &error);
    if (outcome == Subscriptions::Stop::Failed)
        qCCritical(lcWebhook).noquote() << "subscription not stopped:" << error;
    const QString recorded = outcome == Subscriptions::Stop::Stopped     ? QStringLiteral("stopped")
                             : outcome == Subscriptions::Stop::NotActive ? QStringLiteral("not-active")
                                                                         : QStringLiteral("stop-failed");
    if (message.replyToken.isEmpty()) {
        m_inbox.finishMessage(message.eventId, recorded);
        return;
    }
    const QString text = stopText(outcome, stop->kind, m_names.of(stop->kind, stop->target, stop->storeId));
    reply(message, QJsonArray{QJsonObject{{QStringLiteral("type"), QStringLiteral("text")}, {QStringLiteral("text"), text}}},
          [this, message, recorded](bool) { m_inbox.finishMessage(message.eventId, recorded); });
}

QString ShopperConversation::stopText(Subscriptions::Stop outcome, RegistrationKind kind, const TargetNames::Names &names)
{
    switch (outcome) {
    case Subscriptions::Stop::Stopped:
        if (names.isEmpty())
            return QStringLiteral("お知らせを停止しました。\nThis notification is stopped.");
        if (kind == RegistrationKind::Restock)
            return QStringLiteral("%1の再入荷のお知らせを停止しました。\nYou will not be told when %2 is back.")
                .arg(names.ja, names.en);
        return QStringLiteral("%1の新着のお知らせを停止しました。\nYou will no longer get new arrivals from %2.")
            .arg(names.ja, names.en);
    case Subscriptions::Stop::NotActive:
        return QStringLiteral("このお知らせはすでに停止しています。\nThis notification was already stopped.");
    case Subscriptions::Stop::Failed:
        break;
    }
    return QStringLiteral("ただいま停止できません。しばらくしてからもう一度お試しください。\n"
                          "We cannot stop it right now. Please try again later.");
}

void ShopperConversation::reply(const WebhookInbox::PendingMessage &message, const QJsonArray &messages,
                                std::function<void(bool delivered)> done)
{
    const QJsonObject body{{QStringLiteral("replyToken"), message.replyToken}, {QStringLiteral("messages"), messages}};
    m_line.reply(QJsonDocument(body).toJson(QJsonDocument::Compact),
                 [done = std::move(done)](const LineClient::Push &sent) { done(sent.delivered()); });
}

} // namespace poptap::delivery
