// The kiosk's API client against the real poptap-delivery on loopback (in process), over
// the libcurl transport: enrollment, signed batches with idempotency, catalog with ETag,
// heartbeats, a kiosk clock that is off by an hour, a revoked device, a service that is down.
#include "deliveryserver.h"
#include "deviceregistry.h"
#include "kioskapiclient.h"
#include "kioskledger.h"
#include "servicetesting.h"

#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace poptap;
using namespace poptap::sync;
using Answer = KioskApiClient::Answer;

namespace {
constexpr std::int64_t kStoreId = servicetesting::kDemoStoreId;
const wire::DeviceKey kLocalKey{424242, QByteArray(32, 'l')};
} // namespace

class KioskApiClientTest : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    std::unique_ptr<delivery::DeliveryServer> m_server;
    std::unique_ptr<http::HttpTransport> m_transport;
    std::unique_ptr<KioskApiClient> m_client;
    qint64 m_kioskClockOffset = 0; // what is wrong with the kiosk's own clock
    std::uint32_t m_sequence = 0;

    QUrl serviceUrl() const { return QUrl(QStringLiteral("http://127.0.0.1:%1").arg(m_server->port())); }

    QString newCode()
    {
        QString error;
        const auto code = m_server->kioskLedger()->createEnrollmentCode(kStoreId, 24, &error);
        return code.value_or(error);
    }

    // Runs one call to completion on this thread's event loop.
    template <typename Call>
    void wait(Call call)
    {
        bool done = false;
        call([&done] { done = true; });
        QVERIFY(QTest::qWaitFor([&] { return done; }, 20000));
    }

    std::pair<Answer, std::optional<wire::EnrollmentResponse>> enroll(const QString &code, const wire::DeviceKey &key)
    {
        std::pair<Answer, std::optional<wire::EnrollmentResponse>> result;
        wait([&](auto finished) {
            m_client->enroll({code, key, QStringLiteral("entrance"), QStringLiteral("0.1.0")},
                             [&, finished](const Answer &a, const std::optional<wire::EnrollmentResponse> &r) {
                                 result = {a, r};
                                 finished();
                             });
        });
        return result;
    }

    EnrolledIdentity enrollAndUse()
    {
        const auto [answer, enrolled] = enroll(newCode(), kLocalKey);
        if (!enrolled)
            qFatal("enrollment failed: %s", qPrintable(answer.outcome.reason));
        EnrolledIdentity identity{enrolled->deviceId, enrolled->storeId, enrolled->requestSecret, serviceUrl().toString()};
        m_client->setIdentity(identity);
        m_enrolledKey = enrolled->deviceKey;
        return identity;
    }
    wire::DeviceKey m_enrolledKey;

    wire::RegistrationBatch batchOf(int n)
    {
        wire::RegistrationBatch batch;
        for (int i = 0; i < n; ++i) {
            TokenClaims c;
            c.keyId = m_enrolledKey.keyId;
            c.epoch = 1;
            c.sequence = ++m_sequence;
            c.kind = RegistrationKind::BrandInterest;
            c.target = std::uint32_t(1 + i % 40);
            c.issuedAt = QDateTime::fromSecsSinceEpoch(QDateTime::currentSecsSinceEpoch(), Qt::UTC);
            batch.intents.append({c.intentId(), RegistrationToken::issue(c, m_enrolledKey.secret), c.kind, c.target, c.issuedAt});
        }
        return batch;
    }

    std::pair<Answer, std::optional<wire::RegistrationBatchResponse>> upload(const QByteArray &key, const wire::RegistrationBatch &batch)
    {
        std::pair<Answer, std::optional<wire::RegistrationBatchResponse>> result;
        wait([&](auto finished) {
            m_client->uploadBatch(key, batch, [&, finished](const Answer &a, const std::optional<wire::RegistrationBatchResponse> &r) {
                result = {a, r};
                finished();
            });
        });
        return result;
    }

    Answer heartbeat()
    {
        Answer result;
        wire::Heartbeat beat;
        beat.version = QStringLiteral("0.1.0");
        wait([&](auto finished) {
            m_client->sendHeartbeat(beat, [&, finished](const Answer &a) {
                result = a;
                finished();
            });
        });
        return result;
    }

