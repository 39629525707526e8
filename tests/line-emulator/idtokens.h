#pragma once

#include <QByteArray>
#include <QDateTime>
#include <QJsonObject>
#include <QString>
#include <QStringList>

#include <optional>

namespace poptap::lineemu {

// What a LINE ID token (from liff.getIDToken()) says about the user.
struct IdTokenClaims {
    QString userId;      // sub
    QString channelId;   // aud: the LINE Login channel of the LIFF app
    QDateTime issuedAt;  // iat
    QDateTime expiresAt; // exp
    QString nonce;       // optional
    QString name;        // optional
    QString picture;     // optional
    QString email;       // optional
    QStringList amr{QStringLiteral("linesso")};
};

struct IdTokenCheck {
    std::optional<QJsonObject> payload; // the body LINE answers on success
    QString errorDescription;           // LINE's error_description otherwise
    bool ok() const { return payload.has_value(); }
};

// Issues and verifies ID tokens as JWTs (header.payload.signature, base64url). They are
// signed with HS256 under a key only this emulator knows, so the only way to check one is
// POST /oauth2/v2.1/verify, which is also what the delivery service must do with LINE's.
class IdTokenIssuer
{
public:
    static constexpr auto kIssuer = "https://access.line.me";

    IdTokenIssuer();

    QString issue(const IdTokenClaims &claims) const;

    // The checks of LINE's verify endpoint, in its order: signature, issuer, expiry,
    // audience (client_id), then nonce and user_id when the caller sent them.
    IdTokenCheck verify(const QString &token, const QString &clientId, const QDateTime &now,
                        const QString &nonce = {}, const QString &userId = {}) const;

private:
    QByteArray sign(const QByteArray &signingInput) const;

    QByteArray m_key;
};

} // namespace poptap::lineemu
