#pragma once

#include "registrationtoken.h"
#include "wirecommon.h"

#include <cstdint>

namespace poptap::wire {

// One registration as the kiosk committed it to its outbox. kind, target and issuedAt repeat
// what the token carries so the service can index without keys; it must check they agree
// with the verified token (verifyIntentToken).
struct RegistrationIntent {
    static constexpr int kMaxIntentIdLength = 64;

    QString intentId;         // TokenClaims::intentId(); the service deduplicates on it
    QString token;            // RegistrationToken: 40 base64url characters
    RegistrationKind kind = RegistrationKind::BrandInterest; // "brand" | "restock" | "pop"
    std::uint32_t target = 0; // catalog id, 1 .. 2^32-1
    QDateTime issuedAt;       // UTC, whole seconds

    bool operator==(const RegistrationIntent &) const = default;
};

// POST /v1/registrations body, sent with an Idempotency-Key header.
struct RegistrationBatch {
    static constexpr int kMaxIntents = 500;

    QList<RegistrationIntent> intents; // 1 .. kMaxIntents, intentIds unique within the batch

    QByteArray toJson() const;
    // More than kMaxIntents items fail with WireFailure::TooManyItems (answered 413).
    static WireResult<RegistrationBatch> fromJson(const QByteArray &json);
    bool operator==(const RegistrationBatch &) const = default;
};

enum class RegistrationStatus {
    Accepted,  // stored now
    Duplicate, // the service already had this intentId: also final, nothing to resend
    Rejected,  // permanently refused; the kiosk moves it to the dead-letter list with the reason
};

// Rejection reasons the v1 service gives (open set: a kiosk must accept codes it does not know).
namespace rejection {
inline constexpr char kMalformedToken[] = "malformed_token";
inline constexpr char kUnsupportedTokenVersion[] = "unsupported_token_version";
inline constexpr char kUnknownKey[] = "unknown_key";         // not a key of the authenticated device
inline constexpr char kBadSignature[] = "bad_signature";
inline constexpr char kInvalidClaims[] = "invalid_claims";
inline constexpr char kClaimsMismatch[] = "claims_mismatch"; // intentId/kind/target/issuedAt differ from the token
inline constexpr char kUnknownTarget[] = "unknown_target";   // no such brand, variant or POP in the store's catalog
} // namespace rejection

struct RegistrationResult {
    QString intentId;
    RegistrationStatus status = RegistrationStatus::Accepted;
    QString reason; // a machine code; present exactly when status is Rejected

    bool operator==(const RegistrationResult &) const = default;
};

// 200 answer: one result per intent, in request order.
struct RegistrationBatchResponse {
    QList<RegistrationResult> results;

    QByteArray toJson() const;
    static WireResult<RegistrationBatchResponse> fromJson(const QByteArray &json);
    // The kiosk's check that the answer is about the batch it sent: same count, same ids, same order.
    QList<FieldError> mismatchesWith(const RegistrationBatch &sent) const;
    bool operator==(const RegistrationBatchResponse &) const = default;
};

// The service's verdict on one intent's token. Expiry is deliberately not a rejection: an
// intent may sync days after its token expired (and after it was claimed).
struct IntentVerdict {
    std::optional<TokenClaims> claims; // set when the token verifies and agrees with the intent
    QString rejection;                 // a rejection:: code otherwise
    bool ok() const { return claims.has_value(); }
};
// `secretFor` must know only the keys of the device that sent the batch.
IntentVerdict verifyIntentToken(const RegistrationIntent &intent, const RegistrationToken::SecretLookup &secretFor);

// Token format only (length and alphabet); the MAC needs the device's keys.
bool isWellFormedToken(QStringView token);

// Idempotency-Key: a lower-case RFC 4122 UUID, one per batch, reused on every resend of it.
// A stored answer replayed for a resend carries "Idempotent-Replayed: true".
inline constexpr char kIdempotencyKeyHeader[] = "Idempotency-Key";
inline constexpr char kIdempotentReplayedHeader[] = "Idempotent-Replayed";
bool isValidIdempotencyKey(QByteArrayView key);
QByteArray newIdempotencyKey();

QString kindName(RegistrationKind kind);
QString statusName(RegistrationStatus status);

} // namespace poptap::wire
