// The kiosk API over real HTTP: enrollment with a one-time code, then signed,
// replay-protected requests for the catalog, registration batches and heartbeats.
// Runs on SQLite, and on PostgreSQL when POPTAP_TEST_DATABASE names one.
#include "deliveryserver.h"
#include "deviceregistry.h"
#include "kioskledger.h"
#include "registrationtoken.h"
#include "servicedatabase.h"
#include "servicetesting.h"

#include "wire/enrollmentwire.h"
#include "wire/heartbeatwire.h"
#include "wire/registrationwire.h"
#include "wire/requestauth.h"

#include <QEventLoop>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

using namespace poptap;
using namespace poptap::delivery;

namespace {
constexpr std::int64_t kStoreId = servicetesting::kDemoStoreId;

using Reply = servicetesting::HttpReply;
} // namespace

class KioskApiTest : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    QString m_database = servicetesting::testDatabase();
    std::unique_ptr<DeliveryServer> m_server;
    QNetworkAccessManager m_network;
    wire::DeviceKey m_localKey{0x51a7e001, QByteArray(32, 'L')};
    std::optional<wire::EnrollmentResponse> m_enrolled;
    std::uint32_t m_sequence = 0;

    Reply send(const QByteArray &method, const QByteArray &path, const QByteArray &body = {},
               QList<std::pair<QByteArray, QByteArray>> headers = {}, bool sign = true)
    {
        if (sign && m_enrolled) {
            const wire::AuthHeaders auth = wire::RequestSigner(m_enrolled->deviceId, m_enrolled->requestSecret)
                                               .sign(method, path, body, QDateTime::currentSecsSinceEpoch());
            headers += auth.list();
        }
        return sendRaw(method, path, body, headers);
    }

    Reply sendRaw(const QByteArray &method, const QByteArray &path, const QByteArray &body,
                  const QList<std::pair<QByteArray, QByteArray>> &headers)
    {
        return servicetesting::httpRequest(
            m_network, method, QUrl(QStringLiteral("http://127.0.0.1:%1").arg(m_server->port()) + QString::fromLatin1(path)),
            body, headers);
    }

    QString newCode(int validHours = 24)
    {
        QString error;
        const auto code = m_server->kioskLedger()->createEnrollmentCode(kStoreId, validHours, &error);
        if (!code)
            qWarning() << error;
        return code.value_or(QString());
    }

    Reply enroll(const QString &code, const wire::DeviceKey &localKey)
    {
        wire::EnrollmentRequest request{code, localKey, QStringLiteral("entrance"), QStringLiteral("0.1.0")};
        return send("POST", "/v1/enrollments", request.toJson(), {}, false);
    }

    wire::RegistrationIntent intent(const wire::DeviceKey &key, int brand)
    {
        TokenClaims c;
        c.keyId = key.keyId;
        c.epoch = 1;
        c.sequence = ++m_sequence;
        c.kind = RegistrationKind::BrandInterest;
        c.target = std::uint32_t(brand);
        c.issuedAt = QDateTime::fromSecsSinceEpoch(QDateTime::currentSecsSinceEpoch(), Qt::UTC);
        return {c.intentId(), RegistrationToken::issue(c, key.secret), c.kind, c.target, c.issuedAt};
    }

    Reply postBatch(const QList<wire::RegistrationIntent> &intents, const QByteArray &key)
    {
        wire::RegistrationBatch batch;
        batch.intents = intents;
        return send("POST", "/v1/registrations", batch.toJson(), {{wire::kIdempotencyKeyHeader, key}});
    }

    qint64 count(const QString &sql)
    {
        QSqlQuery q(m_server->database()->handle());
        return q.exec(sql) && q.next() ? q.value(0).toLongLong() : -1;
    }

