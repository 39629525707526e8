#pragma once

#include <QByteArray>
#include <QDateTime>
#include <QString>

#include <cstdint>
#include <functional>
#include <optional>

namespace poptap {

// What a registration subscribes the shopper to.
enum class RegistrationKind : std::uint8_t {
    BrandInterest = 1, // new arrivals from a brand
    Restock = 2,       // a sold-out product variant back in this store
    Pop = 3,           // a passive POP sticker
};

// The facts a token carries. The service can confirm a subscription from these alone,
// without the kiosk having synced the intent (DESIGN.md, "Races").
struct TokenClaims {
    std::uint32_t keyId = 0;     // which device secret signed it (identifies the device)
    std::uint16_t epoch = 0;     // outbox generation: a recreated outbox never reuses a sequence
    std::uint32_t sequence = 0;  // per-device, per-epoch sequence number
    RegistrationKind kind = RegistrationKind::BrandInterest;
    std::uint32_t target = 0;    // catalog id of the brand, product variant or POP
    QDateTime issuedAt;          // whole seconds, UTC
    std::uint8_t ttlHours = 24;  // validity from issuedAt

    QDateTime expiresAt() const { return issuedAt.addSecs(qint64(ttlHours) * 3600); }
    // Stable identity of the intent behind the token, used for deduplication.
    QString intentId() const;
    bool operator==(const TokenClaims &) const = default;
};

enum class TokenError {
    Malformed,          // wrong length or alphabet
    UnsupportedVersion,
    UnknownKey,         // no secret known for keyId
    BadSignature,       // MAC does not match: forged or tampered
    InvalidClaims,      // signed, but carries values no issuer produces (kind, ttl)
    Expired,
    IssuedInFuture,     // beyond the allowed clock skew
};
QString describe(TokenError error);

struct TokenVerification {
    std::optional<TokenClaims> claims;
    std::optional<TokenError> error;
    bool ok() const { return claims.has_value(); }
};

// Self-contained, URL-safe registration token (DESIGN.md, "Token"):
//   base64url( version|kind, keyId, epoch, sequence, target, issuedAt, ttlHours, MAC )
// 20 payload bytes + an 80-bit truncated HMAC-SHA256 = 30 bytes = exactly 40 characters,
// so https://liff.line.me/{liffId}/r/{token} fits a version-5 QR code at level M.
class RegistrationToken
{
public:
    static constexpr int kVersion = 1;
    static constexpr int kEncodedLength = 40;
    static constexpr int kMacBytes = 10;
    static constexpr int kMinSecretBytes = 16;

    using SecretLookup = std::function<std::optional<QByteArray>(std::uint32_t keyId)>;

    static QString issue(const TokenClaims &claims, const QByteArray &secret);

    // Checks format, MAC (constant time) and validity window at `now`.
    static TokenVerification verify(QStringView token, const SecretLookup &secretFor,
                                    const QDateTime &now, int allowedSkewSeconds = 300);
};

} // namespace poptap
