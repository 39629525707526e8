#pragma once

#include "deviceregistry.h"
#include "lineclient.h"
#include "messages/chaintemplates.h"
#include "popdirectory.h"
#include "registrationtoken.h"
#include "servicedatabase.h"
#include "targetnames.h"

#include <QJsonArray>

#include <QObject>
#include <QSqlQuery>

#include <functional>

namespace poptap::delivery {

enum class ClaimOutcome {
    Subscribed,         // this user now has the subscription; a confirmation push is queued
    AlreadySubscribed,  // the same user claimed this token before (or has the sticker's brand): nothing new happens
    ClaimedByAnother,   // the first valid claimer already took this token
    Expired,
    Invalid,            // forged, tampered, unknown key, revoked device; a POP no store has
    IdTokenRejected,    // LINE says the ID token is not valid for our channel
    Unavailable,        // LINE or the database could not answer now; the phone may retry
};
QString toString(ClaimOutcome outcome);

struct ClaimResult {
    ClaimOutcome outcome = ClaimOutcome::Invalid;
    QString message;            // for logs and the API's error body
    TokenClaims claims;         // set once the token verified; for a sticker, the brand it subscribes to
    std::int64_t storeId = 0;   // the store of the kiosk that issued it, or of the sticker
    QString targetNameJa;       // e.g. the brand, for the page and the confirmation
    QString targetNameEn;
    std::uint32_t popId = 0;    // the sticker claimed, for a POP claim
};

// A shopper's phone claims a registration token with its LINE ID token (DESIGN.md,
// flow step 5). The token alone is enough: the kiosk may not have synced the intent
// yet, and the follow webhook may come later ("Races").
class ClaimService : public QObject
{
    Q_OBJECT
public:
    using Clock = std::function<QDateTime()>;
    ClaimService(ServiceDatabase &db, LineClient &line, Clock now, QObject *parent = nullptr);

    void claim(const QString &token, const QString &idToken, std::function<void(ClaimResult)> done);
    // A passive POP sticker's static link (/p/<popId>, as the page read it): the shopper is
    // subscribed to the POP's brand at its store (PopDirectory). Not single-use: every shopper
    // may claim it; the same shopper again, while subscribed, gets AlreadySubscribed.
    void claimPop(const QString &popId, const QString &idToken, std::function<void(ClaimResult)> done);

    // The oaMessage flow: the user is known from a signed webhook, so no ID token is
    // needed. With `queuePush` false the caller confirms by reply instead, and calls
    // queueConfirmation() only if that reply fails.
    ClaimResult claimForUser(const QString &token, const QString &userId, bool queuePush);
    QString queueConfirmation(const QString &userId, const ClaimResult &result);
    // The LINE messages that answer a claim (messages/confirmationmessages.h), worded by the
    // template of the chain the kiosk's store belongs to.
    QJsonArray confirmationMessages(const ClaimResult &result) const;

Q_SIGNALS:
    void pushQueued();

private:
    struct Verified {
        std::optional<ClaimResult> refusal; // set when the token cannot be claimed
        TokenClaims claims;
        std::int64_t storeId = 0;
    };
    Verified verifyToken(const QString &token) const;
    ClaimResult record(const TokenClaims &claims, std::int64_t storeId, const QString &userId, bool queuePush);
    ClaimResult recordPop(const PopDirectory::Place &pop, const QString &userId);
    // LINE checks the ID token; `record` runs only for the user it names.
    void verifyThen(const QString &idToken, ClaimResult refusalBase, std::function<ClaimResult(const QString &userId)> record,
                    std::function<void(ClaimResult)> done);
    QByteArray confirmationPush(const QString &userId, const ClaimResult &result) const;
    bool enqueuePush(QSqlQuery &q, const QString &userId, const ClaimResult &result);

    ServiceDatabase &m_db;
    DeviceRegistry m_registry;
    LineClient &m_line;
    Clock m_now;
    TargetNames m_names;
    ChainTemplates m_templates;
    PopDirectory m_pops;
};

} // namespace poptap::delivery
