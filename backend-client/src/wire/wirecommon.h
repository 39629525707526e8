#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QDateTime>
#include <QJsonObject>
#include <QList>
#include <QString>

#include <optional>

namespace poptap::wire {

// Limits shared by every message of protocol v1 (backend-client/openapi/kiosk-api.yaml).
inline constexpr qsizetype kMaxBodyBytes = 1024 * 1024;          // any JSON body a wire parser reads
inline constexpr qsizetype kMaxHeaderBytes = 16 * 1024;          // all request header names and values
inline constexpr int kMaxHeaderFields = 100;
inline constexpr qint64 kMaxSafeInteger = 9007199254740991;       // 2^53 - 1: exact in every JSON reader
inline constexpr int kSecretBytes = 32;                          // every secret on the wire
inline constexpr qint64 kEarliestTimestamp = 946684800;          // 2000-01-01T00:00:00Z
inline constexpr qint64 kLatestTimestamp = 4294967295;           // 2106-02-07T06:28:15Z, a token's u32

// One precise complaint about a message: where ("intents[3].token", "(body)") and why.
struct FieldError {
    QString path;
    QString reason;
    QString toString() const { return path + QStringLiteral(": ") + reason; }
    bool operator==(const FieldError &) const = default;
};

// Why a body was refused as a whole; decides the HTTP status the service answers with.
enum class WireFailure {
    None,
    TooLarge,      // over kMaxBodyBytes, refused before parsing                      -> 413
    TooManyItems,  // a batch over its item limit: the sender should split it          -> 413
    NotUtf8,       //                                                                 -> 400
    NotJson,       //                                                                 -> 400
    Invalid,       // JSON, but a field is missing, of the wrong type or out of range -> 400
};

// Either a fully valid value or the reasons it was refused: never half of a message.
template <typename T>
struct WireResult {
    std::optional<T> value;
    QList<FieldError> errors;
    WireFailure failure = WireFailure::None;

    bool ok() const { return value.has_value(); }
    // "intents[2].kind: ...; intents[7].token: ..." with at most `limit` entries.
    QString errorText(int limit = 5) const;
};

QString joinErrors(const QList<FieldError> &errors, int limit);

template <typename T>
QString WireResult<T>::errorText(int limit) const
{
    return joinErrors(errors, limit);
}

// "2026-11-22T09:30:00Z": the protocol's only time format (RFC 3339, UTC, whole seconds).
QString formatTimestamp(const QDateTime &utc);
std::optional<QDateTime> parseTimestamp(QStringView text);

// Strict base64 decoding: the right alphabet, and the canonical spelling only, so that no two
// texts decode to the same bytes (matters for signatures and secrets).
std::optional<QByteArray> decodeBase64(QByteArrayView text);     // standard alphabet, '=' padded
std::optional<QByteArray> decodeBase64Url(QByteArrayView text);  // URL alphabet, no padding
QByteArray encodeBase64(QByteArrayView bytes);
QByteArray encodeBase64Url(QByteArrayView bytes);

// Size cap, UTF-8 and JSON syntax checks shared by every parser; returns the top-level object.
std::optional<QJsonObject> parseJsonObject(const QByteArray &body, QList<FieldError> &errors,
                                           WireFailure &failure);

} // namespace poptap::wire
