// The API document and the C++ mapping must not drift apart: every example in kiosk-api.yaml
// (converted to JSON at build time) parses with the C++ parser of its schema, the documented
// tables equal the code's, the signature vectors verify, and the examples tell one consistent
// story (the registration examples' tokens verify with the enrollment example's keys and name
// targets of the catalog example).
#include "catalog.h"
#include "wire/apierror.h"
#include "wire/enrollmentwire.h"
#include "wire/heartbeatwire.h"
#include "wire/registrationwire.h"
#include "wire/requestauth.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSet>
#include <QTest>

using namespace poptap;
using namespace poptap::wire;

namespace {

// One example with where it stands in the document.
struct Example {
    QString operation; // "POST /v1/registrations"
    QString place;     // "request" or the status code
    QString schema;    // component schema name
    QString name;
    QJsonValue value;
    QString where() const { return QStringLiteral("%1 %2 example %3").arg(operation, place, name); }
};

QByteArray compact(const QJsonValue &v)
{
    return v.isObject() ? QJsonDocument(v.toObject()).toJson(QJsonDocument::Compact)
                        : QJsonDocument(v.toArray()).toJson(QJsonDocument::Compact);
}

// The errors of parsing `json` with the C++ parser of `schema`; nullopt when there is none.
std::optional<QString> parseWithCpp(const QString &schema, const QByteArray &json)
{
    const auto errors = [](const auto &result) { return result.ok() ? QString() : result.errorText(10); };
    if (schema == u"EnrollmentRequest") return errors(EnrollmentRequest::fromJson(json));
    if (schema == u"EnrollmentResponse") return errors(EnrollmentResponse::fromJson(json));
    if (schema == u"RegistrationBatch") return errors(RegistrationBatch::fromJson(json));
    if (schema == u"RegistrationBatchResponse") return errors(RegistrationBatchResponse::fromJson(json));
    if (schema == u"Heartbeat") return errors(Heartbeat::fromJson(json));
    if (schema == u"Error") return errors(ApiError::fromJson(json));
    if (schema == u"Catalog") return parseCatalogJson(json).errors.join(QStringLiteral("; "));
    return std::nullopt;
}

} // namespace

class OpenApiExamplesTest : public QObject
{
    Q_OBJECT

    QJsonObject m_doc;
    QList<Example> m_examples;
    QStringList m_missingExamples;

    QJsonValue deref(QJsonValue node) const
    {
        while (node.isObject() && node.toObject().contains(QLatin1String("$ref"))) {
            const QString ref = node.toObject().value(QLatin1String("$ref")).toString();
            QJsonValue target = m_doc;
            for (const QString &part : ref.mid(2).split(QLatin1Char('/')))
                target = target.toObject().value(part);
            node = target;
        }
        return node;
    }

    void collect(const QString &operation, const QString &place, const QJsonObject &content)
    {
        const QJsonObject media = content.value(QLatin1String("application/json")).toObject();
        const QString ref = media.value(QLatin1String("schema")).toObject().value(QLatin1String("$ref")).toString();
        const QString schema = ref.section(QLatin1Char('/'), -1);
        const QJsonObject examples = media.value(QLatin1String("examples")).toObject();
        if (examples.isEmpty())
            m_missingExamples << QStringLiteral("%1 %2").arg(operation, place);
        for (auto it = examples.begin(); it != examples.end(); ++it) {
            const QJsonValue value = deref(it.value()).toObject().value(QLatin1String("value"));
            m_examples << Example{operation, place, schema, it.key(), value};
        }
    }

    QList<Example> examplesOf(const QString &schema) const
    {
        QList<Example> found;
        for (const Example &e : m_examples) {
            if (e.schema == schema)
                found << e;
        }
        return found;
    }

