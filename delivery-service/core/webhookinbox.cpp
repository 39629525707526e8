#include "webhookinbox.h"

#include "deliverylogging.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QSqlQuery>
#include <QVariant>

namespace poptap::delivery {

WebhookInbox::WebhookInbox(ServiceDatabase &db, Clock now)
    : m_db(db)
    , m_now(std::move(now))
{
}

WebhookInbox::Stored WebhookInbox::store(const QList<WebhookEvent> &events)
{
    Stored result;
    if (events.isEmpty())
        return result; // LINE's connectivity check: events: []
    QSqlDatabase db = m_db.handle();
    if (!db.transaction()) {
        result.error = db.lastError().text();
        return result;
    }
    QSqlQuery q(db);
    q.prepare(QStringLiteral("INSERT INTO webhook_event (event_id, type, user_id, event_time, body, received_at)"
                             " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (event_id) DO NOTHING"));
    const qint64 now = m_now();
    for (const WebhookEvent &e : events) {
        q.addBindValue(e.eventId);
        q.addBindValue(e.type);
        q.addBindValue(e.userId.isEmpty() ? QVariant(QMetaType::fromType<QString>()) : QVariant(e.userId));
        q.addBindValue(e.timestampMs);
        q.addBindValue(QString::fromUtf8(e.json));
        q.addBindValue(now);
        if (!q.exec()) {
            result.error = q.lastError().text();
            db.rollback();
            return result;
        }
        if (q.numRowsAffected() > 0)
            ++result.added;
        else
            ++result.duplicates;
    }
    if (!db.commit()) {
        result.error = db.lastError().text();
        return {0, 0, result.error};
    }
    return result;
}

QString WebhookInbox::applyFriendship(const QString &userId, bool friendNow, qint64 eventTimeMs)
{
    // Events can arrive out of order (redeliveries); the newest event decides.
    QSqlQuery q(m_db.handle());
    q.prepare(QStringLiteral("INSERT INTO line_user (user_id, is_friend, friend_changed_at, created_at)"
                             " VALUES (?, ?, ?, ?)"
                             " ON CONFLICT (user_id) DO UPDATE SET is_friend = excluded.is_friend,"
                             " friend_changed_at = excluded.friend_changed_at"
                             " WHERE line_user.friend_changed_at <= excluded.friend_changed_at"));
    q.addBindValue(userId);
    q.addBindValue(friendNow ? 1 : 0);
    q.addBindValue(eventTimeMs);
    q.addBindValue(m_now());
    return q.exec() ? QString() : q.lastError().text();
}

int WebhookInbox::processPending(int limit)
{
    QSqlQuery pending(m_db.handle());
    pending.prepare(QStringLiteral("SELECT event_id, type, user_id, event_time FROM webhook_event"
                                   " WHERE processed_at IS NULL AND type IN ('follow', 'unfollow')"
                                   " ORDER BY received_at, event_id LIMIT ?"));
    pending.addBindValue(limit);
    if (!pending.exec()) {
        qCWarning(lcWebhook).noquote() << "cannot read the inbox:" << pending.lastError().text();
        return -1;
    }
    struct Row {
        QString id, type, userId;
        qint64 time;
    };
    QList<Row> rows;
    while (pending.next())
        rows.append({pending.value(0).toString(), pending.value(1).toString(), pending.value(2).toString(),
                     pending.value(3).toLongLong()});
    pending.finish();

    int applied = 0;
    for (const Row &row : std::as_const(rows)) {
        const bool follow = row.type == QLatin1String("follow");
        if (const QString error = applyFriendship(row.userId, follow, row.time); !error.isEmpty()) {
            qCWarning(lcWebhook).noquote() << "event" << row.id << "not applied:" << error;
            return -1;
        }
        QSqlQuery done(m_db.handle());
        done.prepare(QStringLiteral("UPDATE webhook_event SET processed_at = ?, outcome = ?"
                                    " WHERE event_id = ? AND processed_at IS NULL"));
        done.addBindValue(m_now());
        done.addBindValue(follow ? QStringLiteral("friend") : QStringLiteral("not-friend"));
        done.addBindValue(row.id);
        if (!done.exec())
            return -1;
        ++applied;
    }
    return applied;
}

QList<WebhookInbox::PendingMessage> WebhookInbox::takeMessages(int limit)
{
    const qint64 now = m_now();
    QSqlQuery pending(m_db.handle());
    pending.prepare(QStringLiteral("SELECT event_id, user_id, body, type FROM webhook_event"
                                   " WHERE type IN ('message', 'postback')"
                                   " AND (processed_at IS NULL OR (outcome = 'handling' AND processed_at < ?))"
                                   " ORDER BY received_at, event_id LIMIT ?"));
    pending.addBindValue(now - kStaleMs);
    pending.addBindValue(limit);
    QList<PendingMessage> taken;
    if (!pending.exec())
        return taken;
    QList<PendingMessage> candidates;
    while (pending.next()) {
        const QJsonObject event = QJsonDocument::fromJson(pending.value(2).toString().toUtf8()).object();
        const QJsonObject message = event.value(QLatin1String("message")).toObject();
        PendingMessage candidate{pending.value(0).toString(), pending.value(1).toString(),
                                 event.value(QLatin1String("replyToken")).toString(), {}, false, {}};
        if (pending.value(3).toString() == QLatin1String("postback")) {
            candidate.isPostback = true;
            candidate.postbackData = event.value(QLatin1String("postback")).toObject().value(QLatin1String("data")).toString();
        } else if (message.value(QLatin1String("type")).toString() == QLatin1String("text")) {
            candidate.text = message.value(QLatin1String("text")).toString();
        }
        candidates.append(candidate);
    }
    pending.finish();
    for (const PendingMessage &message : std::as_const(candidates)) {
        QSqlQuery lease(m_db.handle());
        lease.prepare(QStringLiteral("UPDATE webhook_event SET processed_at = ?, outcome = 'handling' WHERE event_id = ?"
                                     " AND (processed_at IS NULL OR (outcome = 'handling' AND processed_at < ?))"));
        lease.addBindValue(now);
        lease.addBindValue(message.eventId);
        lease.addBindValue(now - kStaleMs);
        if (lease.exec() && lease.numRowsAffected() == 1)
            taken.append(message);
    }
    return taken;
}

void WebhookInbox::finishMessage(const QString &eventId, const QString &outcome)
{
    QSqlQuery q(m_db.handle());
    q.prepare(QStringLiteral("UPDATE webhook_event SET processed_at = ?, outcome = ? WHERE event_id = ?"));
    q.addBindValue(m_now());
    q.addBindValue(outcome);
    q.addBindValue(eventId);
    if (!q.exec())
        qCWarning(lcWebhook).noquote() << "message" << eventId << "outcome not recorded:" << q.lastError().text();
}

std::optional<bool> WebhookInbox::isFriend(const QString &userId) const
{
    QSqlQuery q(m_db.handle());
    q.prepare(QStringLiteral("SELECT is_friend FROM line_user WHERE user_id = ?"));
    q.addBindValue(userId);
    if (!q.exec() || !q.next())
        return std::nullopt;
    return q.value(0).toInt() != 0;
}

} // namespace poptap::delivery
