#pragma once

#include <QByteArray>
#include <QDateTime>
#include <QString>

#include <chrono>
#include <optional>

namespace poptap::sync {

// What the sync engine does with an answer of the kiosk API (issue 4, DESIGN.md):
enum class Disposition {
    Done,               // 2xx, 304
    Retry,              // network errors, 408, 429, 5xx, a clock or nonce to fix: try again later
    ReenrollmentNeeded, // the service no longer accepts this device: stop and tell staff
    Permanent,          // any other 4xx: resending the same request cannot succeed
};
QString dispositionName(Disposition disposition);

struct AnswerClass {
    Disposition disposition = Disposition::Retry;
    std::optional<std::chrono::milliseconds> retryAfter; // the server's Retry-After, if it gave one
    QString reason; // "503 unavailable", "network: connection refused", ... for the status and logs
};

// `status` 0 means no HTTP answer (then `transportError` says why). `errorCode` is the kiosk
// API's machine code from the error body, if any: without one, no answer can stop syncing or
// refuse a batch for good (a store proxy or captive portal says 403 or 302 too). `now` resolves a Retry-After HTTP date.
AnswerClass classifyAnswer(int status, const QString &transportError, const QString &errorCode,
                           const QByteArray &retryAfterHeader, const QDateTime &now);

// Retry-After (RFC 9110, 10.2.3): delay-seconds or an HTTP date; nullopt for anything else.
std::optional<std::chrono::milliseconds> parseRetryAfter(const QByteArray &value, const QDateTime &now);

} // namespace poptap::sync
