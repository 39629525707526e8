#include "webhookevents.h"

#include "lineids.h"

#include <QCryptographicHash>
#include <QJsonDocument>
#include <QMessageAuthenticationCode>

namespace poptap::lineemu {

QString webhookEventTypeName(WebhookEventSpec::Type type)
{
    switch (type) {
    case WebhookEventSpec::Type::Follow:
        return QStringLiteral("follow");
    case WebhookEventSpec::Type::Unfollow:
        return QStringLiteral("unfollow");
    case WebhookEventSpec::Type::Message:
        return QStringLiteral("message");
    case WebhookEventSpec::Type::Postback:
        return QStringLiteral("postback");
    }
    return {};
}

std::optional<WebhookEventSpec::Type> webhookEventTypeFromName(QStringView name)
{
    for (auto type : {WebhookEventSpec::Type::Follow, WebhookEventSpec::Type::Unfollow,
                      WebhookEventSpec::Type::Message, WebhookEventSpec::Type::Postback}) {
        if (webhookEventTypeName(type) == name)
            return type;
    }
    return std::nullopt;
}

bool carriesReplyToken(WebhookEventSpec::Type type)
{
    return type != WebhookEventSpec::Type::Unfollow;
}

QJsonObject buildWebhookEvent(WebhookEventSpec &spec, bool isRedelivery, qint64 nowEpochMs)
{
    if (spec.userId.isEmpty())
        spec.userId = lineids::userId();
    if (spec.webhookEventId.isEmpty())
        spec.webhookEventId = lineids::ulid(nowEpochMs);
    if (spec.timestampMs == 0)
        spec.timestampMs = nowEpochMs;
    if (carriesReplyToken(spec.type) && spec.replyToken.isEmpty())
        spec.replyToken = lineids::replyToken();
    if (!carriesReplyToken(spec.type))
        spec.replyToken.clear();

    QJsonObject event{
        {QStringLiteral("type"), webhookEventTypeName(spec.type)},
        {QStringLiteral("mode"), spec.mode},
        {QStringLiteral("timestamp"), spec.timestampMs},
        {QStringLiteral("source"), QJsonObject{{QStringLiteral("type"), QStringLiteral("user")},
                                               {QStringLiteral("userId"), spec.userId}}},
        {QStringLiteral("webhookEventId"), spec.webhookEventId},
        {QStringLiteral("deliveryContext"), QJsonObject{{QStringLiteral("isRedelivery"), isRedelivery}}},
    };
    if (!spec.replyToken.isEmpty())
        event.insert(QStringLiteral("replyToken"), spec.replyToken);

    switch (spec.type) {
    case WebhookEventSpec::Type::Follow:
        event.insert(QStringLiteral("follow"), QJsonObject{{QStringLiteral("isUnblocked"), spec.isUnblocked}});
        break;
    case WebhookEventSpec::Type::Unfollow:
        break;
    case WebhookEventSpec::Type::Message:
        if (spec.messageId.isEmpty())
            spec.messageId = lineids::messageId();
        event.insert(QStringLiteral("message"), QJsonObject{{QStringLiteral("type"), QStringLiteral("text")},
                                                            {QStringLiteral("id"), spec.messageId},
                                                            {QStringLiteral("text"), spec.text},
                                                            {QStringLiteral("quoteToken"), lineids::quoteToken()}});
        break;
    case WebhookEventSpec::Type::Postback: {
        QJsonObject postback{{QStringLiteral("data"), spec.data}};
        if (!spec.params.isEmpty())
            postback.insert(QStringLiteral("params"), spec.params);
        event.insert(QStringLiteral("postback"), postback);
        break;
    }
    }
    return event;
}

QByteArray buildWebhookBody(const QString &destination, const QJsonArray &events)
{
    const QJsonObject body{{QStringLiteral("destination"), destination}, {QStringLiteral("events"), events}};
    return QJsonDocument(body).toJson(QJsonDocument::Compact);
}

QByteArray webhookSignature(const QByteArray &channelSecret, const QByteArray &body)
{
    return QMessageAuthenticationCode::hash(body, channelSecret, QCryptographicHash::Sha256).toBase64();
}

} // namespace poptap::lineemu
