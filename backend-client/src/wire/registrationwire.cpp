#include "registrationwire.h"

#include "wirerules.h"

#include <QJsonDocument>
#include <QHash>
#include <QUuid>

namespace poptap::wire {
namespace {

constexpr qint64 kMaxU32 = 0xffffffffll;

const TextRule &intentIdRule()
{
    static const QRegularExpression pattern(QStringLiteral("^[A-Za-z0-9._:-]{1,64}$"));
    static const TextRule rule{1, RegistrationIntent::kMaxIntentIdLength, &pattern,
                               "1 to 64 characters of A-Z, a-z, 0-9, '.', '_', ':' and '-'"};
    return rule;
}

const TextRule &tokenRule()
{
    static const QRegularExpression pattern(
        QStringLiteral("^[A-Za-z0-9_-]{%1}$").arg(RegistrationToken::kEncodedLength));
    static const QByteArray meaning =
        QStringLiteral("a registration token (%1 base64url characters)").arg(RegistrationToken::kEncodedLength).toLatin1();
    static const TextRule rule{RegistrationToken::kEncodedLength, RegistrationToken::kEncodedLength, &pattern,
                               meaning.constData()};
    return rule;
}

QByteArray compact(const QJsonObject &o)
{
    return QJsonDocument(o).toJson(QJsonDocument::Compact);
}

} // namespace

QString kindName(RegistrationKind kind)
{
    switch (kind) {
    case RegistrationKind::BrandInterest: return QStringLiteral("brand");
    case RegistrationKind::Restock: return QStringLiteral("restock");
    case RegistrationKind::Pop: return QStringLiteral("pop");
    }
    return {};
}

QString statusName(RegistrationStatus status)
{
    switch (status) {
    case RegistrationStatus::Accepted: return QStringLiteral("accepted");
    case RegistrationStatus::Duplicate: return QStringLiteral("duplicate");
    case RegistrationStatus::Rejected: return QStringLiteral("rejected");
    }
    return {};
}

bool isWellFormedToken(QStringView token)
{
    return rules::matches(tokenRule(), token);
}

bool isValidIdempotencyKey(QByteArrayView key)
{
    static const QRegularExpression pattern(
        QStringLiteral("^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$"));
    return key.size() == 36 && pattern.match(QString::fromLatin1(key)).hasMatch();
}

QByteArray newIdempotencyKey()
{
    return QUuid::createUuid().toByteArray(QUuid::WithoutBraces);
}

QByteArray RegistrationBatch::toJson() const
{
    QJsonArray items;
    for (const RegistrationIntent &intent : intents) {
        items.append(QJsonObject{{QStringLiteral("intentId"), intent.intentId},
                                 {QStringLiteral("token"), intent.token},
                                 {QStringLiteral("kind"), kindName(intent.kind)},
                                 {QStringLiteral("target"), qint64(intent.target)},
                                 {QStringLiteral("issuedAt"), formatTimestamp(intent.issuedAt)}});
    }
    return compact({{QStringLiteral("intents"), items}});
}

WireResult<RegistrationBatch> RegistrationBatch::fromJson(const QByteArray &json)
{
    WireResult<RegistrationBatch> result;
    const std::optional<QJsonObject> root = parseJsonObject(json, result.errors, result.failure);
    if (!root)
        return result;
    JsonReader read(result.errors, result.failure);
    const std::optional<QJsonArray> items =
        read.array(*root, "intents", {}, 1, kMaxIntents, true, /*tooManyIsBatchLimit=*/true);
    if (!items)
        return result;

    RegistrationBatch batch;
    QHash<QString, qsizetype> firstIndex;
    for (qsizetype i = 0; i < items->size(); ++i) {
        const QString where = JsonReader::at(QStringLiteral("intents"), i);
        const std::optional<QJsonObject> o = read.object(items->at(i), where);
        if (!o)
            continue;
        const auto intentId = read.text(*o, "intentId", where, intentIdRule());
        const auto token = read.text(*o, "token", where, tokenRule());
        const auto kind = read.enumeration<RegistrationKind>(*o, "kind", where,
                                                             {{"brand", RegistrationKind::BrandInterest},
                                                              {"restock", RegistrationKind::Restock},
                                                              {"pop", RegistrationKind::Pop}});
        const auto target = read.integer(*o, "target", where, 1, kMaxU32);
        const auto issuedAt = read.timestamp(*o, "issuedAt", where);
        if (intentId) {
            const auto seen = firstIndex.constFind(*intentId);
            if (seen != firstIndex.constEnd())
                read.fail(JsonReader::at(where, "intentId"), QStringLiteral("repeats intents[%1].intentId").arg(*seen));
            else
                firstIndex.insert(*intentId, i);
        }
        if (intentId && token && kind && target && issuedAt)
            batch.intents.append({*intentId, *token, *kind, std::uint32_t(*target), *issuedAt});
    }
    if (!read.failed())
        result.value = batch;
    return result;
}

QByteArray RegistrationBatchResponse::toJson() const
{
    QJsonArray items;
    for (const RegistrationResult &r : results) {
        QJsonObject o{{QStringLiteral("intentId"), r.intentId}, {QStringLiteral("status"), statusName(r.status)}};
        if (r.status == RegistrationStatus::Rejected)
            o.insert(QStringLiteral("reason"), r.reason);
        items.append(o);
    }
    return compact({{QStringLiteral("results"), items}});
}

WireResult<RegistrationBatchResponse> RegistrationBatchResponse::fromJson(const QByteArray &json)
{
    WireResult<RegistrationBatchResponse> result;
    const std::optional<QJsonObject> root = parseJsonObject(json, result.errors, result.failure);
    if (!root)
        return result;
    JsonReader read(result.errors, result.failure);
    const std::optional<QJsonArray> items = read.array(*root, "results", {}, 1, RegistrationBatch::kMaxIntents);
    if (!items)
        return result;

    RegistrationBatchResponse response;
    for (qsizetype i = 0; i < items->size(); ++i) {
        const QString where = JsonReader::at(QStringLiteral("results"), i);
        const std::optional<QJsonObject> o = read.object(items->at(i), where);
        if (!o)
            continue;
        const auto intentId = read.text(*o, "intentId", where, intentIdRule());
        const auto status = read.enumeration<RegistrationStatus>(*o, "status", where,
                                                                 {{"accepted", RegistrationStatus::Accepted},
                                                                  {"duplicate", RegistrationStatus::Duplicate},
                                                                  {"rejected", RegistrationStatus::Rejected}});
        const bool rejected = status == RegistrationStatus::Rejected;
        std::optional<QString> reason;
        if (rejected)
            reason = read.text(*o, "reason", where, rules::machineCode());
        else if (o->contains(QLatin1String("reason")))
            read.fail(JsonReader::at(where, "reason"), QStringLiteral("is only allowed when status is \"rejected\""));
        if (intentId && status && (!rejected || reason))
            response.results.append({*intentId, *status, reason.value_or(QString())});
    }
    if (!read.failed())
        result.value = response;
    return result;
}

QList<FieldError> RegistrationBatchResponse::mismatchesWith(const RegistrationBatch &sent) const
{
    QList<FieldError> errors;
    if (results.size() != sent.intents.size()) {
        errors << FieldError{QStringLiteral("results"), QStringLiteral("has %1 items for %2 intents sent")
                                                            .arg(results.size())
                                                            .arg(sent.intents.size())};
        return errors;
    }
    for (qsizetype i = 0; i < results.size(); ++i) {
        if (results.at(i).intentId != sent.intents.at(i).intentId)
            errors << FieldError{QStringLiteral("results[%1].intentId").arg(i),
                                 QStringLiteral("is not the intentId sent at that position")};
    }
    return errors;
}

IntentVerdict verifyIntentToken(const RegistrationIntent &intent, const RegistrationToken::SecretLookup &secretFor)
{
    // Verifying "as of" the intent's own issue time checks the MAC and claims but never expiry.
    const TokenVerification v = RegistrationToken::verify(intent.token, secretFor, intent.issuedAt);
    if (!v.ok()) {
        switch (*v.error) {
        case TokenError::Malformed: return {std::nullopt, QString::fromLatin1(rejection::kMalformedToken)};
        case TokenError::UnsupportedVersion:
            return {std::nullopt, QString::fromLatin1(rejection::kUnsupportedTokenVersion)};
        case TokenError::UnknownKey: return {std::nullopt, QString::fromLatin1(rejection::kUnknownKey)};
        case TokenError::BadSignature: return {std::nullopt, QString::fromLatin1(rejection::kBadSignature)};
        case TokenError::InvalidClaims: return {std::nullopt, QString::fromLatin1(rejection::kInvalidClaims)};
        case TokenError::Expired:
        case TokenError::IssuedInFuture: break; // only when issuedAt disagrees with the token
        }
        return {std::nullopt, QString::fromLatin1(rejection::kClaimsMismatch)};
    }
    const TokenClaims &c = *v.claims;
    if (c.intentId() != intent.intentId || c.kind != intent.kind || c.target != intent.target
        || c.issuedAt != intent.issuedAt)
        return {std::nullopt, QString::fromLatin1(rejection::kClaimsMismatch)};
    return {c, QString()};
}

} // namespace poptap::wire
