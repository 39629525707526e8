#include "registrationtoken.h"

#include "constanttime.h"

#include <QMessageAuthenticationCode>
#include <QtEndian>

namespace poptap {
namespace {

constexpr int kPayloadBytes = 20;
static_assert(kPayloadBytes + RegistrationToken::kMacBytes == RegistrationToken::kEncodedLength * 6 / 8,
              "payload and MAC must fill the encoded length exactly, with no padding bits");

QByteArray macOf(QByteArrayView payload, const QByteArray &secret)
{
    return QMessageAuthenticationCode::hash(payload.toByteArray(), secret, QCryptographicHash::Sha256)
        .left(RegistrationToken::kMacBytes);
}

bool isBase64UrlAlphabet(QStringView text)
{
    for (QChar c : text) {
        const char16_t u = c.unicode();
        const bool ok = (u >= 'A' && u <= 'Z') || (u >= 'a' && u <= 'z') || (u >= '0' && u <= '9') || u == '-'
            || u == '_';
        if (!ok)
            return false;
    }
    return true;
}

bool isKnownKind(std::uint8_t kind)
{
    return kind >= std::uint8_t(RegistrationKind::BrandInterest) && kind <= std::uint8_t(RegistrationKind::Pop);
}

} // namespace

QString TokenClaims::intentId() const
{
    return QStringLiteral("%1-%2-%3").arg(keyId, 8, 16, QLatin1Char('0')).arg(epoch).arg(sequence);
}

QString describe(TokenError error)
{
    switch (error) {
    case TokenError::Malformed: return QStringLiteral("malformed token");
    case TokenError::UnsupportedVersion: return QStringLiteral("unsupported token version");
    case TokenError::UnknownKey: return QStringLiteral("token signed by an unknown device key");
    case TokenError::BadSignature: return QStringLiteral("token signature does not match");
    case TokenError::InvalidClaims: return QStringLiteral("token carries invalid values");
    case TokenError::Expired: return QStringLiteral("token expired");
    case TokenError::IssuedInFuture: return QStringLiteral("token issued in the future");
    }
    return QStringLiteral("unknown token error");
}

QString RegistrationToken::issue(const TokenClaims &claims, const QByteArray &secret)
{
    Q_ASSERT(secret.size() >= kMinSecretBytes);
    Q_ASSERT(isKnownKind(std::uint8_t(claims.kind)) && claims.ttlHours > 0);
    QByteArray payload(kPayloadBytes, Qt::Uninitialized);
    auto *p = reinterpret_cast<uchar *>(payload.data());
    p[0] = uchar((kVersion << 4) | (std::uint8_t(claims.kind) & 0x0f));
    qToBigEndian<quint32>(claims.keyId, p + 1);
    qToBigEndian<quint16>(claims.epoch, p + 5);
    qToBigEndian<quint32>(claims.sequence, p + 7);
    qToBigEndian<quint32>(claims.target, p + 11);
    qToBigEndian<quint32>(quint32(claims.issuedAt.toSecsSinceEpoch()), p + 15);
    p[19] = claims.ttlHours;
    const QByteArray raw = payload + macOf(payload, secret);
    return QString::fromLatin1(raw.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals));
}

TokenVerification RegistrationToken::verify(QStringView token, const SecretLookup &secretFor,
                                             const QDateTime &now, int allowedSkewSeconds)
{
    const auto fail = [](TokenError e) { return TokenVerification{std::nullopt, e}; };
    if (token.size() != kEncodedLength || !isBase64UrlAlphabet(token))
        return fail(TokenError::Malformed);
    const auto decoded = QByteArray::fromBase64Encoding(token.toLatin1(), QByteArray::Base64UrlEncoding
                                                            | QByteArray::AbortOnBase64DecodingErrors);
    if (!decoded || decoded.decoded.size() != kPayloadBytes + kMacBytes)
        return fail(TokenError::Malformed);

    const QByteArrayView payload = QByteArrayView(decoded.decoded).first(kPayloadBytes);
    const auto *p = reinterpret_cast<const uchar *>(payload.data());
    if ((p[0] >> 4) != kVersion)
        return fail(TokenError::UnsupportedVersion);

    TokenClaims claims;
    claims.keyId = qFromBigEndian<quint32>(p + 1);
    const std::optional<QByteArray> secret = secretFor ? secretFor(claims.keyId) : std::nullopt;
    if (!secret)
        return fail(TokenError::UnknownKey);
    if (!constantTimeEquals(macOf(payload, *secret), QByteArrayView(decoded.decoded).sliced(kPayloadBytes)))
        return fail(TokenError::BadSignature);

    const std::uint8_t kind = p[0] & 0x0f;
    claims.epoch = qFromBigEndian<quint16>(p + 5);
    claims.sequence = qFromBigEndian<quint32>(p + 7);
    claims.target = qFromBigEndian<quint32>(p + 11);
    claims.issuedAt = QDateTime::fromSecsSinceEpoch(qFromBigEndian<quint32>(p + 15), Qt::UTC);
    claims.ttlHours = p[19];
    if (!isKnownKind(kind) || claims.ttlHours == 0)
        return fail(TokenError::InvalidClaims);
    claims.kind = RegistrationKind(kind);

    if (claims.issuedAt.secsTo(now) < -allowedSkewSeconds)
        return fail(TokenError::IssuedInFuture);
    if (now >= claims.expiresAt())
        return fail(TokenError::Expired);
    return {claims, std::nullopt};
}

} // namespace poptap
