#include "claimservice.h"

#include "deliverylogging.h"
#include "messages/confirmationmessages.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSqlQuery>
#include <QUuid>
#include <QVariant>

namespace poptap::delivery {

QString toString(ClaimOutcome outcome)
{
    switch (outcome) {
    case ClaimOutcome::Subscribed: return QStringLiteral("subscribed");
    case ClaimOutcome::AlreadySubscribed: return QStringLiteral("already_subscribed");
    case ClaimOutcome::ClaimedByAnother: return QStringLiteral("claimed_by_another");
    case ClaimOutcome::Expired: return QStringLiteral("expired");
    case ClaimOutcome::Invalid: return QStringLiteral("invalid");
    case ClaimOutcome::IdTokenRejected: return QStringLiteral("id_token_rejected");
    case ClaimOutcome::Unavailable: return QStringLiteral("unavailable");
    }
    return {};
}

ClaimService::ClaimService(ServiceDatabase &db, LineClient &line, Clock now, QObject *parent)
    : QObject(parent)
    , m_db(db)
    , m_registry(db)
    , m_line(line)
    , m_now(std::move(now))
    , m_names(db)
    , m_templates(db)
{
}

ClaimService::Verified ClaimService::verifyToken(const QString &token) const
{
    // The token first: it is checked here, so garbage never costs a call to LINE.
    const TokenVerification verified = RegistrationToken::verify(
        token, [this](std::uint32_t keyId) { return m_registry.keySecret(keyId); }, m_now());
    if (!verified.ok()) {
        const bool expired = *verified.error == TokenError::Expired;
        return {ClaimResult{expired ? ClaimOutcome::Expired : ClaimOutcome::Invalid, describe(*verified.error), {}, {}, {}, {}},
                {}, 0};
    }
    const TokenClaims claims = *verified.claims;
    const std::optional<DeviceRegistry::KeyOwner> owner = m_registry.keyOwner(claims.keyId);
    if (!owner)
        return {ClaimResult{ClaimOutcome::Invalid, QStringLiteral("token signed by a key no device owns"), claims, {}, {}, {}},
                claims, 0};
    if (owner->revokedAt && claims.issuedAt >= *owner->revokedAt)
        return {ClaimResult{ClaimOutcome::Invalid, QStringLiteral("token issued by a revoked device"), claims, {}, {}, {}},
                claims, 0};
    return {std::nullopt, claims, owner->storeId};
}

void ClaimService::claim(const QString &token, const QString &idToken, std::function<void(ClaimResult)> done)
{
    const Verified verified = verifyToken(token);
    if (verified.refusal) {
        done(*verified.refusal);
        return;
    }
    const TokenClaims claims = verified.claims;
    if (idToken.isEmpty() || idToken.size() > 8192) {
        done({ClaimOutcome::IdTokenRejected, QStringLiteral("no usable LINE ID token"), claims, {}, {}, {}});
        return;
    }
    const std::int64_t storeId = verified.storeId;
    m_line.verifyIdToken(idToken, [this, claims, storeId, done = std::move(done)](LineClient::IdToken id) {
        if (!id.error.isEmpty()) {
            done({id.unavailable ? ClaimOutcome::Unavailable : ClaimOutcome::IdTokenRejected, id.error, claims, {}, {}, {}});
            return;
        }
        done(record(claims, storeId, id.userId, true));
    });
}

ClaimResult ClaimService::claimForUser(const QString &token, const QString &userId, bool queuePush)
{
    const Verified verified = verifyToken(token);
    if (verified.refusal)
        return *verified.refusal;
    return record(verified.claims, verified.storeId, userId, queuePush);
}

QString ClaimService::queueConfirmation(const QString &userId, const ClaimResult &result)
{
    QSqlQuery q(m_db.handle());
    if (!enqueuePush(q, userId, result))
        return q.lastError().text();
    Q_EMIT pushQueued();
    return {};
}

bool ClaimService::enqueuePush(QSqlQuery &q, const QString &userId, const ClaimResult &result)
{
    const qint64 now = m_now().toMSecsSinceEpoch();
    q.prepare(QStringLiteral("INSERT INTO push_outbox (retry_key, user_id, purpose, body, state, next_attempt_at, created_at)"
                             " VALUES (?, ?, 'confirmation', ?, 'pending', ?, ?)"));
    q.addBindValue(QUuid::createUuid().toString(QUuid::WithoutBraces));
    q.addBindValue(userId);
    q.addBindValue(QString::fromUtf8(confirmationPush(userId, result)));
    q.addBindValue(now);
    q.addBindValue(now);
    return q.exec();
}

ClaimResult ClaimService::record(const TokenClaims &claims, std::int64_t storeId, const QString &userId, bool queuePush)
{
    ClaimResult result{ClaimOutcome::Unavailable, {}, claims, storeId, {}, {}};
    const TargetNames::Names names = m_names.of(claims.kind, claims.target, storeId);
    result.targetNameJa = names.ja;
    result.targetNameEn = names.en;
    QSqlDatabase db = m_db.handle();
    const qint64 now = m_now().toMSecsSinceEpoch();
    const auto fail = [&](const QSqlQuery &q) {
        result.outcome = ClaimOutcome::Unavailable;
        result.message = q.lastError().text();
        db.rollback();
        qCCritical(lcDeliveryDb).noquote() << "claim not recorded:" << result.message;
        return result;
    };
    if (!db.transaction()) {
        result.message = db.lastError().text();
        return result;
    }
    QSqlQuery q(db);
    // Whichever of claim, follow or message comes first creates the user.
    q.prepare(QStringLiteral("INSERT INTO line_user (user_id, is_friend, friend_changed_at, created_at)"
                             " VALUES (?, 0, 0, ?) ON CONFLICT (user_id) DO NOTHING"));
    q.addBindValue(userId);
    q.addBindValue(now);
    if (!q.exec())
        return fail(q);
    q.prepare(QStringLiteral("INSERT INTO registration_claim (intent_id, user_id, kind, target, store_id, claimed_at)"
                             " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (intent_id) DO NOTHING"));
    q.addBindValue(claims.intentId());
    q.addBindValue(userId);
    q.addBindValue(int(claims.kind));
    q.addBindValue(qint64(claims.target));
    q.addBindValue(qint64(storeId));
    q.addBindValue(now);
    if (!q.exec())
        return fail(q);
    const bool firstClaim = q.numRowsAffected() > 0;
    if (!firstClaim) {
        q.prepare(QStringLiteral("SELECT user_id FROM registration_claim WHERE intent_id = ?"));
        q.addBindValue(claims.intentId());
        if (!q.exec() || !q.next())
            return fail(q);
        const bool sameUser = q.value(0).toString() == userId;
        q.finish();
        db.rollback();
        result.outcome = sameUser ? ClaimOutcome::AlreadySubscribed : ClaimOutcome::ClaimedByAnother;
        result.message = sameUser ? QStringLiteral("this user already claimed the token")
                                  : QStringLiteral("another user claimed the token first");
        return result;
    }
    q.prepare(QStringLiteral("INSERT INTO subscription (user_id, kind, target, store_id, status, source_intent_id,"
                             " created_at, updated_at) VALUES (?, ?, ?, ?, 'active', ?, ?, ?)"
                             " ON CONFLICT (user_id, kind, target, store_id) DO UPDATE SET status = 'active',"
                             " source_intent_id = excluded.source_intent_id, updated_at = excluded.updated_at"));
    q.addBindValue(userId);
    q.addBindValue(int(claims.kind));
    q.addBindValue(qint64(claims.target));
    q.addBindValue(qint64(storeId));
    q.addBindValue(claims.intentId());
    q.addBindValue(now);
    q.addBindValue(now);
    if (!q.exec())
        return fail(q);
    // The confirmation is queued with its retry key in the same transaction: a crash
    // after the commit still sends it, and a retry can never send it twice.
    if (queuePush) {
        ClaimResult confirmed = result;
        confirmed.outcome = ClaimOutcome::Subscribed; // what the shopper reads once this commits
        if (!enqueuePush(q, userId, confirmed))
            return fail(q);
    }
    if (!db.commit())
        return fail(q);
    result.outcome = ClaimOutcome::Subscribed;
    qCInfo(lcHttp).noquote() << "claim of" << claims.intentId() << "→" << toString(result.outcome);
    if (queuePush)
        Q_EMIT pushQueued();
    return result;
}

QJsonArray ClaimService::confirmationMessages(const ClaimResult &result) const
{
    return delivery::confirmationMessages(result, m_templates.ofStore(result.storeId));
}

QByteArray ClaimService::confirmationPush(const QString &userId, const ClaimResult &result) const
{
    const QJsonObject body{{QStringLiteral("to"), userId}, {QStringLiteral("messages"), confirmationMessages(result)}};
    return QJsonDocument(body).toJson(QJsonDocument::Compact);
}

} // namespace poptap::delivery
