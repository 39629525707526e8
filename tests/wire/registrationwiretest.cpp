// Registration batches: what the kiosk's outbox uploads and what the service answers per intent.
#include "wire/registrationwire.h"
#include "wiretestjson.h"

#include <QMessageAuthenticationCode>
#include <QTest>
#include <QtEndian>

using namespace poptap;
using namespace poptap::wire;
using wiretest::refusalProblem;
using wiretest::withValue;
using wiretest::without;

Q_DECLARE_METATYPE(poptap::wire::WireFailure)

namespace {

const QByteArray kSecret = QByteArray::fromBase64("7NSfsNM0bqAk5OoTufPFBMaRnmOPHL0lqTtXKdG8meE=");
constexpr std::uint32_t kKeyId = 27182818;
const QDateTime kIssued = QDateTime::fromSecsSinceEpoch(1795339800, Qt::UTC); // 2026-11-22T09:30:00Z

RegistrationIntent intent(std::uint32_t sequence, RegistrationKind kind = RegistrationKind::BrandInterest,
                          std::uint32_t target = 4, const QDateTime &issuedAt = kIssued)
{
    TokenClaims claims;
    claims.keyId = kKeyId;
    claims.sequence = sequence;
    claims.kind = kind;
    claims.target = target;
    claims.issuedAt = issuedAt;
    return {claims.intentId(), RegistrationToken::issue(claims, kSecret), kind, target, issuedAt};
}

RegistrationBatch batchOf(int count)
{
    RegistrationBatch batch;
    for (int i = 0; i < count; ++i)
        batch.intents << intent(std::uint32_t(i + 1), RegistrationKind(1 + i % 3), std::uint32_t(1000 + i),
                                kIssued.addSecs(i));
    return batch;
}

RegistrationToken::SecretLookup onlyOurKey()
{
    return [](std::uint32_t keyId) {
        return keyId == kKeyId ? std::optional<QByteArray>(kSecret) : std::nullopt;
    };
}

} // namespace

class RegistrationWireTest : public QObject
{
    Q_OBJECT

private slots:
    void batchRoundTrips_data()
    {
        QTest::addColumn<int>("count");
        QTest::newRow("one") << 1;
        QTest::newRow("three kinds") << 3;
        QTest::newRow("500, the limit") << RegistrationBatch::kMaxIntents;
    }

    void batchRoundTrips()
    {
        QFETCH(int, count);
        const RegistrationBatch batch = batchOf(count);
        const QByteArray json = batch.toJson();
        QVERIFY(json.size() < kMaxBodyBytes / 4); // a full batch is far below the body cap
        const auto parsed = RegistrationBatch::fromJson(json);
        QVERIFY2(parsed.ok(), qPrintable(parsed.errorText()));
        QCOMPARE(*parsed.value, batch);
    }

    void wireFormIsAsDocumented()
    {
        const RegistrationBatch batch{{intent(1, RegistrationKind::Restock, 120034)}};
        const QJsonObject item = QJsonDocument::fromJson(batch.toJson()).object()["intents"].toArray()[0].toObject();
        QCOMPARE(item["intentId"].toString(), QStringLiteral("019ec6e2-0-1"));
        QCOMPARE(item["kind"].toString(), QStringLiteral("restock"));
        QCOMPARE(item["target"].toInteger(), 120034);
        QCOMPARE(item["issuedAt"].toString(), QStringLiteral("2026-11-22T09:30:00Z"));
        QCOMPARE(item["token"].toString().size(), 40);
    }

    void malformedBatchIsRefused_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<WireFailure>("failure");
        QTest::addColumn<QString>("path");
        QTest::addColumn<QString>("reason");
        const QByteArray good = batchOf(5).toJson();
        const QString token = batchOf(1).intents[0].token;
        const auto invalid = [&](const char *name, const QByteArray &json, const char *path, const char *reason) {
            QTest::newRow(name) << json << WireFailure::Invalid << QString::fromLatin1(path) << QString::fromUtf8(reason);
        };

