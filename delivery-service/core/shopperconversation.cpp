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
    , m_stores(db)
    , m_templates(db)
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
        else if (isStopKeyword(message.text))
            handleStopKeyword(message);
        else
            handleText(message);
    }
}

bool ShopperConversation::isStopKeyword(const QString &text)
{
    if (text.size() > 32) // a keyword, not a sentence that contains one
        return false;
    // NFKC folds full-width letters (ＳＴＯＰ), half-width katakana (ｽﾄｯﾌﾟ) and the
    // ideographic space to the forms below.
    const QString folded = text.normalized(QString::NormalizationForm_KC).trimmed().toLower();
    static const QStringList keywords{QStringLiteral("停止"), QStringLiteral("ストップ"), QStringLiteral("配信停止"),
                                      QStringLiteral("stop")};
    return keywords.contains(folded);
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
    reply(message, m_claims.confirmationMessages(result), [this, message, result, outcome](bool delivered) {
        // A reply is free; if it cannot be delivered, a subscription is confirmed by push.
        if (!delivered && result.outcome == ClaimOutcome::Subscribed)
            m_claims.queueConfirmation(message.userId, result);
        m_inbox.finishMessage(message.eventId, delivered ? outcome : outcome + QStringLiteral("-pushed"));
    });
}

void ShopperConversation::handleStopKeyword(const WebhookInbox::PendingMessage &message)
{
    QString error;
    const std::optional<QList<StopRequest>> active = m_subscriptions.active(message.userId, &error);
    if (!active) {
        qCCritical(lcWebhook).noquote() << "subscriptions not listed:" << error;
        answer(message, stopFailedMessages(MessageTemplate()), QStringLiteral("stop-failed"));
        return;
    }
    answer(message, stopChoiceMessages(describe(*active), templateFor(*active)),
           active->isEmpty() ? QStringLiteral("stop-none") : QStringLiteral("stop-listed"));
}

void ShopperConversation::handlePostback(const WebhookInbox::PendingMessage &message)
{
    if (isStopAllPostback(message.postbackData)) {
        handleStopAll(message);
        return;
    }
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
    const TargetNames::Names names = m_names.of(stop->kind, stop->target, stop->storeId);
    answer(message, stopReplyMessages(outcome, stop->kind, {names.ja, names.en}, m_templates.ofStore(stop->storeId)),
           recorded);
}

void ShopperConversation::handleStopAll(const WebhookInbox::PendingMessage &message)
{
    QString error;
    const std::optional<QList<StopRequest>> stopped = m_subscriptions.stopAll(message.userId, m_now(), &error);
    if (!stopped) {
        qCCritical(lcWebhook).noquote() << "subscriptions not stopped:" << error;
        answer(message, stopFailedMessages(MessageTemplate()), QStringLiteral("stop-failed"));
        return;
    }
    answer(message, stopAllMessages(describe(*stopped), templateFor(*stopped)),
           QStringLiteral("stopped-all"));
}

QList<StoppableSubscription> ShopperConversation::describe(const QList<StopRequest> &subscriptions) const
{
    QHash<std::int64_t, LocalName> stores;
    QList<StoppableSubscription> described;
    for (const StopRequest &s : subscriptions) {
        if (!stores.contains(s.storeId))
            stores.insert(s.storeId, m_stores.storeName(s.storeId));
        const TargetNames::Names names = m_names.of(s.kind, s.target, s.storeId);
        described << StoppableSubscription{s, {names.ja, names.en}, stores.value(s.storeId)};
    }
    return described;
}

MessageTemplate ShopperConversation::templateFor(const QList<StopRequest> &subscriptions) const
{
    QList<std::int64_t> stores;
    for (const StopRequest &s : subscriptions)
        stores << s.storeId;
    return m_templates.ofStores(stores);
}

void ShopperConversation::answer(const WebhookInbox::PendingMessage &message, const QJsonArray &messages,
                                 const QString &outcome)
{
    if (message.replyToken.isEmpty()) {
        m_inbox.finishMessage(message.eventId, outcome);
        return;
    }
    reply(message, messages, [this, message, outcome](bool) { m_inbox.finishMessage(message.eventId, outcome); });
}

void ShopperConversation::reply(const WebhookInbox::PendingMessage &message, const QJsonArray &messages,
                                std::function<void(bool delivered)> done)
{
    const QJsonObject body{{QStringLiteral("replyToken"), message.replyToken}, {QStringLiteral("messages"), messages}};
    m_line.reply(QJsonDocument(body).toJson(QJsonDocument::Compact),
                 [done = std::move(done)](const LineClient::Push &sent) { done(sent.delivered()); });
}

} // namespace poptap::delivery
