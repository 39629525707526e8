// Enrollment: the one unauthenticated request, so its parser meets the least trusted input.
#include "wire/enrollmentwire.h"
#include "wiretestjson.h"

#include <QTest>

using namespace poptap::wire;
using wiretest::refusalProblem;
using wiretest::withValue;
using wiretest::without;

Q_DECLARE_METATYPE(poptap::wire::WireFailure)

namespace {

const QByteArray kLocalSecret = QByteArray::fromBase64("sdVEjJ7VJtYRbX+EnHRGG+GWf/haCspM+i4bqNiOUEo=");
const QByteArray kDeviceSecret = QByteArray::fromBase64("7NSfsNM0bqAk5OoTufPFBMaRnmOPHL0lqTtXKdG8meE=");
const QByteArray kRequestSecret = QByteArray::fromBase64("3hAAZPahM9xakyERuS8dHSK2t08LGCJLat12eDNhZrg=");

EnrollmentRequest sampleRequest()
{
    return {QStringLiteral("7KQ2-M9XD-4PRT-W3HF"), {3141592653u, kLocalSecret}, QStringLiteral("Jingumae entrance"),
            QStringLiteral("0.1.0")};
}

EnrollmentResponse sampleResponse()
{
    return {QStringLiteral("dev_8fK2xQ9mLp3T"), 101, {27182818, kDeviceSecret}, kRequestSecret};
}

} // namespace

class EnrollmentWireTest : public QObject
{
    Q_OBJECT

private slots:
    void requestRoundTrips()
    {
        const EnrollmentRequest request = sampleRequest();
        const auto parsed = EnrollmentRequest::fromJson(request.toJson());
        QVERIFY2(parsed.ok(), qPrintable(parsed.errorText()));
        QCOMPARE(*parsed.value, request);
        QCOMPARE(parsed.failure, WireFailure::None);
        QVERIFY(parsed.errors.isEmpty());
    }

    void requestAtItsLimitsRoundTrips()
    {
        EnrollmentRequest request = sampleRequest();
        request.localKey.keyId = 0xffffffffu;
        request.deviceName = QString(EnrollmentRequest::kMaxDeviceNameLength, QChar(u'店'));
        request.version = QStringLiteral("1.2.0~rc1+deb12u3-really.long.1");
        const auto parsed = EnrollmentRequest::fromJson(request.toJson());
        QVERIFY2(parsed.ok(), qPrintable(parsed.errorText()));
        QCOMPARE(*parsed.value, request);
    }

    void lengthsCountCharactersNotUtf16Units()
    {
        // As JSON Schema's maxLength does: 64 emoji are 64 characters (128 UTF-16 units).
        EnrollmentRequest request = sampleRequest();
        request.deviceName = QString::fromUtf8("🏬").repeated(EnrollmentRequest::kMaxDeviceNameLength);
        const auto parsed = EnrollmentRequest::fromJson(request.toJson());
        QVERIFY2(parsed.ok(), qPrintable(parsed.errorText()));
        QCOMPARE(*parsed.value, request);
        request.deviceName += QString::fromUtf8("🏬");
        const QString problem = refusalProblem(EnrollmentRequest::fromJson(request.toJson()), WireFailure::Invalid,
                                               "deviceName", "at most 64 characters");
        QVERIFY2(problem.isEmpty(), qPrintable(problem));
    }

    void responseRoundTrips()
    {
        const EnrollmentResponse response = sampleResponse();
        const auto parsed = EnrollmentResponse::fromJson(response.toJson());
        QVERIFY2(parsed.ok(), qPrintable(parsed.errorText()));
        QCOMPARE(*parsed.value, response);
    }

    void unknownMembersAreIgnored()
    {
        QByteArray json = withValue(sampleRequest().toJson(), QStringLiteral("comment"), QStringLiteral("from v1.1"));
        json = withValue(json, QStringLiteral("localKey.algorithm"), QStringLiteral("hmac-sha256"));
        const auto parsed = EnrollmentRequest::fromJson(json);
        QVERIFY2(parsed.ok(), qPrintable(parsed.errorText()));
        QCOMPARE(*parsed.value, sampleRequest());
    }

    void malformedRequestIsRefused_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<WireFailure>("failure");
        QTest::addColumn<QString>("path");
        QTest::addColumn<QString>("reason");
        const QByteArray good = sampleRequest().toJson();
        const auto invalid = [&](const char *name, const QByteArray &json, const char *path, const char *reason) {
            QTest::newRow(name) << json << WireFailure::Invalid << QString::fromLatin1(path)
                                << QString::fromUtf8(reason);
        };
        const QString validSecret = QString::fromLatin1(kLocalSecret.toBase64());

