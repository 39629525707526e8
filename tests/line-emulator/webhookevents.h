#pragma once

#include <QByteArray>
#include <QJsonArray>
#include <QJsonObject>
#include <QString>
#include <QStringView>

#include <optional>

namespace poptap::lineemu {

// A webhook event the emulator sends as if a LINE user had acted. Fields left empty are
// generated; buildWebhookEvent() writes them back so callers know what was sent.
struct WebhookEventSpec {
    enum class Type {
        Follow,   // added as a friend, or unblocked (isUnblocked)
        Unfollow, // blocked; carries no reply token
        Message,  // a text message
        Postback, // a postback action
    };
    Type type = Type::Follow;
    QString userId;
    bool isUnblocked = false; // follow
    QString text;             // message
    QString data;             // postback
    QJsonObject params;       // postback, optional (e.g. {"datetime": "..."})
    QString mode = QStringLiteral("active");

    QString webhookEventId; // a ULID; reuse one to model a redelivery
    QString replyToken;     // not for unfollow
    QString messageId;      // message
    qint64 timestampMs = 0;
};

QString webhookEventTypeName(WebhookEventSpec::Type type);
std::optional<WebhookEventSpec::Type> webhookEventTypeFromName(QStringView name);
bool carriesReplyToken(WebhookEventSpec::Type type);

// One event object as webhook.yml defines it (type, mode, timestamp, source,
// webhookEventId, deliveryContext and the type's own fields).
QJsonObject buildWebhookEvent(WebhookEventSpec &spec, bool isRedelivery, qint64 nowEpochMs);

// The request body: {"destination": <bot user ID>, "events": [...]}, compact, UTF-8.
QByteArray buildWebhookBody(const QString &destination, const QJsonArray &events);

// x-line-signature: base64(HMAC-SHA256(key = channel secret, message = raw body)).
QByteArray webhookSignature(const QByteArray &channelSecret, const QByteArray &body);

} // namespace poptap::lineemu
