#pragma once

#include "wirecommon.h"

#include <QLatin1String>

#include <utility>

namespace poptap::wire {

// Machine codes of the error body {"error": code, "message": text}. The HTTP status goes with
// the code (httpStatusFor); the kiosk decides what to do from status and code, never from text.
namespace errorcode {
inline constexpr char kMalformedRequest[] = "malformed_request";          // 400
inline constexpr char kAuthMissing[] = "auth_missing";                    // 401
inline constexpr char kAuthMalformed[] = "auth_malformed";                // 401
inline constexpr char kUnknownDevice[] = "unknown_device";                // 401
inline constexpr char kClockSkew[] = "clock_skew";                        // 401
inline constexpr char kBadSignature[] = "bad_signature";                  // 401
inline constexpr char kNonceReplayed[] = "nonce_replayed";                // 401
inline constexpr char kDeviceRevoked[] = "device_revoked";                // 403
inline constexpr char kNotFound[] = "not_found";                          // 404
inline constexpr char kEnrollmentCodeUnknown[] = "enrollment_code_unknown"; // 404
inline constexpr char kMethodNotAllowed[] = "method_not_allowed";         // 405
inline constexpr char kKeyIdConflict[] = "key_id_conflict";               // 409
inline constexpr char kEnrollmentCodeUsed[] = "enrollment_code_used";     // 410
inline constexpr char kEnrollmentCodeExpired[] = "enrollment_code_expired"; // 410
inline constexpr char kPayloadTooLarge[] = "payload_too_large";           // 413
inline constexpr char kTooManyItems[] = "too_many_items";                 // 413
inline constexpr char kUnsupportedMediaType[] = "unsupported_media_type"; // 415
inline constexpr char kIdempotencyKeyReused[] = "idempotency_key_reused"; // 422
inline constexpr char kHeadersTooLarge[] = "headers_too_large";         // 431
inline constexpr char kRateLimited[] = "rate_limited";                    // 429 + Retry-After
inline constexpr char kRequestInProgress[] = "request_in_progress";       // 429 + Retry-After
inline constexpr char kInternalError[] = "internal_error";                // 500
inline constexpr char kUnavailable[] = "unavailable";                     // 503 + Retry-After
} // namespace errorcode

// The HTTP status that goes with a code of this protocol version; 0 for a code it does not define.
int httpStatusFor(QStringView code);
// Every code of this version with its status (the table x-poptap-error-codes documents).
QList<std::pair<QString, int>> definedErrorCodes();

// The error body every 4xx/5xx of the kiosk API carries. httpStatus travels in the status
// line, not in the JSON.
struct ApiError {
    static constexpr int kMaxMessageLength = 1000;

    int httpStatus = 0;
    QString error;   // machine code, ^[a-z][a-z0-9_]{0,63}$; unknown codes are legal (newer servers)
    QString message; // for people and logs; never carries a secret

    // A defined code with its status.
    static ApiError make(const char *code, const QString &message);
    // The 400/413 answer for a body a wire parser refused.
    static ApiError fromParseFailure(WireFailure failure, const QList<FieldError> &errors);

    QByteArray toJson() const;
    // httpStatus is the status the response came with; it is kept as given.
    static WireResult<ApiError> fromJson(const QByteArray &json, int httpStatus = 0);
    bool operator==(const ApiError &) const = default;
};

} // namespace poptap::wire