private Q_SLOTS:
    void init()
    {
        QCOMPARE(servicetesting::resetDatabase(m_database, m_dir.filePath(QStringLiteral("delivery.db"))), QString());
        ServiceConfig c;
        c.port = 0;
        c.dataDir = m_dir.path();
        c.database = m_database;
        c.lineChannelSecret = QStringLiteral("secret");
        m_server = std::make_unique<DeliveryServer>(c);
        QCOMPARE(m_server->start(), QString());
        QCOMPARE(servicetesting::addDemoStore(*m_server->database()), QString());
        m_enrolled.reset();
        const Reply enrolled = enroll(newCode(), m_localKey);
        QCOMPARE(enrolled.status, 201);
        m_enrolled = *wire::EnrollmentResponse::fromJson(enrolled.body).value;
    }
    void cleanup() { m_server.reset(); }

    void enrollmentHandsOutADeviceAndKeysOnce()
    {
        QCOMPARE(m_enrolled->storeId, std::uint32_t(kStoreId));
        QVERIFY(m_enrolled->deviceKey.keyId != m_localKey.keyId);
        QVERIFY(m_enrolled->requestSecret != m_enrolled->deviceKey.secret);
        // A second kiosk with its own code gets its own identity.
        const Reply other = enroll(newCode(), {0x51a7e002, QByteArray(32, 'M')});
        QCOMPARE(other.status, 201);
        QVERIFY(other.json.value(QLatin1String("deviceId")).toString() != m_enrolled->deviceId);
    }

    void enrollmentCodesAreOneTime()
    {
        const QString code = newCode();
        const Reply first = enroll(code, {0x51a7e003, QByteArray(32, 'N')});
        QCOMPARE(first.status, 201);
        const Reply lostAnswer = enroll(code, {0x51a7e003, QByteArray(32, 'N')}); // same kiosk retries
        QCOMPARE(lostAnswer.status, 201);
        QCOMPARE(lostAnswer.json, first.json);
        const Reply thief = enroll(code, {0x51a7e004, QByteArray(32, 'O')});
        QCOMPARE(thief.status, 410);
        QCOMPARE(thief.json.value(QLatin1String("error")).toString(), QStringLiteral("enrollment_code_used"));
        QCOMPARE(enroll(QStringLiteral("7KQ2-M9XD-4PRT-W3HF"), {0x51a7e005, QByteArray(32, 'P')}).status, 404);
        QCOMPARE(enroll(newCode(0), {0x51a7e006, QByteArray(32, 'Q')}).status, 410); // expired
        QCOMPARE(enroll(newCode(), m_localKey).json.value(QLatin1String("error")).toString(),
                 QStringLiteral("key_id_conflict"));
        QCOMPARE(count(QStringLiteral("SELECT count(*) FROM enrollment_code WHERE code_hash LIKE '%-%'")), 0); // hashed
    }

    void catalogHasAnETagAndAnswers304()
    {
        const Reply first = send("GET", "/v1/catalog");
        QCOMPARE(first.status, 200);
        QVERIFY(first.json.value(QLatin1String("brands")).toArray().size() >= 40);
        const QByteArray etag = first.headers.value("etag");
        QVERIFY(!etag.isEmpty());
        const Reply again = send("GET", "/v1/catalog", {}, {{"If-None-Match", etag}});
        QCOMPARE(again.status, 304);
        QCOMPARE(again.headers.value("etag"), etag);
    }

    void unsignedForgedAndReplayedRequestsAreRefused()
    {
        const Reply unsigned_ = send("GET", "/v1/catalog", {}, {}, false);
        QCOMPARE(unsigned_.status, 401);
        QCOMPARE(unsigned_.json.value(QLatin1String("error")).toString(), QStringLiteral("auth_missing"));
        QVERIFY(unsigned_.headers.contains("www-authenticate"));

        wire::AuthHeaders auth = wire::RequestSigner(m_enrolled->deviceId, m_enrolled->requestSecret)
                                     .sign("GET", "/v1/catalog", {}, QDateTime::currentSecsSinceEpoch());
        QCOMPARE(sendRaw("GET", "/v1/catalog", {}, auth.list()).status, 200);
        const Reply replay = sendRaw("GET", "/v1/catalog", {}, auth.list());
        QCOMPARE(replay.status, 401);
        QCOMPARE(replay.json.value(QLatin1String("error")).toString(), QStringLiteral("nonce_replayed"));

        wire::AuthHeaders forged = wire::RequestSigner(m_enrolled->deviceId, QByteArray(32, 'x'))
                                       .sign("GET", "/v1/catalog", {}, QDateTime::currentSecsSinceEpoch());
        QCOMPARE(sendRaw("GET", "/v1/catalog", {}, forged.list()).json.value(QLatin1String("error")).toString(),
                 QStringLiteral("bad_signature"));
        wire::AuthHeaders stale = wire::RequestSigner(m_enrolled->deviceId, m_enrolled->requestSecret)
                                      .sign("GET", "/v1/catalog", {}, QDateTime::currentSecsSinceEpoch() - 600);
        const Reply skewed = sendRaw("GET", "/v1/catalog", {}, stale.list());
        QCOMPARE(skewed.json.value(QLatin1String("error")).toString(), QStringLiteral("clock_skew"));
        QVERIFY(skewed.headers.contains("date"));
    }

    void revokedDevicesAreRefusedAtOnce()
    {
        QCOMPARE(send("GET", "/v1/catalog").status, 200);
        DeviceRegistry(*m_server->database()).revokeDevice(m_enrolled->deviceId, QDateTime::currentDateTimeUtc());
        const Reply refused = send("GET", "/v1/catalog");
        QCOMPARE(refused.status, 403);
        QCOMPARE(refused.json.value(QLatin1String("error")).toString(), QStringLiteral("device_revoked"));
    }

    void registrationBatchesAreIdempotent()
    {
        const auto a = intent(m_localKey, 7);                        // issued before enrollment
        const auto b = intent(m_enrolled->deviceKey, 3);             // after
        const Reply first = postBatch({a, b}, "0b6c8e3e-8f8c-4b6f-9f5e-2f1f0c2d7a11");
        QCOMPARE(first.status, 200);
        const QJsonArray results = first.json.value(QLatin1String("results")).toArray();
        QCOMPARE(results.size(), 2);
        for (const QJsonValue &r : results)
            QCOMPARE(r.toObject().value(QLatin1String("status")).toString(), QStringLiteral("accepted"));

        const Reply repeat = postBatch({a, b}, "0b6c8e3e-8f8c-4b6f-9f5e-2f1f0c2d7a11");
        QCOMPARE(repeat.status, 200);
        QCOMPARE(repeat.body, first.body);
        QCOMPARE(repeat.headers.value("idempotent-replayed"), QByteArray("true"));

        const Reply reused = postBatch({a}, "0b6c8e3e-8f8c-4b6f-9f5e-2f1f0c2d7a11");
        QCOMPARE(reused.status, 422);
        QCOMPARE(reused.json.value(QLatin1String("error")).toString(), QStringLiteral("idempotency_key_reused"));

        const Reply again = postBatch({a, intent(m_localKey, 9)}, "1c6c8e3e-8f8c-4b6f-9f5e-2f1f0c2d7a12");
        const QJsonArray second = again.json.value(QLatin1String("results")).toArray();
        QCOMPARE(second.at(0).toObject().value(QLatin1String("status")).toString(), QStringLiteral("duplicate"));
        QCOMPARE(second.at(1).toObject().value(QLatin1String("status")).toString(), QStringLiteral("accepted"));
        QCOMPARE(count(QStringLiteral("SELECT count(*) FROM registration")), 3); // never stored twice
    }

    void foreignOrForgedTokensAreRejectedWithAReason()
    {
        const auto foreign = intent({0x77777777, QByteArray(32, 'F')}, 7);
        auto tampered = intent(m_enrolled->deviceKey, 7);
        tampered.target = 8; // claims no longer match the token
        const Reply r = postBatch({foreign, tampered}, "2c6c8e3e-8f8c-4b6f-9f5e-2f1f0c2d7a13");
        QCOMPARE(r.status, 200);
        const QJsonArray results = r.json.value(QLatin1String("results")).toArray();
        QCOMPARE(results.at(0).toObject().value(QLatin1String("reason")).toString(), QStringLiteral("unknown_key"));
        QCOMPARE(results.at(1).toObject().value(QLatin1String("status")).toString(), QStringLiteral("rejected"));
        QCOMPARE(count(QStringLiteral("SELECT count(*) FROM registration")), 0);
    }

    void badBatchesGetClearErrors()
    {
        QList<wire::RegistrationIntent> many;
        for (int i = 0; i < 501; ++i)
            many.append(intent(m_enrolled->deviceKey, 1));
        wire::RegistrationBatch batch;
        batch.intents = many;
        QCOMPARE(send("POST", "/v1/registrations", batch.toJson(), {{wire::kIdempotencyKeyHeader, "3c6c8e3e-8f8c-4b6f-9f5e-2f1f0c2d7a14"}}).status,
                 413);
        QCOMPARE(send("POST", "/v1/registrations", "{\"intents\": 5}", {{wire::kIdempotencyKeyHeader, "4c6c8e3e-8f8c-4b6f-9f5e-2f1f0c2d7a15"}}).status,
                 400);
        QCOMPARE(postBatch({intent(m_enrolled->deviceKey, 1)}, "not-a-uuid").status, 400);
    }

    void heartbeatsAreStored()
    {
        wire::Heartbeat hb;
        hb.version = QStringLiteral("0.1.0");
        hb.uptimeSeconds = 3600;
        hb.queueDepth = 2;
        hb.oldestPendingSeconds = 120;
        QCOMPARE(send("POST", "/v1/heartbeats", hb.toJson()).status, 204);
        QCOMPARE(count(QStringLiteral("SELECT count(*) FROM device_heartbeat")), 1);
        QCOMPARE(send("POST", "/v1/heartbeats", "{\"version\": 3}").status, 400);
    }
};

QTEST_GUILESS_MAIN(KioskApiTest)
#include "kioskapitest.moc"
