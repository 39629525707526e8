#pragma once

#include "wire/wirecommon.h"

#include <QByteArray>
#include <QList>
#include <QString>
#include <QStringList>

namespace poptap::delivery {

// A LINE user id as LINE writes it: U and 32 lowercase hex digits (DESIGN.md). Webhooks and
// LINE's ID-token answers are checked with it before the id is stored.
bool isLineUserId(const QString &id);

// One event of a LINE webhook request, with the fields the service acts on
// (shared/line-openapi/webhook.yml). `json` keeps the whole event for the inbox.
struct WebhookEvent {
    QString eventId;        // webhookEventId: the deduplication key
    QString type;           // follow, unfollow, message, postback, ...
    qint64 timestampMs = 0;
    QString userId;         // source.userId, when the source is a user
    QString replyToken;
    bool isRedelivery = false;
    bool isUnblocked = false;   // follow only
    QString messageType;        // message only
    QString text;               // text message only
    QString postbackData;       // postback only
    QByteArray json;
};

struct WebhookParse {
    QString destination;
    QList<WebhookEvent> events;  // the well-formed ones
    QStringList skipped;         // why an event was left out (no id, bad user id, ...)
    QString error;               // the body as a whole is unusable
    bool ok() const { return error.isEmpty(); }
};

// The service's limit for every request body (GuardedHttpServer); LINE's bodies stay far below it.
inline constexpr qsizetype kMaxWebhookBodyBytes = wire::kMaxBodyBytes;

// Parses an already signature-checked body. Events that cannot be acted on safely are
// skipped with a reason; the rest are returned.
WebhookParse parseWebhookBody(const QByteArray &body);

} // namespace poptap::delivery
