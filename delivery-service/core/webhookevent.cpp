#include "webhookevent.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>

namespace poptap::delivery {

bool isLineUserId(const QString &id)
{
    static const QRegularExpression pattern(QStringLiteral("^U[0-9a-f]{32}$"));
    return pattern.match(id).hasMatch();
}

namespace {
constexpr qsizetype kMaxEvents = 1000;
constexpr qsizetype kMaxTextLength = 5000;
constexpr qsizetype kMaxPostbackLength = 300;

bool isEventId(const QString &id)
{
    static const QRegularExpression pattern(QStringLiteral("^[0-9A-Za-z]{1,64}$"));
    return pattern.match(id).hasMatch();
}
} // namespace

WebhookParse parseWebhookBody(const QByteArray &body)
{
    WebhookParse result;
    if (body.size() > kMaxWebhookBodyBytes) {
        result.error = QStringLiteral("body larger than %1 bytes").arg(kMaxWebhookBodyBytes);
        return result;
    }
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(body, &parseError);
    if (parseError.error != QJsonParseError::NoError || !doc.isObject()) {
        result.error = parseError.error != QJsonParseError::NoError
            ? QStringLiteral("not JSON: %1 at byte %2").arg(parseError.errorString()).arg(parseError.offset)
            : QStringLiteral("not a JSON object");
        return result;
    }
    const QJsonObject root = doc.object();
    result.destination = root.value(QLatin1String("destination")).toString();
    const QJsonValue eventsValue = root.value(QLatin1String("events"));
    if (!eventsValue.isArray()) {
        result.error = QStringLiteral("events: an array is required");
        return result;
    }
    const QJsonArray events = eventsValue.toArray();
    if (events.size() > kMaxEvents) {
        result.error = QStringLiteral("events: more than %1").arg(kMaxEvents);
        return result;
    }
    for (qsizetype i = 0; i < events.size(); ++i) {
        const QJsonObject o = events.at(i).toObject();
        const QString where = QStringLiteral("events[%1]").arg(i);
        WebhookEvent e;
        e.type = o.value(QLatin1String("type")).toString();
        e.eventId = o.value(QLatin1String("webhookEventId")).toString();
        if (e.type.isEmpty() || e.type.size() > 64) {
            result.skipped << where + QStringLiteral(": no type");
            continue;
        }
        if (!isEventId(e.eventId)) {
            result.skipped << where + QStringLiteral(": no valid webhookEventId, cannot be deduplicated");
            continue;
        }
        const double timestamp = o.value(QLatin1String("timestamp")).toDouble(-1);
        if (timestamp < 0 || timestamp > 9.0e15) {
            result.skipped << where + QStringLiteral(": no valid timestamp");
            continue;
        }
        e.timestampMs = qint64(timestamp);
        const QJsonObject source = o.value(QLatin1String("source")).toObject();
        if (source.contains(QLatin1String("userId"))) {
            e.userId = source.value(QLatin1String("userId")).toString();
            if (!isLineUserId(e.userId)) {
                result.skipped << where + QStringLiteral(": source.userId is not a LINE user id");
                continue;
            }
        }
        e.replyToken = o.value(QLatin1String("replyToken")).toString().left(256);
        e.isRedelivery = o.value(QLatin1String("deliveryContext")).toObject().value(QLatin1String("isRedelivery")).toBool();
        if (e.type == QLatin1String("follow"))
            e.isUnblocked = o.value(QLatin1String("follow")).toObject().value(QLatin1String("isUnblocked")).toBool();
        if (e.type == QLatin1String("message")) {
            const QJsonObject message = o.value(QLatin1String("message")).toObject();
            e.messageType = message.value(QLatin1String("type")).toString();
            e.text = message.value(QLatin1String("text")).toString();
            if (e.text.size() > kMaxTextLength) {
                result.skipped << where + QStringLiteral(": message text longer than %1").arg(kMaxTextLength);
                continue;
            }
        }
        if (e.type == QLatin1String("postback")) {
            e.postbackData = o.value(QLatin1String("postback")).toObject().value(QLatin1String("data")).toString();
            if (e.postbackData.size() > kMaxPostbackLength) {
                result.skipped << where + QStringLiteral(": postback data longer than %1").arg(kMaxPostbackLength);
                continue;
            }
        }
        if ((e.type == QLatin1String("follow") || e.type == QLatin1String("unfollow")) && e.userId.isEmpty()) {
            result.skipped << where + QStringLiteral(": %1 without a user").arg(e.type);
            continue;
        }
        e.json = QJsonDocument(o).toJson(QJsonDocument::Compact);
        result.events.append(e);
    }
    return result;
}

} // namespace poptap::delivery