    Example example(const QString &operation, const QString &place, const QString &name) const
    {
        for (const Example &e : m_examples) {
            if (e.operation == operation && e.place == place && e.name == name)
                return e;
        }
        return {};
    }

private slots:
    void initTestCase()
    {
        QFile file(QStringLiteral(WIRE_API_JSON));
        QVERIFY2(file.open(QIODevice::ReadOnly), qPrintable(file.fileName()));
        QJsonParseError error;
        m_doc = QJsonDocument::fromJson(file.readAll(), &error).object();
        QCOMPARE(error.error, QJsonParseError::NoError);
        QCOMPARE(m_doc.value(QLatin1String("openapi")).toString(), QStringLiteral("3.0.3"));

        const QJsonObject paths = m_doc.value(QLatin1String("paths")).toObject();
        for (auto p = paths.begin(); p != paths.end(); ++p) {
            const QJsonObject item = p.value().toObject();
            for (auto m = item.begin(); m != item.end(); ++m) {
                const QString operation = m.key().toUpper() + QLatin1Char(' ') + p.key();
                const QJsonObject op = m.value().toObject();
                if (op.contains(QLatin1String("requestBody")))
                    collect(operation, QStringLiteral("request"),
                            deref(op.value(QLatin1String("requestBody"))).toObject().value(QLatin1String("content")).toObject());
                const QJsonObject responses = op.value(QLatin1String("responses")).toObject();
                for (auto r = responses.begin(); r != responses.end(); ++r) {
                    const QJsonObject response = deref(r.value()).toObject();
                    if (response.contains(QLatin1String("content")))
                        collect(operation, r.key(), response.value(QLatin1String("content")).toObject());
                }
            }
        }
    }

    void documentHasTheFourOperations()
    {
        const QJsonObject paths = m_doc.value(QLatin1String("paths")).toObject();
        QCOMPARE(paths.keys(), QStringList({"/v1/catalog", "/v1/enrollments", "/v1/heartbeats", "/v1/registrations"}));
        QVERIFY(paths["/v1/enrollments"].toObject()["post"].toObject()["security"].toArray().isEmpty());
        for (const char *authenticated : {"/v1/catalog", "/v1/heartbeats", "/v1/registrations"}) {
            const QJsonObject op = paths[QLatin1String(authenticated)].toObject().begin().value().toObject();
            QCOMPARE(op["security"].toArray().at(0).toObject().keys(), QStringList{"DeviceSignature"});
            QVERIFY2(op["responses"].toObject().contains("401") && op["responses"].toObject().contains("403"),
                     authenticated);
        }
    }

    void everyBodyHasExamples()
    {
        QVERIFY2(m_missingExamples.isEmpty(), qPrintable(m_missingExamples.join(", ")));
        QVERIFY(m_examples.size() >= 40);
    }

    void everyExampleParsesWithTheCppParser()
    {
        QStringList failures;
        for (const Example &e : std::as_const(m_examples)) {
            const std::optional<QString> errors = parseWithCpp(e.schema, compact(e.value));
            if (!errors)
                failures << QStringLiteral("%1: no C++ parser for schema '%2'").arg(e.where(), e.schema);
            else if (!errors->isEmpty())
                failures << QStringLiteral("%1: %2").arg(e.where(), *errors);
        }
        QVERIFY2(failures.isEmpty(), qPrintable(failures.join(QLatin1Char('\n'))));
    }

    void parsedExamplesReserialiseToThemselves()
    {
        // Catches a member the document shows but the C++ type drops (e.g. a renamed field).
        QStringList failures;
        const auto check = [&](const QString &schema, auto parse) {
            for (const Example &e : examplesOf(schema)) {
                const auto parsed = parse(compact(e.value));
                if (!parsed.ok())
                    failures << e.where() + QStringLiteral(": does not parse");
                else if (QJsonDocument::fromJson(parsed.value->toJson()).object() != e.value.toObject())
                    failures << e.where() + QStringLiteral(": differs once written back");
            }
        };
        check(QStringLiteral("EnrollmentRequest"), &EnrollmentRequest::fromJson);
        check(QStringLiteral("EnrollmentResponse"), &EnrollmentResponse::fromJson);
        check(QStringLiteral("RegistrationBatch"), &RegistrationBatch::fromJson);
        check(QStringLiteral("RegistrationBatchResponse"), &RegistrationBatchResponse::fromJson);
        check(QStringLiteral("Heartbeat"), &Heartbeat::fromJson);
        check(QStringLiteral("Error"), [](const QByteArray &json) { return ApiError::fromJson(json); });
        QVERIFY2(failures.isEmpty(), qPrintable(failures.join(QLatin1Char('\n'))));
    }

