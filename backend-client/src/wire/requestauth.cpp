#include "requestauth.h"

#include "constanttime.h"
#include "enrollmentwire.h"

#include <QCryptographicHash>
#include <QMessageAuthenticationCode>
#include <QRandomGenerator>

namespace poptap::wire {
namespace {

constexpr int kSignatureBytes = 32; // HMAC-SHA256

QByteArray hmac(QByteArrayView secret, QByteArrayView message)
{
    QMessageAuthenticationCode mac(QCryptographicHash::Sha256, secret.toByteArray());
    mac.addData(message.data(), message.size());
    return mac.result();
}

// Bytes a request line can carry unescaped: visible ASCII only, so no field of the canonical
// string can contain the "\n" that separates them.
bool isVisibleAscii(QByteArrayView text)
{
    for (char c : text) {
        if (c < 0x21 || c > 0x7e)
            return false;
    }
    return true;
}

bool isUnixSeconds(QByteArrayView text)
{
    if (text.isEmpty() || text.size() > 12 || (text.size() > 1 && text.front() == '0'))
        return false;
    for (char c : text) {
        if (c < '0' || c > '9')
            return false;
    }
    return true;
}

bool isNonce(QByteArrayView text)
{
    if (text.size() < kMinNonceLength || text.size() > kMaxNonceLength)
        return false;
    for (char c : text) {
        const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'
            || c == '_';
        if (!ok)
            return false;
    }
    return true;
}

AuthResult failure(AuthError error, const QString &message)
{
    return {error, message, {}};
}

} // namespace

QByteArray canonicalRequest(QByteArrayView method, QByteArrayView pathWithQuery, QByteArrayView timestamp,
                            QByteArrayView nonce, QByteArrayView body)
{
    QByteArray canonical;
    canonical.reserve(method.size() + pathWithQuery.size() + timestamp.size() + nonce.size() + 68);
    canonical.append(method).append('\n').append(pathWithQuery).append('\n').append(timestamp).append('\n');
    canonical.append(nonce).append('\n').append(QCryptographicHash::hash(body, QCryptographicHash::Sha256).toHex());
    return canonical;
}

QList<std::pair<QByteArray, QByteArray>> AuthHeaders::list() const
{
    return {{authheader::kDevice, device},
            {authheader::kTimestamp, timestamp},
            {authheader::kNonce, nonce},
            {authheader::kSignature, signature}};
}

RequestSigner::RequestSigner(QString deviceId, QByteArray requestSecret)
    : m_deviceId(deviceId.toLatin1()), m_secret(std::move(requestSecret))
{
    Q_ASSERT(isValidDeviceId(deviceId));
    Q_ASSERT(m_secret.size() == kSecretBytes);
}

AuthHeaders RequestSigner::sign(QByteArrayView method, QByteArrayView pathWithQuery, QByteArrayView body,
                                qint64 unixSeconds) const
{
    return sign(method, pathWithQuery, body, unixSeconds, newNonce());
}

AuthHeaders RequestSigner::sign(QByteArrayView method, QByteArrayView pathWithQuery, QByteArrayView body,
                                qint64 unixSeconds, QByteArrayView nonce) const
{
    Q_ASSERT(isVisibleAscii(method) && pathWithQuery.startsWith('/') && isVisibleAscii(pathWithQuery));
    Q_ASSERT(isNonce(nonce) && unixSeconds >= 0);
    const QByteArray timestamp = QByteArray::number(unixSeconds);
    const QByteArray mac = hmac(m_secret, canonicalRequest(method, pathWithQuery, timestamp, nonce, body));
    return {m_deviceId, timestamp, nonce.toByteArray(), encodeBase64(mac)};
}

QByteArray RequestSigner::newNonce()
{
    // QRandomGenerator::system() reads the kernel's CSPRNG.
    QByteArray bytes(kNonceBytes, Qt::Uninitialized);
    QRandomGenerator::system()->fillRange(reinterpret_cast<quint32 *>(bytes.data()), kNonceBytes / 4);
    return encodeBase64Url(bytes);
}

ReceivedRequest ReceivedRequest::from(QByteArrayView method, QByteArrayView pathWithQuery, QByteArrayView body,
                                      const AuthHeaders &headers)
{
    return {method, pathWithQuery, body, headers.device, headers.timestamp, headers.nonce, headers.signature};
}

QString describe(AuthError error)
{
    switch (error) {
    case AuthError::MissingHeader: return QStringLiteral("authentication header missing");
    case AuthError::MalformedHeader: return QStringLiteral("authentication header malformed");
    case AuthError::UnknownDevice: return QStringLiteral("unknown device");
    case AuthError::ClockSkew: return QStringLiteral("request timestamp outside the allowed clock skew");
    case AuthError::BadSignature: return QStringLiteral("request signature does not match");
    case AuthError::DeviceRevoked: return QStringLiteral("device revoked");
    case AuthError::ReplayedNonce: return QStringLiteral("nonce already used");
    }
    return QStringLiteral("authentication failed");
}

ApiError AuthResult::toApiError() const
{
    Q_ASSERT(!ok());
    const char *code = errorcode::kInternalError;
    switch (error.value_or(AuthError::BadSignature)) {
    case AuthError::MissingHeader: code = errorcode::kAuthMissing; break;
    case AuthError::MalformedHeader: code = errorcode::kAuthMalformed; break;
    case AuthError::UnknownDevice: code = errorcode::kUnknownDevice; break;
    case AuthError::ClockSkew: code = errorcode::kClockSkew; break;
    case AuthError::BadSignature: code = errorcode::kBadSignature; break;
    case AuthError::DeviceRevoked: code = errorcode::kDeviceRevoked; break;
    case AuthError::ReplayedNonce: code = errorcode::kNonceReplayed; break;
    }
    return ApiError::make(code, message);
}

RequestVerifier::RequestVerifier(NonceCheck nonceCheck, int allowedSkewSeconds)
    : m_nonceCheck(std::move(nonceCheck)), m_allowedSkewSeconds(allowedSkewSeconds)
{
}

AuthResult RequestVerifier::checkHeaders(const ReceivedRequest &request, qint64 nowUnixSeconds) const
{
    const std::pair<const char *, const std::optional<QByteArray> *> headers[] = {
        {authheader::kDevice, &request.device},
        {authheader::kTimestamp, &request.timestamp},
        {authheader::kNonce, &request.nonce},
        {authheader::kSignature, &request.signature},
    };
    QStringList missing;
    for (const auto &[name, value] : headers) {
        if (!value->has_value())
            missing << QString::fromLatin1(name);
    }
    if (!missing.isEmpty())
        return failure(AuthError::MissingHeader, QStringLiteral("missing %1").arg(missing.join(QStringLiteral(", "))));

    const auto malformed = [](const char *header, const char *expected) {
        return failure(AuthError::MalformedHeader, QStringLiteral("%1 must be %2").arg(QLatin1String(header),
                                                                                    QLatin1String(expected)));
    };
    if (request.device->size() > 64 || !isValidDeviceId(QString::fromLatin1(*request.device)))
        return malformed(authheader::kDevice, "a device id (8 to 64 characters of A-Z, a-z, 0-9, '_', '-')");
    if (!isUnixSeconds(*request.timestamp))
        return malformed(authheader::kTimestamp, "unix seconds (decimal digits, no leading zeros)");
    if (!isNonce(*request.nonce))
        return malformed(authheader::kNonce, "22 to 64 base64url characters (at least 128 random bits)");
    const std::optional<QByteArray> signature = decodeBase64(*request.signature);
    if (!signature || signature->size() != kSignatureBytes)
        return malformed(authheader::kSignature, "the canonical base64 of a 32-byte HMAC-SHA256");
    if (request.method.isEmpty() || !isVisibleAscii(request.method) || !request.pathWithQuery.startsWith('/')
        || request.pathWithQuery.size() > kMaxPathLength || !isVisibleAscii(request.pathWithQuery))
        return failure(AuthError::MalformedHeader, QStringLiteral("the request line cannot be signed"));

    const qint64 skew = request.timestamp->toLongLong() - nowUnixSeconds;
    if (skew > m_allowedSkewSeconds || skew < -m_allowedSkewSeconds) {
        return failure(AuthError::ClockSkew, QStringLiteral("%1 is %2 s %3 the service clock (at most %4 s allowed)")
                                                 .arg(QLatin1String(authheader::kTimestamp))
                                                 .arg(qAbs(skew))
                                                 .arg(skew > 0 ? QStringLiteral("ahead of") : QStringLiteral("behind"))
                                                 .arg(m_allowedSkewSeconds));
    }
    return {std::nullopt, {}, QString::fromLatin1(*request.device)};
}

std::optional<AuthResult> RequestVerifier::checkSignature(const ReceivedRequest &request,
                                                         QByteArrayView requestSecret) const
{
    const QByteArray expected = hmac(requestSecret, canonicalRequest(request.method, request.pathWithQuery,
                                                                     *request.timestamp, *request.nonce, request.body));
    const std::optional<QByteArray> given = decodeBase64(*request.signature); // well-formed: checkHeaders
    if (requestSecret.isEmpty() || !given || !constantTimeEquals(expected, *given))
        return failure(AuthError::BadSignature,
                       QStringLiteral("%1 does not match the request").arg(QLatin1String(authheader::kSignature)));
    return std::nullopt;
}

AuthResult RequestVerifier::checkNonce(const ReceivedRequest &request, const AuthResult &authenticated) const
{
    const qint64 rememberUntil = request.timestamp->toLongLong() + m_allowedSkewSeconds;
    if (!m_nonceCheck || !m_nonceCheck(authenticated.deviceId, *request.nonce, rememberUntil))
        return failure(AuthError::ReplayedNonce,
                       QStringLiteral("%1 was already used by this device").arg(QLatin1String(authheader::kNonce)));
    return authenticated;
}

AuthResult RequestVerifier::verify(const ReceivedRequest &request, const DeviceLookup &lookup,
                                   qint64 nowUnixSeconds) const
{
    const AuthResult checked = checkHeaders(request, nowUnixSeconds);
    if (!checked.ok())
        return checked;
    const std::optional<DeviceCredential> device = lookup ? lookup(checked.deviceId) : std::nullopt;
    if (!device)
        return failure(AuthError::UnknownDevice, QStringLiteral("no device %1 is enrolled").arg(checked.deviceId));
    if (const auto bad = checkSignature(request, device->requestSecret))
        return *bad;
    // Told only to the device itself (after the signature), and its nonce is not stored.
    if (device->revoked)
        return failure(AuthError::DeviceRevoked, QStringLiteral("device %1 has been revoked").arg(checked.deviceId));
    return checkNonce(request, checked);
}

AuthResult RequestVerifier::verify(const ReceivedRequest &request, QByteArrayView requestSecret,
                                   qint64 nowUnixSeconds) const
{
    const AuthResult checked = checkHeaders(request, nowUnixSeconds);
    if (!checked.ok())
        return checked;
    if (const auto bad = checkSignature(request, requestSecret))
        return *bad;
    return checkNonce(request, checked);
}

} // namespace poptap::wire
