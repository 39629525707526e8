#include "claimservice.h"

#include "deliverylogging.h"
#include "messages/confirmationmessages.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSqlQuery>
#include <QUuid>
#include <QVariant>

#include <limits>

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
    , m_pops(db)
{
}

namespace {

// The POP id as a sticker's link spells it (QString::number of a catalog id: 1 and up, no sign,
// no leading zero); anything else names no POP.
std::optional<std::uint32_t> parsePopId(const QString &text)
{
    if (text.isEmpty() || text.size() > 10 || text.front() == u'0')
        return std::nullopt;
    for (const QChar c : text)
        if (c < u'0' || c > u'9') // ASCII only: QString::toUInt would take other scripts' digits
            return std::nullopt;
    const qulonglong value = text.toULongLong();
    if (value > std::numeric_limits<std::uint32_t>::max())
        return std::nullopt;
    return std::uint32_t(value);
}

// The claim's identity: one per shopper, sticker and store, so that the claims of a sticker count
// its shoppers. The "pop-" prefix never parses as the 8 hex digits of a signing key that
// token intents start with (TokenClaims::intentId), so analytics finds no kiosk for it.
QString popIntentId(const PopDirectory::Place &pop, const QString &userId)
{
    return QStringLiteral("pop-%1-%2-%3").arg(pop.storeId).arg(pop.popId).arg(userId);
}

// Whichever of claim, follow or message comes first creates the user (DESIGN.md, "Races").
bool insertUser(QSqlQuery &q, const QString &userId, qint64 now)
{
    q.prepare(QStringLiteral("INSERT INTO line_user (user_id, is_friend, friend_changed_at, created_at)"
                             " VALUES (?, 0, 0, ?) ON CONFLICT (user_id) DO NOTHING"));
    q.addBindValue(userId);
    q.addBindValue(now);
    return q.exec();
}

// The first claim of an intent is the one that counts; numRowsAffected() says whether this was it.
bool insertClaim(QSqlQuery &q, const QString &intentId, const QString &userId, RegistrationKind kind, qint64 target,
                 qint64 storeId, qint64 now)
{
    q.prepare(QStringLiteral("INSERT INTO registration_claim (intent_id, user_id, kind, target, store_id, claimed_at)"
                             " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (intent_id) DO NOTHING"));
    q.addBindValue(intentId);
    q.addBindValue(userId);
    q.addBindValue(int(kind));
    q.addBindValue(target);
    q.addBindValue(storeId);
    q.addBindValue(now);
    return q.exec();
}

// Makes the subscription active; with `unlessActive`, an active one is left alone and
// numRowsAffected() is 0.
bool activateSubscription(QSqlQuery &q, const QString &userId, RegistrationKind kind, qint64 target, qint64 storeId,
                          const QString &intentId, qint64 now, bool unlessActive)
{
    q.prepare(QStringLiteral("INSERT INTO subscription (user_id, kind, target, store_id, status, source_intent_id,"
                             " created_at, updated_at) VALUES (?, ?, ?, ?, 'active', ?, ?, ?)"
                             " ON CONFLICT (user_id, kind, target, store_id) DO UPDATE SET status = 'active',"
                             " source_intent_id = excluded.source_intent_id, updated_at = excluded.updated_at")
              + (unlessActive ? QStringLiteral(" WHERE subscription.status <> 'active'") : QString()));
    q.addBindValue(userId);
    q.addBindValue(int(kind));
    q.addBindValue(target);
    q.addBindValue(storeId);
    q.addBindValue(intentId);
    q.addBindValue(now);
    q.addBindValue(now);
    return q.exec();
}

// The claim could not be written: nothing of it stays, and the phone may retry.
ClaimResult notRecorded(ClaimResult result, QSqlDatabase &db, const QString &error, const char *what)
{
    result.outcome = ClaimOutcome::Unavailable;
    result.message = error;
    db.rollback();
    qCCritical(lcDeliveryDb).noquote() << what << "not recorded:" << error;
    return result;
}

} // namespace

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
    const std::int64_t storeId = verified.storeId;
    verifyThen(idToken, ClaimResult{ClaimOutcome::IdTokenRejected, {}, claims, {}, {}, {}},
               [this, claims, storeId](const QString &userId) { return record(claims, storeId, userId, true); },
               std::move(done));
}

void ClaimService::claimPop(const QString &popId, const QString &idToken, std::function<void(ClaimResult)> done)
{
    // Like a token, the POP is looked up first: a sticker that names nothing costs no call to LINE.
    const std::optional<std::uint32_t> id = parsePopId(popId);
    if (!id) {
        done({ClaimOutcome::Invalid, QStringLiteral("not a POP id"), {}, {}, {}, {}});
        return;
    }
    const PopDirectory::Lookup found = m_pops.find(*id);
    if (!found.place) {
        if (!found.unavailable)
            qCInfo(lcHttp).noquote() << "claim of a sticker refused:" << found.problem;
        done({found.unavailable ? ClaimOutcome::Unavailable : ClaimOutcome::Invalid, found.problem, {}, {}, {}, {}, *id});
        return;
    }
    const PopDirectory::Place pop = *found.place;
    ClaimResult refused{ClaimOutcome::IdTokenRejected, {}, {}, pop.storeId, {}, {}, pop.popId};
    verifyThen(idToken, refused, [this, pop](const QString &userId) { return recordPop(pop, userId); }, std::move(done));
}

