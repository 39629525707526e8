#include "idtokens.h"

#include <QCryptographicHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QMessageAuthenticationCode>
#include <QRandomGenerator>

namespace poptap::lineemu {

namespace {

constexpr auto kBase64Url = QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals;

QByteArray encodePart(const QJsonObject &object)
{
    return QJsonDocument(object).toJson(QJsonDocument::Compact).toBase64(kBase64Url);
}

std::optional<QJsonObject> decodePart(const QByteArray &part)
{
    const auto decoded = QByteArray::fromBase64Encoding(part, kBase64Url | QByteArray::AbortOnBase64DecodingErrors);
    if (!decoded)
        return std::nullopt;
    const QJsonDocument document = QJsonDocument::fromJson(*decoded);
    if (!document.isObject())
        return std::nullopt;
    return document.object();
}

bool equalConstantTime(const QByteArray &a, const QByteArray &b)
{
    if (a.size() != b.size())
        return false;
    unsigned char diff = 0;
    for (qsizetype i = 0; i < a.size(); ++i)
        diff |= static_cast<unsigned char>(a[i] ^ b[i]);
    return diff == 0;
}

} // namespace

IdTokenIssuer::IdTokenIssuer()
    : m_key(32, Qt::Uninitialized)
{
    QRandomGenerator::system()->fillRange(reinterpret_cast<quint32 *>(m_key.data()), m_key.size() / 4);
}

QString IdTokenIssuer::issue(const IdTokenClaims &claims) const
{
    const QJsonObject header{{QStringLiteral("typ"), QStringLiteral("JWT")},
                             {QStringLiteral("alg"), QStringLiteral("HS256")},
                             {QStringLiteral("kid"), QStringLiteral("line-emulator")}};
    QJsonObject payload{{QStringLiteral("iss"), QString::fromLatin1(kIssuer)},
                        {QStringLiteral("sub"), claims.userId},
                        {QStringLiteral("aud"), claims.channelId},
                        {QStringLiteral("exp"), claims.expiresAt.toSecsSinceEpoch()},
                        {QStringLiteral("iat"), claims.issuedAt.toSecsSinceEpoch()},
                        {QStringLiteral("amr"), QJsonArray::fromStringList(claims.amr)}};
    if (!claims.nonce.isEmpty())
        payload.insert(QStringLiteral("nonce"), claims.nonce);
    if (!claims.name.isEmpty())
        payload.insert(QStringLiteral("name"), claims.name);
    if (!claims.picture.isEmpty())
        payload.insert(QStringLiteral("picture"), claims.picture);
    if (!claims.email.isEmpty())
        payload.insert(QStringLiteral("email"), claims.email);

    const QByteArray signingInput = encodePart(header) + '.' + encodePart(payload);
    return QString::fromLatin1(signingInput + '.' + sign(signingInput).toBase64(kBase64Url));
}

IdTokenCheck IdTokenIssuer::verify(const QString &token, const QString &clientId, const QDateTime &now,
                                   const QString &nonce, const QString &userId) const
{
    const auto fail = [](const char *description) {
        return IdTokenCheck{std::nullopt, QString::fromLatin1(description)};
    };

    const QList<QByteArray> parts = token.toLatin1().split('.');
    if (parts.size() != 3)
        return fail("Invalid IdToken.");
    const auto signature = QByteArray::fromBase64Encoding(parts[2], kBase64Url | QByteArray::AbortOnBase64DecodingErrors);
    if (!signature || !equalConstantTime(*signature, sign(parts[0] + '.' + parts[1])))
        return fail("Invalid IdToken.");
    const std::optional<QJsonObject> header = decodePart(parts[0]);
    const std::optional<QJsonObject> payload = decodePart(parts[1]);
    if (!header || !payload || header->value(QStringLiteral("alg")).toString() != u"HS256")
        return fail("Invalid IdToken.");

    if (payload->value(QStringLiteral("iss")).toString() != QLatin1String(kIssuer))
        return fail("Invalid IdToken Issuer.");
    if (payload->value(QStringLiteral("exp")).toInteger() <= now.toSecsSinceEpoch())
        return fail("IdToken expired.");
    if (payload->value(QStringLiteral("aud")).toString() != clientId)
        return fail("Invalid IdToken Audience.");
    if (!nonce.isEmpty() && payload->value(QStringLiteral("nonce")).toString() != nonce)
        return fail("Invalid IdToken Nonce.");
    if (!userId.isEmpty() && payload->value(QStringLiteral("sub")).toString() != userId)
        return fail("Invalid IdToken Subject Identifier.");
    return IdTokenCheck{payload, QString()};
}

QByteArray IdTokenIssuer::sign(const QByteArray &signingInput) const
{
    return QMessageAuthenticationCode::hash(signingInput, m_key, QCryptographicHash::Sha256);
}

} // namespace poptap::lineemu
