// What every message shares: times, base64, the body checks, the error body and the catalog's ETag.
#include "wire/apierror.h"
#include "wire/catalogwire.h"
#include "wire/wirecommon.h"

#include <QTest>
#include <QTimeZone>

using namespace poptap::wire;

class WireCommonTest : public QObject
{
    Q_OBJECT

private slots:
    void timestampsAreStrictRfc3339Utc_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<bool>("valid");
        QTest::newRow("plain") << "2026-11-22T09:30:00Z" << true;
        QTest::newRow("earliest") << "2000-01-01T00:00:00Z" << true;
        QTest::newRow("latest, the token's u32") << "2106-02-07T06:28:15Z" << true;
        QTest::newRow("leap day") << "2028-02-29T23:59:59Z" << true;
        QTest::newRow("one past latest") << "2106-02-07T06:28:16Z" << false;
        QTest::newRow("before 2000") << "1999-12-31T23:59:59Z" << false;
        QTest::newRow("offset") << "2026-11-22T09:30:00+00:00" << false;
        QTest::newRow("fraction") << "2026-11-22T09:30:00.0Z" << false;
        QTest::newRow("lower-case t") << "2026-11-22t09:30:00Z" << false;
        QTest::newRow("no zone") << "2026-11-22T09:30:00" << false;
        QTest::newRow("not a leap year") << "2027-02-29T00:00:00Z" << false;
        QTest::newRow("month 13") << "2026-13-01T00:00:00Z" << false;
        QTest::newRow("hour 24") << "2026-11-22T24:00:00Z" << false;
        QTest::newRow("leap second") << "2016-12-31T23:59:60Z" << false;
        QTest::newRow("full-width digits") << QString::fromUtf8("２026-11-22T09:30:00Z") << false;
        QTest::newRow("empty") << "" << false;
    }

    void timestampsAreStrictRfc3339Utc()
    {
        QFETCH(QString, text);
        QFETCH(bool, valid);
        const std::optional<QDateTime> t = parseTimestamp(text);
        QCOMPARE(t.has_value(), valid);
        if (valid) {
            QCOMPARE(t->timeSpec(), Qt::UTC);
            QCOMPARE(formatTimestamp(*t), text);
        }
    }

    void localTimesAreWrittenAsUtc()
    {
        const QDateTime tokyo(QDate(2026, 11, 22), QTime(18, 30), QTimeZone(9 * 3600));
        QCOMPARE(formatTimestamp(tokyo), QStringLiteral("2026-11-22T09:30:00Z"));
    }

    void base64IsCanonicalOnly()
    {
        const QByteArray bytes = QByteArray::fromHex("b1d5448c9ed526d6116d7f849c74461be1967ff85a0aca4cfa2e1ba8d88e504a");
        QCOMPARE(decodeBase64(encodeBase64(bytes)), bytes);
        QCOMPARE(decodeBase64Url(encodeBase64Url(bytes)), bytes);
        QCOMPARE(decodeBase64("sdVEjJ7VJtYRbX+EnHRGG+GWf/haCspM+i4bqNiOUEo="), bytes);
        QVERIFY(!decodeBase64("sdVEjJ7VJtYRbX+EnHRGG+GWf/haCspM+i4bqNiOUEp=")); // unused bits set
        QVERIFY(!decodeBase64("sdVEjJ7VJtYRbX+EnHRGG+GWf/haCspM+i4bqNiOUEo"));  // padding missing
        QVERIFY(!decodeBase64("sdVEjJ7VJtYRbX-EnHRGG-GWf_haCspM-i4bqNiOUEo="));  // URL alphabet
        QVERIFY(!decodeBase64("sdVE jJ7VJtYRbX+EnHRGG+GWf/haCspM+i4bqNiOUEo=")); // whitespace
        QVERIFY(!decodeBase64Url("sdVEjJ7VJtYRbX-EnHRGG-GWf_haCspM-i4bqNiOUEo=")); // padding in URL form
        QVERIFY(!decodeBase64Url("sdVEjJ7VJtYRbX+EnHRGG+GWf/haCspM+i4bqNiOUEo"));
        QCOMPARE(decodeBase64(""), QByteArray());
    }

    void apiErrorRoundTrips()
    {
        const ApiError e = ApiError::make(errorcode::kClockSkew, QStringLiteral("X-PopTap-Timestamp is 301 s behind"));
        QCOMPARE(e.httpStatus, 401);
        const auto parsed = ApiError::fromJson(e.toJson(), 401);
        QVERIFY2(parsed.ok(), qPrintable(parsed.errorText()));
        QCOMPARE(*parsed.value, e);
        QCOMPARE(e.toJson(), QByteArray(R"({"error":"clock_skew","message":"X-PopTap-Timestamp is 301 s behind"})"));
    }

    void everyCodeHasItsStatus()
    {
        const QList<std::pair<QString, int>> codes = definedErrorCodes();
        QCOMPARE(codes.size(), 23);
        for (const auto &[code, status] : codes) {
            QVERIFY(status >= 400 && status < 600);
            QCOMPARE(httpStatusFor(code), status);
            QCOMPARE(ApiError::make(code.toLatin1().constData(), {}).message, code); // never an empty message
        }
        QCOMPARE(httpStatusFor(u"device_revoked"), 403);
        QCOMPARE(httpStatusFor(u"idempotency_key_reused"), 422);
        QCOMPARE(httpStatusFor(u"headers_too_large"), 431);
        QCOMPARE(httpStatusFor(u"a_code_from_v2"), 0);
    }

    void parseFailuresMapToStatuses()
    {
        const QList<FieldError> errors{{QStringLiteral("intents"), QStringLiteral("has 501 items")}};
        QCOMPARE(ApiError::fromParseFailure(WireFailure::TooManyItems, errors).httpStatus, 413);
        QCOMPARE(ApiError::fromParseFailure(WireFailure::TooManyItems, errors).error, QStringLiteral("too_many_items"));
        QCOMPARE(ApiError::fromParseFailure(WireFailure::TooLarge, errors).error, QStringLiteral("payload_too_large"));
        for (const WireFailure f : {WireFailure::NotUtf8, WireFailure::NotJson, WireFailure::Invalid}) {
            const ApiError e = ApiError::fromParseFailure(f, errors);
            QCOMPARE(e.httpStatus, 400);
            QCOMPARE(e.error, QStringLiteral("malformed_request"));
            QCOMPARE(e.message, QStringLiteral("intents: has 501 items"));
        }
        QList<FieldError> many;
        for (int i = 0; i < 500; ++i)
            many << FieldError{QStringLiteral("intents[%1].kind").arg(i), QString(300, 'x')};
        const ApiError bounded = ApiError::fromParseFailure(WireFailure::Invalid, many);
        QVERIFY(bounded.message.size() <= ApiError::kMaxMessageLength);
        QVERIFY(ApiError::fromJson(bounded.toJson()).ok()); // what the service sends, the kiosk reads
    }

    void errorBodiesFromNewerServersAreRead()
    {
        const auto parsed = ApiError::fromJson(R"({"error":"quota_exceeded","message":"Try tomorrow","hint":"x"})", 429);
        QVERIFY2(parsed.ok(), qPrintable(parsed.errorText()));
        QCOMPARE(parsed.value->error, QStringLiteral("quota_exceeded"));
        QCOMPARE(parsed.value->httpStatus, 429);
    }

    void malformedErrorBodiesAreRefused_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<QString>("path");
        QTest::newRow("code capitalised") << QByteArray(R"({"error":"Bad_Signature","message":"x"})") << "error";
        QTest::newRow("code with dash") << QByteArray(R"({"error":"bad-signature","message":"x"})") << "error";
        QTest::newRow("code missing") << QByteArray(R"({"message":"x"})") << "error";
        QTest::newRow("message missing") << QByteArray(R"({"error":"bad_signature"})") << "message";
        QTest::newRow("message empty") << QByteArray(R"({"error":"bad_signature","message":""})") << "message";
        QTest::newRow("message a number") << QByteArray(R"({"error":"bad_signature","message":401})") << "message";
        QTest::newRow("message with escape") << QByteArray("{\"error\":\"x\",\"message\":\"\\u001b[2J\"}") << "message";
        QTest::newRow("HTML from a proxy") << QByteArray("<html><body>502 Bad Gateway</body></html>") << "(body)";
    }

    void malformedErrorBodiesAreRefused()
    {
        QFETCH(QByteArray, json);
        QFETCH(QString, path);
        const auto parsed = ApiError::fromJson(json);
        QVERIFY(!parsed.ok());
        QCOMPARE(parsed.errors.value(0).path, path);
    }

    void catalogETagIsStrongAndStable()
    {
        const QByteArray etag = catalogETag("{\"schemaVersion\":1}");
        QCOMPARE(etag.size(), 45);
        QVERIFY(etag.startsWith('"') && etag.endsWith('"'));
        QCOMPARE(catalogETag("{\"schemaVersion\":1}"), etag);
        QVERIFY(catalogETag("{\"schemaVersion\":2}") != etag);
        QCOMPARE(catalogETag(""), QByteArray("\"47DEQpj8HBSa-_TImW-5JCeuQeRkm5NMpJWZG3hSuFU\""));
    }

    void ifNoneMatch_data()
    {
        QTest::addColumn<QByteArray>("header");
        QTest::addColumn<bool>("hits");
        const QByteArray etag = "\"KpdRbDVLaISM29j1SiJqClWyHtE44getbFy7nACqWuo\"";
        QTest::newRow("same") << etag << true;
        QTest::newRow("weak form") << "W/" + etag << true;
        QTest::newRow("in a list") << "\"old\", " + etag + " ,\"older\"" << true;
        QTest::newRow("star") << QByteArray(" * ") << true;
        QTest::newRow("other") << QByteArray("\"KpdRbDVLaISM29j1SiJqClWyHtE44getbFy7nACqWuX\"") << false;
        QTest::newRow("unquoted") << etag.mid(1, etag.size() - 2) << false;
        QTest::newRow("empty") << QByteArray() << false;
        QTest::newRow("empty tag") << QByteArray("\"\"") << false;
        QTest::newRow("garbage") << QByteArray("\"\"\"\",,,W/W/\"") << false;
        QTest::newRow("control character") << QByteArray("\"Kpd\x01\"") << false;
    }

    void ifNoneMatch()
    {
        QFETCH(QByteArray, header);
        QFETCH(bool, hits);
        QCOMPARE(ifNoneMatchHits(header, "\"KpdRbDVLaISM29j1SiJqClWyHtE44getbFy7nACqWuo\""), hits);
    }
};

QTEST_GUILESS_MAIN(WireCommonTest)
#include "wirecommontest.moc"