void ClaimService::verifyThen(const QString &idToken, ClaimResult refusalBase,
                              std::function<ClaimResult(const QString &userId)> record, std::function<void(ClaimResult)> done)
{
    if (idToken.isEmpty() || idToken.size() > 8192) {
        refusalBase.message = QStringLiteral("no usable LINE ID token");
        done(refusalBase);
        return;
    }
    m_line.verifyIdToken(idToken, [refusalBase, record = std::move(record), done = std::move(done)](LineClient::IdToken id) mutable {
        if (!id.error.isEmpty()) {
            refusalBase.outcome = id.unavailable ? ClaimOutcome::Unavailable : ClaimOutcome::IdTokenRejected;
            refusalBase.message = id.error;
            done(refusalBase);
            return;
        }
        done(record(id.userId));
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
    q.prepare(QStringLiteral("INSERT INTO push_outbox (retry_key, user_id, purpose, body, state, next_attempt_at, created_at,"
                             " store_id) VALUES (?, ?, 'confirmation', ?, 'pending', ?, ?, ?)"));
    q.addBindValue(QUuid::createUuid().toString(QUuid::WithoutBraces));
    q.addBindValue(userId);
    q.addBindValue(QString::fromUtf8(confirmationPush(userId, result)));
    q.addBindValue(now);
    q.addBindValue(now);
    q.addBindValue(result.storeId > 0 ? QVariant(qint64(result.storeId)) : QVariant(QMetaType::fromType<qint64>()));
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
    const auto fail = [&](const QSqlQuery &q) { return notRecorded(result, db, q.lastError().text(), "claim"); };
    if (!db.transaction()) {
        result.message = db.lastError().text();
        return result;
    }
    QSqlQuery q(db);
    if (!insertUser(q, userId, now)
        || !insertClaim(q, claims.intentId(), userId, claims.kind, qint64(claims.target), qint64(storeId), now))
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
    if (!activateSubscription(q, userId, claims.kind, qint64(claims.target), qint64(storeId), claims.intentId(), now, false))
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

ClaimResult ClaimService::recordPop(const PopDirectory::Place &pop, const QString &userId)
{
    // The shopper gets what a brand claim at the sticker's store gives: the same subscription
    // kind and row, so fan-out, stop and the confirmation treat both alike. The claim row keeps
    // the POP (kind POP, target its id), which is how analytics counts claims and friend adds per POP.
    ClaimResult result{ClaimOutcome::Unavailable, {}, {}, pop.storeId, {}, {}, pop.popId};
    result.claims.kind = RegistrationKind::BrandInterest;
    result.claims.target = pop.brandId;
    const TargetNames::Names names = m_names.of(RegistrationKind::BrandInterest, pop.brandId, pop.storeId);
    result.targetNameJa = names.ja;
    result.targetNameEn = names.en;
    const QString intentId = popIntentId(pop, userId);
    QSqlDatabase db = m_db.handle();
    const qint64 now = m_now().toMSecsSinceEpoch();
    const auto fail = [&](const QSqlQuery &q) { return notRecorded(result, db, q.lastError().text(), "sticker claim"); };
    if (!db.transaction()) {
        result.message = db.lastError().text();
        return result;
    }
    QSqlQuery q(db);
    // The first claim of this sticker by this shopper is the one analytics counts.
    if (!insertUser(q, userId, now)
        || !insertClaim(q, intentId, userId, RegistrationKind::Pop, qint64(pop.popId), qint64(pop.storeId), now))
        return fail(q);
    // Activated only if it is not active now, in one statement: of two instances racing for the
    // same shopper, exactly one sees a row change and sends the confirmation.
    if (!activateSubscription(q, userId, RegistrationKind::BrandInterest, qint64(pop.brandId), qint64(pop.storeId),
                              intentId, now, true))
        return fail(q);
    const bool activated = q.numRowsAffected() > 0;
    if (activated) {
        ClaimResult confirmed = result;
        confirmed.outcome = ClaimOutcome::Subscribed; // what the shopper reads once this commits
        if (!enqueuePush(q, userId, confirmed))
            return fail(q);
    }
    if (!db.commit())
        return fail(q);
    result.outcome = activated ? ClaimOutcome::Subscribed : ClaimOutcome::AlreadySubscribed;
    if (!activated)
        result.message = QStringLiteral("this user is already subscribed to the sticker's brand at its store");
    qCInfo(lcHttp).noquote() << "claim of POP" << pop.popId << "of store" << pop.storeId << "→" << toString(result.outcome);
    if (activated)
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