private Q_SLOTS:
    void init()
    {
        QCOMPARE(servicetesting::resetDatabase({}, m_dir.filePath(QStringLiteral("delivery.db"))), QString());
        delivery::ServiceConfig c;
        c.port = 0;
        c.dataDir = m_dir.path();
        c.lineChannelSecret = QStringLiteral("secret");
        m_server = std::make_unique<delivery::DeliveryServer>(c);
        QCOMPARE(m_server->start(), QString());
        QCOMPARE(servicetesting::addDemoStore(*m_server->database()), QString());
        m_transport = std::make_unique<http::HttpTransport>(http::TransportSettings{});
        m_kioskClockOffset = 0;
        m_client = std::make_unique<KioskApiClient>(*m_transport, serviceUrl(), [this] {
            return QDateTime::currentDateTimeUtc().addSecs(m_kioskClockOffset);
        });
    }

    void cleanup()
    {
        m_client.reset();
        m_transport.reset();
        m_server.reset();
    }

    void enrollmentHandsOverTheLocalKeyOnce()
    {
        const auto [answer, enrolled] = enroll(newCode(), kLocalKey);
        QCOMPARE(answer.status, 201);
        QVERIFY(enrolled);
        QCOMPARE(enrolled->storeId, std::uint32_t(kStoreId));
        QVERIFY(enrolled->deviceKey.keyId != kLocalKey.keyId);

        const auto [unknown, none] = enroll(QStringLiteral("AAAA-BBBB-CCCC-DDDD"), {5, QByteArray(32, 'x')});
        QCOMPARE(dispositionName(unknown.outcome.disposition), QStringLiteral("permanent"));
        QCOMPARE(unknown.error->error, QStringLiteral("enrollment_code_unknown"));
        QVERIFY(!none);
    }

    void signedBatchesAreIdempotent()
    {
        enrollAndUse();
        const wire::RegistrationBatch batch = batchOf(3);
        const QByteArray key = wire::newIdempotencyKey();
        const auto [first, results] = upload(key, batch);
        QCOMPARE(first.status, 200);
        QCOMPARE(dispositionName(first.outcome.disposition), QStringLiteral("done"));
        QCOMPARE(results->results.size(), 3);
        for (const auto &r : results->results)
            QCOMPARE(wire::statusName(r.status), QStringLiteral("accepted"));
        // The lost-answer case: the same batch under the same key gets the same answer.
        const auto [again, replayed] = upload(key, batch);
        QCOMPARE(again.status, 200);
        QCOMPARE(*replayed, *results);
        QCOMPARE(again.response.header("idempotent-replayed"), QByteArray("true"));
        // Another body under that key is a bug on the kiosk's side: never retried.
        const auto [misuse, none] = upload(key, batchOf(1));
        QCOMPARE(dispositionName(misuse.outcome.disposition), QStringLiteral("permanent"));
        QVERIFY(!none);
    }

    void catalogIsFetchedOnceThenNotModified()
    {
        enrollAndUse();
        QByteArray etag, body;
        wait([&](auto finished) {
            m_client->fetchCatalog({}, [&, finished](const Answer &a, const QByteArray &b, const QByteArray &e) {
                QCOMPARE(a.status, 200);
                body = b;
                etag = e;
                finished();
            });
        });
        QVERIFY(!etag.isEmpty());
        QVERIFY(body.contains("ソラマド"));
        wait([&](auto finished) {
            m_client->fetchCatalog(etag, [&, finished](const Answer &a, const QByteArray &b, const QByteArray &) {
                QCOMPARE(a.status, 304);
                QCOMPARE(dispositionName(a.outcome.disposition), QStringLiteral("done"));
                QVERIFY(b.isEmpty());
                finished();
            });
        });
    }

    void heartbeatsAreAccepted()
    {
        enrollAndUse();
        const Answer a = heartbeat();
        QCOMPARE(a.status, 204);
        QCOMPARE(dispositionName(a.outcome.disposition), QStringLiteral("done"));
    }

    void aKioskClockAnHourBehindIsCorrectedFromTheServiceDate()
    {
        enrollAndUse();
        m_kioskClockOffset = -3600;
        QSignalSpy learned(m_client.get(), &KioskApiClient::clockOffsetChanged);
        const Answer refused = heartbeat();
        QCOMPARE(refused.status, 401);
        QCOMPARE(refused.error->error, QStringLiteral("clock_skew"));
        QCOMPARE(dispositionName(refused.outcome.disposition), QStringLiteral("retry"));
        QCOMPARE(learned.size(), 1);
        QVERIFY(qAbs(m_client->clockOffsetSeconds() - 3600) < 10);
        QCOMPARE(heartbeat().status, 204); // signed with the service's time now
    }

    void aRevokedDeviceNeedsReenrollment()
    {
        const EnrolledIdentity identity = enrollAndUse();
        QCOMPARE(delivery::DeviceRegistry(*m_server->database()).revokeDevice(identity.deviceId, QDateTime::currentDateTimeUtc()),
                 QString());
        const Answer a = heartbeat();
        QCOMPARE(a.status, 403);
        QCOMPARE(dispositionName(a.outcome.disposition), QStringLiteral("reenrollment-needed"));
    }

    void aServiceThatIsDownMeansRetry()
    {
        enrollAndUse();
        m_server.reset();
        const Answer a = heartbeat();
        QCOMPARE(a.status, 0);
        QCOMPARE(dispositionName(a.outcome.disposition), QStringLiteral("retry"));
        QVERIFY2(a.outcome.reason.startsWith(QLatin1String("network:")), qPrintable(a.outcome.reason));
    }
};

QTEST_GUILESS_MAIN(KioskApiClientTest)
#include "kioskapiclienttest.moc"