        invalid("code missing", without(good, "enrollmentCode"), "enrollmentCode", "is required");
        invalid("code null", withValue(good, "enrollmentCode", QJsonValue::Null), "enrollmentCode", "must be a string");
        invalid("code number", withValue(good, "enrollmentCode", 1234), "enrollmentCode", "must be a string");
        invalid("code lower case", withValue(good, "enrollmentCode", "7kq2-m9xd-4prt-w3hf"), "enrollmentCode",
                "Crockford");
        invalid("code with I", withValue(good, "enrollmentCode", "7KQ2-M9XD-4PRT-W3HI"), "enrollmentCode", "Crockford");
        invalid("code without dashes", withValue(good, "enrollmentCode", "7KQ2M9XD4PRTW3HF"), "enrollmentCode",
                "characters");
        invalid("code with newline", withValue(good, "enrollmentCode", "7KQ2-M9XD-4PRT-W3H\n"), "enrollmentCode",
                "control characters");
        invalid("localKey missing", without(good, "localKey"), "localKey", "is required");
        invalid("localKey a string", withValue(good, "localKey", validSecret), "localKey", "must be an object");
        invalid("localKey an array", withValue(good, "localKey", QJsonArray{1, validSecret}), "localKey",
                "must be an object");
        invalid("keyId zero", withValue(good, "localKey.keyId", 0), "localKey.keyId", "from 1 to 4294967295");
        invalid("keyId 2^32", withValue(good, "localKey.keyId", 4294967296.0), "localKey.keyId", "from 1 to 4294967295");
        invalid("keyId negative", withValue(good, "localKey.keyId", -7), "localKey.keyId", "integer");
        invalid("keyId fraction", withValue(good, "localKey.keyId", 1.5), "localKey.keyId", "integer");
        invalid("keyId huge", withValue(good, "localKey.keyId", 1e300), "localKey.keyId", "integer");
        invalid("keyId text", withValue(good, "localKey.keyId", "3141592653"), "localKey.keyId", "integer");
        invalid("keyId bool", withValue(good, "localKey.keyId", true), "localKey.keyId", "integer");
        invalid("keyId nested garbage",
                withValue(good, "localKey.keyId", QJsonArray{QJsonArray{QJsonObject{{"a", QJsonArray{}}}}}),
                "localKey.keyId", "integer");
        invalid("secret missing", without(good, "localKey.secret"), "localKey.secret", "is required");
        invalid("secret 16 bytes", withValue(good, "localKey.secret", QString::fromLatin1(QByteArray(16, 'k').toBase64())),
                "localKey.secret", "32 bytes");
        invalid("secret 33 bytes", withValue(good, "localKey.secret", QString::fromLatin1(QByteArray(33, 'k').toBase64())),
                "localKey.secret", "32 bytes");
        invalid("secret unpadded", withValue(good, "localKey.secret", validSecret.chopped(1)), "localKey.secret",
                "canonical base64");
        // 'o' -> 'p' changes only the two bits past the 256th: decodes to the same bytes.
        invalid("secret not canonical", withValue(good, "localKey.secret", validSecret.chopped(2) + "p="),
                "localKey.secret", "canonical base64");
        invalid("secret base64url", withValue(good, "localKey.secret", QString(validSecret).replace('+', '-')),
                "localKey.secret", "canonical base64");
        invalid("secret with space", withValue(good, "localKey.secret", validSecret.left(20) + " " + validSecret.mid(21)),
                "localKey.secret", "canonical base64");
        invalid("secret huge", withValue(good, "localKey.secret", QString(200000, 'A')), "localKey.secret", "32 bytes");
        invalid("secret non-ASCII", withValue(good, "localKey.secret", QString(43, QChar(u'秘')) + "="),
                "localKey.secret", "32 bytes");
        invalid("deviceName missing", without(good, "deviceName"), "deviceName", "is required");
        invalid("deviceName empty", withValue(good, "deviceName", ""), "deviceName", "must not be empty");
        invalid("deviceName 65 characters", withValue(good, "deviceName", QString(65, 'x')), "deviceName",
                "at most 64 characters");
        invalid("deviceName huge", withValue(good, "deviceName", QString(500000, 'x')), "deviceName",
                "at most 64 characters");
        invalid("deviceName with tab", withValue(good, "deviceName", "Jingumae\tentrance"), "deviceName",
                "control characters");
        invalid("deviceName with C1 control", withValue(good, "deviceName", QString::fromUtf8("Jingumae\u0085")),
                "deviceName", "control characters");
        invalid("deviceName lone surrogate", QByteArray(good).replace("entrance", "\\ud800"), "deviceName",
                "unpaired surrogates");
        invalid("deviceName lone low surrogate", QByteArray(good).replace("entrance", "\\udc00x"), "deviceName",
                "unpaired surrogates");
        invalid("deviceName an object", withValue(good, "deviceName", QJsonObject{{"ja", "入口"}}), "deviceName",
                "must be a string");
        invalid("version with space", withValue(good, "version", "0.1 beta"), "version", "a version like");
        invalid("version 33 characters", withValue(good, "version", QString(33, '1')), "version",
                "at most 32 characters");
        invalid("body an array", "[]", "(body)", "must be a JSON object");
        invalid("body a string", "\"7KQ2-M9XD-4PRT-W3HF\"", "(body)", "must be a JSON object");
        QTest::newRow("not JSON") << QByteArray("{\"enrollmentCode\": ") << WireFailure::NotJson << "(body)"
                                  << "not JSON";
        QTest::newRow("trailing garbage") << good + "}" << WireFailure::NotJson << "(body)" << "not JSON";
        QTest::newRow("empty body") << QByteArray() << WireFailure::NotJson << "(body)" << "not JSON";
        QTest::newRow("not UTF-8") << QByteArray(good).replace("Jingumae", "Jingu\xff\xfe") << WireFailure::NotUtf8
                                   << "(body)" << "UTF-8";
        QTest::newRow("overlong UTF-8") << QByteArray(good).replace("Jingumae", "Jingu\xc0\xaf") << WireFailure::NotUtf8
                                        << "(body)" << "UTF-8";
        QTest::newRow("over 1 MiB") << withValue(good, "padding", QString(kMaxBodyBytes, ' ')) << WireFailure::TooLarge
                                    << "(body)" << "larger than 1048576 bytes";
        QTest::newRow("nested 100000 deep") << "{\"deviceName\":" + QByteArray(100000, '[') << WireFailure::NotJson << "(body)" << "not JSON";
    }

    void malformedRequestIsRefused()
    {
        QFETCH(QByteArray, json);
        QFETCH(WireFailure, failure);
        QFETCH(QString, path);
        QFETCH(QString, reason);
        const auto parsed = EnrollmentRequest::fromJson(json);
        const QString problem = refusalProblem(parsed, failure, path, reason);
        QVERIFY2(problem.isEmpty(), qPrintable(problem));
    }

    void everyProblemIsNamedAtOnce()
    {
        QByteArray json = withValue(sampleRequest().toJson(), "enrollmentCode", "nope");
        json = withValue(json, "localKey.keyId", 0);
        json = without(json, "version");
        const auto parsed = EnrollmentRequest::fromJson(json);
        QVERIFY(!parsed.ok());
        QStringList paths;
        for (const FieldError &e : parsed.errors)
            paths << e.path;
        QCOMPARE(paths, QStringList({"enrollmentCode", "localKey.keyId", "version"}));
    }

    void malformedResponseIsRefused_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<QString>("path");
        QTest::addColumn<QString>("reason");
        const QByteArray good = sampleResponse().toJson();
        QTest::newRow("deviceId short") << withValue(good, "deviceId", "dev_1") << "deviceId" << "at least 8";
        QTest::newRow("deviceId with space") << withValue(good, "deviceId", "dev 8fK2xQ9mLp3T") << "deviceId"
                                             << "A-Z, a-z, 0-9";
        QTest::newRow("deviceId 65") << withValue(good, "deviceId", QString(65, 'd')) << "deviceId" << "at most 64";
        QTest::newRow("storeId zero") << withValue(good, "storeId", 0) << "storeId" << "from 1";
        QTest::newRow("storeId text") << withValue(good, "storeId", "101") << "storeId" << "integer";
        QTest::newRow("deviceKey missing") << without(good, "deviceKey") << "deviceKey" << "is required";
        QTest::newRow("deviceKey.secret short") << withValue(good, "deviceKey.secret", "AAAA") << "deviceKey.secret"
                                                << "32 bytes";
        QTest::newRow("requestSecret missing") << without(good, "requestSecret") << "requestSecret" << "is required";
        QTest::newRow("requestSecret reuses the token key")
            << withValue(good, "requestSecret", QString::fromLatin1(kDeviceSecret.toBase64())) << "requestSecret"
            << "must differ from deviceKey.secret";
    }

    void malformedResponseIsRefused()
    {
        QFETCH(QByteArray, json);
        QFETCH(QString, path);
        QFETCH(QString, reason);
        const QString problem = refusalProblem(EnrollmentResponse::fromJson(json), WireFailure::Invalid, path, reason);
        QVERIFY2(problem.isEmpty(), qPrintable(problem));
    }

    void formatHelpersAgreeWithTheParser()
    {
        QVERIFY(isValidEnrollmentCode(u"0123-4567-89AB-CDEF"));
        QVERIFY(isValidEnrollmentCode(u"VWXY-Z000-HJKM-NPQR"));
        QVERIFY(!isValidEnrollmentCode(u"0123-4567-89AB-CDEU")); // U is not Crockford
        QVERIFY(!isValidEnrollmentCode(u"0123-4567-89AB-CDE"));
        QVERIFY(isValidDeviceId(u"dev_8fK2xQ9mLp3T"));
        QVERIFY(!isValidDeviceId(u"dev\n8fK2xQ9mLp3T"));
        QVERIFY(isValidSoftwareVersion(u"0.1.0"));
        QVERIFY(!isValidSoftwareVersion(u"-0.1.0"));
    }
};

QTEST_GUILESS_MAIN(EnrollmentWireTest)
#include "enrollmentwiretest.moc"
