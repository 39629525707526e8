#pragma once

#include "apierror.h"

#include <QByteArray>
#include <QList>
#include <QString>

#include <functional>
#include <optional>
#include <utility>

namespace poptap::wire {

// Per-device request authentication of the kiosk API (kiosk-api.yaml, "DeviceSignature"):
//   X-PopTap-Device     the deviceId from enrollment
//   X-PopTap-Timestamp  unix seconds, decimal, no sign or leading zeros
//   X-PopTap-Nonce      >= 128 random bits, base64url without padding, new for every request
//   X-PopTap-Signature  base64(HMAC-SHA256(requestSecret, canonical string))
// canonical string = METHOD \n path-with-query \n timestamp \n nonce \n hex(SHA-256(raw body))
namespace authheader {
inline constexpr char kDevice[] = "X-PopTap-Device";
inline constexpr char kTimestamp[] = "X-PopTap-Timestamp";
inline constexpr char kNonce[] = "X-PopTap-Nonce";
inline constexpr char kSignature[] = "X-PopTap-Signature";
// Value of WWW-Authenticate on every 401.
inline constexpr char kChallenge[] = "PopTap-HMAC-SHA256";
} // namespace authheader

inline constexpr int kAllowedClockSkewSeconds = 300;
inline constexpr int kNonceBytes = 16;         // what RequestSigner generates
inline constexpr int kMinNonceLength = 22;     // base64url characters of 128 bits
inline constexpr int kMaxNonceLength = 64;
inline constexpr int kMaxPathLength = 2048;

// The exact bytes that get signed. The path is the request target as sent on the request line
// (path and query, percent-encoding untouched), not a re-serialisation of it.
QByteArray canonicalRequest(QByteArrayView method, QByteArrayView pathWithQuery, QByteArrayView timestamp,
                            QByteArrayView nonce, QByteArrayView body);

struct AuthHeaders {
    QByteArray device, timestamp, nonce, signature;
    // Name/value pairs in a fixed order, ready for the HTTP client.
    QList<std::pair<QByteArray, QByteArray>> list() const;
};

// Kiosk side: signs every request after enrollment.
class RequestSigner
{
public:
    RequestSigner(QString deviceId, QByteArray requestSecret);

    // A fresh random nonce for each call; `unixSeconds` is the kiosk's wall clock (plus the
    // offset learned from a clock_skew answer, if any).
    AuthHeaders sign(QByteArrayView method, QByteArrayView pathWithQuery, QByteArrayView body,
                     qint64 unixSeconds) const;
    // Deterministic: for tests and the documented example.
    AuthHeaders sign(QByteArrayView method, QByteArrayView pathWithQuery, QByteArrayView body, qint64 unixSeconds,
                     QByteArrayView nonce) const;

    static QByteArray newNonce();

private:
    QByteArray m_deviceId;
    QByteArray m_secret;
};

// What the service received. A header that was not sent is std::nullopt; one sent empty is "".
struct ReceivedRequest {
    QByteArrayView method;
    QByteArrayView pathWithQuery;
    QByteArrayView body;
    std::optional<QByteArray> device, timestamp, nonce, signature;

    static ReceivedRequest from(QByteArrayView method, QByteArrayView pathWithQuery, QByteArrayView body,
                                const AuthHeaders &headers);
};

enum class AuthError {
    MissingHeader,   // 401 auth_missing
    MalformedHeader, // 401 auth_malformed
    UnknownDevice,   // 401 unknown_device
    ClockSkew,       // 401 clock_skew: the kiosk corrects its offset from the Date header and re-signs
    BadSignature,    // 401 bad_signature (wrong secret, or any byte of the request changed)
    DeviceRevoked,   // 403 device_revoked
    ReplayedNonce,   // 401 nonce_replayed: the kiosk re-signs with a new nonce
};

struct AuthResult {
    std::optional<AuthError> error;
    QString message;  // says which check failed; never a secret or an expected signature
    QString deviceId; // the authenticated device when ok()
    bool ok() const { return !error.has_value(); }
    ApiError toApiError() const; // the response body and status of a failure (not for ok())
};

// Service side. Checks run cheapest first and the nonce is remembered last, so nothing an
// unauthenticated sender does fills the nonce store: headers -> clock -> device -> signature
// (constant time) -> revocation -> nonce.
class RequestVerifier
{
public:
    // Returns true when `nonce` is new for `deviceId` and remembers it at least until
    // `rememberUntil` (unix seconds; later the timestamp check rejects the request anyway);
    // false when it was seen before. Shared by all service replicas in production.
    using NonceCheck = std::function<bool(const QString &deviceId, const QByteArray &nonce, qint64 rememberUntil)>;

    struct DeviceCredential {
        QByteArray requestSecret;
        bool revoked = false;
    };
    using DeviceLookup = std::function<std::optional<DeviceCredential>(const QString &deviceId)>;

    explicit RequestVerifier(NonceCheck nonceCheck, int allowedSkewSeconds = kAllowedClockSkewSeconds);

    AuthResult verify(const ReceivedRequest &request, const DeviceLookup &lookup, qint64 nowUnixSeconds) const;
    // Same, for a caller that has looked the device up itself (revocation is then its business).
    AuthResult verify(const ReceivedRequest &request, QByteArrayView requestSecret, qint64 nowUnixSeconds) const;

private:
    AuthResult checkHeaders(const ReceivedRequest &request, qint64 nowUnixSeconds) const;
    std::optional<AuthResult> checkSignature(const ReceivedRequest &request, QByteArrayView requestSecret) const;
    AuthResult checkNonce(const ReceivedRequest &request, const AuthResult &authenticated) const;

    NonceCheck m_nonceCheck;
    int m_allowedSkewSeconds;
};

QString describe(AuthError error);

} // namespace poptap::wire