    void errorExamplesCarryTheirStatus()
    {
        const QList<Example> errors = examplesOf(QStringLiteral("Error"));
        QVERIFY(errors.size() >= 20);
        QSet<QString> shown;
        for (const Example &e : errors) {
            const QString code = e.value.toObject().value(QLatin1String("error")).toString();
            QVERIFY2(httpStatusFor(code) == e.place.toInt(),
                     qPrintable(QStringLiteral("%1: %2 is answered %3, not %4")
                                    .arg(e.where(), code).arg(httpStatusFor(code)).arg(e.place)));
            shown.insert(code);
        }
        // Every code a v1 service can send appears in at least one example.
        for (const auto &[code, status] : definedErrorCodes()) {
            if (code != u"not_found" && code != u"method_not_allowed") // not tied to one operation
                QVERIFY2(shown.contains(code), qPrintable(code));
        }
    }

    void documentedErrorCodesAreTheCodes()
    {
        QMap<QString, int> documented;
        const QJsonObject table = m_doc.value(QLatin1String("x-poptap-error-codes")).toObject();
        for (auto it = table.begin(); it != table.end(); ++it)
            documented.insert(it.key(), it.value().toInt());
        QMap<QString, int> implemented;
        for (const auto &[code, status] : definedErrorCodes())
            implemented.insert(code, status);
        QCOMPARE(documented, implemented);
    }

    void documentedLimitsAreTheLimits()
    {
        const QJsonObject limits = m_doc.value(QLatin1String("x-poptap-limits")).toObject();
        QCOMPARE(limits["maxBodyBytes"].toInteger(), kMaxBodyBytes);
        QCOMPARE(limits["maxHeaderBytes"].toInteger(), kMaxHeaderBytes);
        QCOMPARE(limits["maxHeaderFields"].toInt(), kMaxHeaderFields);
        QCOMPARE(limits["maxCatalogBytes"].toInteger(), 8 * 1024 * 1024);
        QCOMPARE(limits["maxIntentsPerBatch"].toInt(), RegistrationBatch::kMaxIntents);
        QCOMPARE(limits["maxRecentErrors"].toInt(), Heartbeat::kMaxRecentErrors);
        QCOMPARE(limits["maxCounters"].toInt(), Heartbeat::kMaxCounters);
        QCOMPARE(limits["allowedClockSkewSeconds"].toInt(), kAllowedClockSkewSeconds);

        const QJsonObject schemas = m_doc["components"].toObject()["schemas"].toObject();
        const QJsonObject intents = schemas["RegistrationBatch"].toObject()["properties"].toObject()["intents"].toObject();
        QCOMPARE(intents["maxItems"].toInt(), RegistrationBatch::kMaxIntents);
        QCOMPARE(schemas["Secret"].toObject()["maxLength"].toInt(), (kSecretBytes + 2) / 3 * 4);
        QCOMPARE(schemas["Count"].toObject()["maximum"].toInteger(), kMaxSafeInteger);
    }

    void signatureVectorsVerify()
    {
        const QJsonArray vectors = m_doc.value(QLatin1String("x-poptap-signature-examples")).toArray();
        QVERIFY(vectors.size() >= 2);
        for (const QJsonValue &v : vectors) {
            const QJsonObject o = v.toObject();
            const std::optional<QByteArray> decodedSecret = decodeBase64(o["requestSecret"].toString().toLatin1());
            QVERIFY(decodedSecret && decodedSecret->size() == kSecretBytes);
            const QByteArray secret = *decodedSecret;
            const QByteArray method = o["method"].toString().toLatin1();
            const QByteArray path = o["pathWithQuery"].toString().toLatin1();
            const QByteArray timestamp = o["timestamp"].toString().toLatin1();
            const QByteArray nonce = o["nonce"].toString().toLatin1();
            const QByteArray body = o["body"].toString().toUtf8();
            QCOMPARE(canonicalRequest(method, path, timestamp, nonce, body), o["canonical"].toString().toLatin1());
            const AuthHeaders headers = RequestSigner(o["deviceId"].toString(), secret)
                                            .sign(method, path, body, timestamp.toLongLong(), nonce);
            QCOMPARE(headers.signature, o["signature"].toString().toLatin1());
            QCOMPARE(headers.timestamp, timestamp);

            QSet<QByteArray> seen;
            const RequestVerifier verifier([&seen](const QString &, const QByteArray &n, qint64) {
                const bool fresh = !seen.contains(n);
                seen.insert(n);
                return fresh;
            });
            const ReceivedRequest received = ReceivedRequest::from(method, path, body, headers);
            QVERIFY(verifier.verify(received, secret, timestamp.toLongLong() + 60).ok());
        }
    }

