#include "apierror.h"

#include "wirerules.h"

#include <QJsonDocument>

namespace poptap::wire {
namespace {

struct CodeStatus {
    const char *code;
    int status;
};

constexpr CodeStatus kStatuses[] = {
    {errorcode::kMalformedRequest, 400},     {errorcode::kAuthMissing, 401},
    {errorcode::kAuthMalformed, 401},        {errorcode::kUnknownDevice, 401},
    {errorcode::kClockSkew, 401},            {errorcode::kBadSignature, 401},
    {errorcode::kNonceReplayed, 401},        {errorcode::kDeviceRevoked, 403},
    {errorcode::kNotFound, 404},             {errorcode::kEnrollmentCodeUnknown, 404},
    {errorcode::kMethodNotAllowed, 405},     {errorcode::kKeyIdConflict, 409},
    {errorcode::kEnrollmentCodeUsed, 410},   {errorcode::kEnrollmentCodeExpired, 410},
    {errorcode::kPayloadTooLarge, 413},      {errorcode::kTooManyItems, 413},
    {errorcode::kUnsupportedMediaType, 415}, {errorcode::kIdempotencyKeyReused, 422},
    {errorcode::kHeadersTooLarge, 431},      {errorcode::kRateLimited, 429},
    {errorcode::kRequestInProgress, 429},    {errorcode::kInternalError, 500},
    {errorcode::kUnavailable, 503},
};

} // namespace

int httpStatusFor(QStringView code)
{
    for (const CodeStatus &entry : kStatuses) {
        if (code == QLatin1String(entry.code))
            return entry.status;
    }
    return 0;
}

QList<std::pair<QString, int>> definedErrorCodes()
{
    QList<std::pair<QString, int>> codes;
    for (const CodeStatus &entry : kStatuses)
        codes.append({QString::fromLatin1(entry.code), entry.status});
    return codes;
}

ApiError ApiError::make(const char *code, const QString &message)
{
    const QString name = QString::fromLatin1(code);
    Q_ASSERT(httpStatusFor(name) != 0);
    const QString text = message.isEmpty() ? name : message.left(kMaxMessageLength);
    return {httpStatusFor(name), name, text};
}

ApiError ApiError::fromParseFailure(WireFailure failure, const QList<FieldError> &errors)
{
    const QString details = joinErrors(errors, 5);
    switch (failure) {
    case WireFailure::TooLarge: return make(errorcode::kPayloadTooLarge, details);
    case WireFailure::TooManyItems: return make(errorcode::kTooManyItems, details);
    case WireFailure::None:
    case WireFailure::NotUtf8:
    case WireFailure::NotJson:
    case WireFailure::Invalid: break;
    }
    return make(errorcode::kMalformedRequest, details);
}

QByteArray ApiError::toJson() const
{
    return QJsonDocument(QJsonObject{{QStringLiteral("error"), error}, {QStringLiteral("message"), message}})
        .toJson(QJsonDocument::Compact);
}

WireResult<ApiError> ApiError::fromJson(const QByteArray &json, int httpStatus)
{
    WireResult<ApiError> result;
    const std::optional<QJsonObject> root = parseJsonObject(json, result.errors, result.failure);
    if (!root)
        return result;
    JsonReader read(result.errors, result.failure);
    ApiError e;
    e.httpStatus = httpStatus;
    e.error = read.text(*root, "error", {}, rules::machineCode())
                  .value_or(QString());
    e.message = read.text(*root, "message", {}, rules::plainText(kMaxMessageLength)).value_or(QString());
    if (!read.failed())
        result.value = e;
    return result;
}

} // namespace poptap::wire