        QTest::newRow("501 intents") << batchOf(501).toJson() << WireFailure::TooManyItems << "intents"
                                     << "has 501 items, at most 500 are allowed";
        QTest::newRow("100000 empty objects")
            << "{\"intents\":[" + QByteArray("{},").repeated(99999) + "{}]}" << WireFailure::TooManyItems << "intents"
            << "at most 500";
        QTest::newRow("over 1 MiB") << withValue(good, "intents[0].note", QString(kMaxBodyBytes, 'x'))
                                    << WireFailure::TooLarge << "(body)" << "larger than";
        invalid("no intents", withValue(good, "intents", QJsonArray()), "intents", "at least 1");
        invalid("intents missing", without(good, "intents"), "intents", "is required");
        invalid("intents an object", withValue(good, "intents", QJsonObject{{"0", 1}}), "intents", "must be an array");
        invalid("item a string", withValue(good, "intents[3]", token), "intents[3]", "must be an object");
        invalid("item nested arrays", withValue(good, "intents[2]", QJsonArray{QJsonArray{QJsonArray{}}}), "intents[2]",
                "must be an object");
        invalid("intentId missing", without(good, "intents[1].intentId"), "intents[1].intentId", "is required");
        invalid("intentId empty", withValue(good, "intents[1].intentId", ""), "intents[1].intentId", "must not be empty");
        invalid("intentId 65", withValue(good, "intents[1].intentId", QString(65, 'a')), "intents[1].intentId",
                "at most 64");
        invalid("intentId with space", withValue(good, "intents[1].intentId", "019ec6e2 0 1"), "intents[1].intentId",
                "A-Z, a-z, 0-9");
        invalid("intentId repeated", withValue(good, "intents[4].intentId", "019ec6e2-0-2"), "intents[4].intentId",
                "repeats intents[1].intentId");
        invalid("token missing", without(good, "intents[0].token"), "intents[0].token", "is required");
        invalid("token 39", withValue(good, "intents[0].token", token.chopped(1)), "intents[0].token",
                "at least 40");
        invalid("token 41", withValue(good, "intents[0].token", token + "A"), "intents[0].token", "at most 40");
        invalid("token base64 alphabet", withValue(good, "intents[0].token", "+" + token.mid(1)), "intents[0].token",
                "registration token");
        invalid("token padded", withValue(good, "intents[0].token", token.chopped(1) + "="), "intents[0].token",
                "registration token");
        invalid("token huge", withValue(good, "intents[0].token", QString(300000, 'A')), "intents[0].token",
                "at most 40");
        invalid("token a number", withValue(good, "intents[0].token", 42), "intents[0].token", "must be a string");
        invalid("kind unknown", withValue(good, "intents[2].kind", "coupon"), "intents[2].kind",
                "must be one of \"brand\", \"restock\", \"pop\"");
        invalid("kind capitalised", withValue(good, "intents[2].kind", "Brand"), "intents[2].kind", "must be one of");
        invalid("kind a number", withValue(good, "intents[2].kind", 1), "intents[2].kind", "must be a string");
        invalid("kind missing", without(good, "intents[2].kind"), "intents[2].kind", "is required");
        invalid("target zero", withValue(good, "intents[0].target", 0), "intents[0].target", "from 1 to 4294967295");
        invalid("target 2^32", withValue(good, "intents[0].target", 4294967296.0), "intents[0].target",
                "from 1 to 4294967295");
        invalid("target negative", withValue(good, "intents[0].target", -4), "intents[0].target", "integer");
        invalid("target fraction", withValue(good, "intents[0].target", 4.5), "intents[0].target", "integer");
        invalid("target text", withValue(good, "intents[0].target", "4"), "intents[0].target", "integer");
        invalid("target null", withValue(good, "intents[0].target", QJsonValue::Null), "intents[0].target", "integer");
        invalid("issuedAt with offset", withValue(good, "intents[0].issuedAt", "2026-11-22T18:30:00+09:00"),
                "intents[0].issuedAt", "UTC time");
        invalid("issuedAt with fraction", withValue(good, "intents[0].issuedAt", "2026-11-22T09:30:00.250Z"),
                "intents[0].issuedAt", "UTC time");
        invalid("issuedAt with space", withValue(good, "intents[0].issuedAt", "2026-11-22 09:30:00Z"),
                "intents[0].issuedAt", "UTC time");
        invalid("issuedAt lower-case z", withValue(good, "intents[0].issuedAt", "2026-11-22T09:30:00z"),
                "intents[0].issuedAt", "UTC time");
        invalid("issuedAt 30 February", withValue(good, "intents[0].issuedAt", "2026-02-30T09:30:00Z"),
                "intents[0].issuedAt", "UTC time");
        invalid("issuedAt 24:00", withValue(good, "intents[0].issuedAt", "2026-11-22T24:00:00Z"),
                "intents[0].issuedAt", "UTC time");
        invalid("issuedAt before 2000", withValue(good, "intents[0].issuedAt", "1999-12-31T23:59:59Z"),
                "intents[0].issuedAt", "UTC time");
        invalid("issuedAt past u32", withValue(good, "intents[0].issuedAt", "2106-02-07T06:28:16Z"),
                "intents[0].issuedAt", "UTC time");
        invalid("issuedAt unix seconds", withValue(good, "intents[0].issuedAt", 1795339800), "intents[0].issuedAt",
                "UTC time");
    }

    void malformedBatchIsRefused()
    {
        QFETCH(QByteArray, json);
        QFETCH(WireFailure, failure);
        QFETCH(QString, path);
        QFETCH(QString, reason);
        const auto parsed = RegistrationBatch::fromJson(json);
        const QString problem = refusalProblem(parsed, failure, path, reason);
        QVERIFY2(problem.isEmpty(), qPrintable(problem));
    }

    void oneBadIntentRefusesTheWholeBatch()
    {
        const QByteArray json = withValue(batchOf(500).toJson(), "intents[499].kind", "coupon");
        const auto parsed = RegistrationBatch::fromJson(json);
        QVERIFY(!parsed.ok());
        QCOMPARE(parsed.errors.size(), 1);
        QCOMPARE(parsed.errors[0].path, QStringLiteral("intents[499].kind"));
    }

    void errorListIsBounded()
    {
        QByteArray json = batchOf(500).toJson();
        QJsonObject root = QJsonDocument::fromJson(json).object();
        QJsonArray items;
        for (int i = 0; i < 500; ++i)
            items.append(QJsonObject{{"intentId", i}, {"token", i}, {"kind", i}, {"target", "x"}, {"issuedAt", i}});
        root["intents"] = items;
        const auto parsed = RegistrationBatch::fromJson(QJsonDocument(root).toJson());
        QVERIFY(!parsed.ok());
        QCOMPARE(parsed.errors.size(), 51);
        QCOMPARE(parsed.errors.last().reason, QStringLiteral("further errors not listed"));
        QVERIFY(parsed.errorText().endsWith(QStringLiteral("and 46 more")));
    }

    void responseRoundTrips()
    {
        const RegistrationBatchResponse response{{
            {QStringLiteral("bb40e64d-0-41"), RegistrationStatus::Accepted, {}},
            {QStringLiteral("019ec6e2-0-1"), RegistrationStatus::Duplicate, {}},
            {QStringLiteral("019ec6e2-0-3"), RegistrationStatus::Rejected, QString::fromLatin1(rejection::kBadSignature)},
        }};
        const auto parsed = RegistrationBatchResponse::fromJson(response.toJson());
        QVERIFY2(parsed.ok(), qPrintable(parsed.errorText()));
        QCOMPARE(*parsed.value, response);
    }

    void rejectionReasonsAreAnOpenSet()
    {
        const QByteArray json = R"({"results":[{"intentId":"a-0-1","status":"rejected","reason":"quota_exceeded"}]})";
        const auto parsed = RegistrationBatchResponse::fromJson(json);
        QVERIFY2(parsed.ok(), qPrintable(parsed.errorText()));
        QCOMPARE(parsed.value->results[0].reason, QStringLiteral("quota_exceeded"));
    }

    void malformedResponseIsRefused_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<QString>("path");
        QTest::addColumn<QString>("reason");
        const QByteArray good =
            R"({"results":[{"intentId":"a-0-1","status":"accepted"},{"intentId":"a-0-2","status":"rejected","reason":"bad_signature"}]})";
        QTest::newRow("unknown status") << withValue(good, "results[0].status", "queued") << "results[0].status"
                                        << "must be one of \"accepted\", \"duplicate\", \"rejected\"";
        QTest::newRow("status missing") << without(good, "results[0].status") << "results[0].status" << "is required";
        QTest::newRow("rejected without reason") << without(good, "results[1].reason") << "results[1].reason"
                                                 << "is required";
        QTest::newRow("reason on accepted") << withValue(good, "results[0].reason", "bad_signature")
                                            << "results[0].reason" << "only allowed when status is \"rejected\"";
        QTest::newRow("reason prose") << withValue(good, "results[1].reason", "Bad signature!") << "results[1].reason"
                                      << "machine code";
        QTest::newRow("reason huge") << withValue(good, "results[1].reason", QString(100000, 'a'))
                                     << "results[1].reason" << "at most 64";
        QTest::newRow("intentId missing") << without(good, "results[1].intentId") << "results[1].intentId"
                                          << "is required";
        QTest::newRow("no results") << withValue(good, "results", QJsonArray()) << "results" << "at least 1";
        QJsonArray many;
        for (int i = 0; i < 501; ++i)
            many.append(QJsonObject{{"intentId", QStringLiteral("a-0-%1").arg(i)}, {"status", "accepted"}});
        QTest::newRow("501 results") << withValue(good, "results", many) << "results" << "has 501 items";
        QTest::newRow("results null") << withValue(good, "results", QJsonValue::Null) << "results" << "must be an array";
    }

    void malformedResponseIsRefused()
    {
        QFETCH(QByteArray, json);
        QFETCH(QString, path);
        QFETCH(QString, reason);
        const QString problem =
            refusalProblem(RegistrationBatchResponse::fromJson(json), WireFailure::Invalid, path, reason);
        QVERIFY2(problem.isEmpty(), qPrintable(problem));
    }

    void kioskNoticesAnAnswerAboutAnotherBatch()
    {
        const RegistrationBatch sent = batchOf(3);
        RegistrationBatchResponse answer;
        for (const RegistrationIntent &i : sent.intents)
            answer.results << RegistrationResult{i.intentId, RegistrationStatus::Accepted, {}};
        QVERIFY(answer.mismatchesWith(sent).isEmpty());

        RegistrationBatchResponse reordered = answer;
        reordered.results.swapItemsAt(0, 2);
        const QList<FieldError> swapped = reordered.mismatchesWith(sent);
        QCOMPARE(swapped.size(), 2);
        QCOMPARE(swapped[0].path, QStringLiteral("results[0].intentId"));

        RegistrationBatchResponse shorter = answer;
        shorter.results.removeLast();
        QCOMPARE(shorter.mismatchesWith(sent).value(0).reason, QStringLiteral("has 2 items for 3 intents sent"));
    }

    void serviceVerifiesTokensAgainstTheIntent()
    {
        const RegistrationIntent good = intent(7, RegistrationKind::Pop, 7001);
        const IntentVerdict verdict = verifyIntentToken(good, onlyOurKey());
        QVERIFY(verdict.ok());
        QCOMPARE(verdict.claims->sequence, 7u);
        QVERIFY(verdict.rejection.isEmpty());

        // Days after expiry the intent still syncs: expiry limits claims, not uploads.
        const RegistrationIntent old = intent(8, RegistrationKind::BrandInterest, 4, kIssued.addDays(-30));
        QVERIFY(verifyIntentToken(old, onlyOurKey()).ok());

        const auto rejectedAs = [](const RegistrationIntent &i, const RegistrationToken::SecretLookup &keys) {
            return verifyIntentToken(i, keys).rejection;
        };
        RegistrationIntent changed = good;
        changed.target = 7002;
        QCOMPARE(rejectedAs(changed, onlyOurKey()), QStringLiteral("claims_mismatch"));
        changed = good;
        changed.kind = RegistrationKind::BrandInterest;
        QCOMPARE(rejectedAs(changed, onlyOurKey()), QStringLiteral("claims_mismatch"));
        changed = good;
        changed.intentId = QStringLiteral("019ec6e2-0-8");
        QCOMPARE(rejectedAs(changed, onlyOurKey()), QStringLiteral("claims_mismatch"));
        for (const int seconds : {-1, 1, -86400 * 2, 86400 * 2}) {
            changed = good;
            changed.issuedAt = good.issuedAt.addSecs(seconds);
            QCOMPARE(rejectedAs(changed, onlyOurKey()), QStringLiteral("claims_mismatch"));
        }

        // Another device's key is unknown here: the lookup holds only the sender's keys.
        const auto otherKeys = [](std::uint32_t) { return std::optional<QByteArray>(QByteArray(32, 'o')); };
        QCOMPARE(rejectedAs(good, [](std::uint32_t) { return std::nullopt; }), QStringLiteral("unknown_key"));
        QCOMPARE(rejectedAs(good, otherKeys), QStringLiteral("bad_signature"));
        changed = good;
        changed.token[39] = changed.token[39] == u'A' ? u'B' : u'A';
        QCOMPARE(rejectedAs(changed, onlyOurKey()), QStringLiteral("bad_signature"));
        changed = good;
        changed.token[0] = u'I'; // version nibble 2
        QCOMPARE(rejectedAs(changed, onlyOurKey()), QStringLiteral("unsupported_token_version"));
        changed = good;
        changed.token = QStringLiteral("not a token");
        QCOMPARE(rejectedAs(changed, onlyOurKey()), QStringLiteral("malformed_token"));
    }

    void correctlySignedNonsenseIsInvalidClaims()
    {
        // Kind 0 and a zero lifetime: only a buggy or hostile issuer produces these.
        QByteArray payload(20, '\0');
        auto *p = reinterpret_cast<uchar *>(payload.data());
        p[0] = 0x10;
        qToBigEndian<quint32>(kKeyId, p + 1);
        qToBigEndian<quint32>(quint32(kIssued.toSecsSinceEpoch()), p + 15);
        const QByteArray mac = QMessageAuthenticationCode::hash(payload, kSecret, QCryptographicHash::Sha256).left(10);
        const QString token = QString::fromLatin1(
            (payload + mac).toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals));
        const RegistrationIntent nonsense{QStringLiteral("019ec6e2-0-0"), token, RegistrationKind::BrandInterest, 1,
                                          kIssued};
        QCOMPARE(verifyIntentToken(nonsense, onlyOurKey()).rejection, QStringLiteral("invalid_claims"));
    }

    void tokenFormatCheckNeedsNoKeys()
    {
        QVERIFY(isWellFormedToken(intent(1).token));
        QVERIFY(!isWellFormedToken(intent(1).token.chopped(1)));
        QVERIFY(!isWellFormedToken(QString(40, u'ト')));
        QVERIFY(!isWellFormedToken(QString(39, 'A') + "/"));
    }

    void idempotencyKeys()
    {
        QSet<QByteArray> keys;
        for (int i = 0; i < 1000; ++i) {
            const QByteArray key = newIdempotencyKey();
            QVERIFY2(isValidIdempotencyKey(key), key.constData());
            keys.insert(key);
        }
        QCOMPARE(keys.size(), 1000);
        QVERIFY(isValidIdempotencyKey("3f0c9a52-8d1e-4b7a-9c25-6e41d0b8f7a3"));
        QVERIFY(!isValidIdempotencyKey("3F0C9A52-8D1E-4B7A-9C25-6E41D0B8F7A3"));
        QVERIFY(!isValidIdempotencyKey("{3f0c9a52-8d1e-4b7a-9c25-6e41d0b8f7a3}"));
        QVERIFY(!isValidIdempotencyKey("3f0c9a528d1e4b7a9c256e41d0b8f7a3"));
        QVERIFY(!isValidIdempotencyKey("3f0c9a52-8d1e-4b7a-9c25-6e41d0b8f7a"));
        QVERIFY(!isValidIdempotencyKey(""));
    }
};

QTEST_GUILESS_MAIN(RegistrationWireTest)
#include "registrationwiretest.moc"