    void examplesTellOneStory()
    {
        // Keys from the enrollment example: the local key from the request, the device key from the answer.
        const auto enrollRequest = EnrollmentRequest::fromJson(
            compact(example(QStringLiteral("POST /v1/enrollments"), QStringLiteral("request"), QStringLiteral("enroll")).value));
        const auto enrollResponse = EnrollmentResponse::fromJson(
            compact(example(QStringLiteral("POST /v1/enrollments"), QStringLiteral("201"), QStringLiteral("enroll")).value));
        QVERIFY(enrollRequest.ok() && enrollResponse.ok());
        QVERIFY(enrollRequest.value->localKey.keyId != enrollResponse.value->deviceKey.keyId);
        const QList<DeviceKey> keys{enrollRequest.value->localKey, enrollResponse.value->deviceKey};
        const RegistrationToken::SecretLookup deviceKeys = [&keys](std::uint32_t keyId) -> std::optional<QByteArray> {
            for (const DeviceKey &k : keys) {
                if (k.keyId == keyId)
                    return k.secret;
            }
            return std::nullopt;
        };
        QCOMPARE(QString::fromLatin1(
                     m_doc["x-poptap-signature-examples"].toArray()[0].toObject()["requestSecret"].toString().toLatin1()),
                 QString::fromLatin1(encodeBase64(enrollResponse.value->requestSecret)));

        // Targets the catalog example knows, by kind.
        const CatalogParse catalog = parseCatalogJson(
            compact(example(QStringLiteral("GET /v1/catalog"), QStringLiteral("200"), QStringLiteral("smallStore")).value));
        QVERIFY2(catalog.errors.isEmpty(), qPrintable(catalog.errors.join("; ")));
        const QJsonObject catalogJson =
            example(QStringLiteral("GET /v1/catalog"), QStringLiteral("200"), QStringLiteral("smallStore")).value.toObject();
        QSet<qint64> variants, pops;
        for (const QJsonValue &p : catalogJson["products"].toArray()) {
            for (const QJsonValue &v : p.toObject()["variants"].toArray())
                variants.insert(v.toObject()["id"].toInteger());
        }
        for (const QJsonValue &p : catalogJson["pops"].toArray())
            pops.insert(p.toObject()["id"].toInteger());

        // Each request example is answered by the response example of the same name, and each
        // result is what verifying that intent's token gives.
        int pairs = 0;
        for (const Example &request : examplesOf(QStringLiteral("RegistrationBatch"))) {
            const auto parsedBatch = RegistrationBatch::fromJson(compact(request.value));
            QVERIFY2(parsedBatch.ok(), qPrintable(request.where()));
            const RegistrationBatch &batch = *parsedBatch.value;
            const Example answer = example(request.operation, QStringLiteral("200"), request.name);
            const auto parsedResponse = RegistrationBatchResponse::fromJson(compact(answer.value));
            QVERIFY2(parsedResponse.ok(), qPrintable(request.where() + ": no valid 200 example of that name"));
            const RegistrationBatchResponse &response = *parsedResponse.value;
            QVERIFY2(response.mismatchesWith(batch).isEmpty(), qPrintable(request.where()));
            for (qsizetype i = 0; i < batch.intents.size(); ++i) {
                const RegistrationIntent &intent = batch.intents[i];
                const IntentVerdict verdict = verifyIntentToken(intent, deviceKeys);
                const RegistrationResult &result = response.results[i];
                const QString where = QStringLiteral("%1 intents[%2]").arg(request.where()).arg(i);
                if (result.status == RegistrationStatus::Rejected) {
                    QCOMPARE(verdict.rejection, result.reason);
                    continue;
                }
                QVERIFY2(verdict.ok(), qPrintable(where + ": " + verdict.rejection));
                switch (intent.kind) {
                case RegistrationKind::BrandInterest:
                    QVERIFY2(catalog.catalog.brand(intent.target), qPrintable(where));
                    break;
                case RegistrationKind::Restock: QVERIFY2(variants.contains(intent.target), qPrintable(where)); break;
                case RegistrationKind::Pop: QVERIFY2(pops.contains(intent.target), qPrintable(where)); break;
                }
            }
            ++pairs;
        }
        QVERIFY(pairs >= 2);
    }
};

QTEST_GUILESS_MAIN(OpenApiExamplesTest)
#include "openapiexamplestest.moc"
