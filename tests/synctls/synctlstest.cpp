// The kiosk's sync engine against the real delivery service behind TLS with its own CA: it
// syncs when the CA (and the right pin) is configured, and when not, it refuses to talk, says so
// in its status and keeps every intent for later.
#include "syncrig.h"
#include "testpki.h"
#include "tlsforwarder.h"
#include "transportwait.h"

#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using namespace poptap;
using namespace poptap::sync;
using synctesting::KioskUnderTest;
using synctesting::ServiceUnderTest;

namespace {

// A helper's failed check only leaves the helper; this leaves the test function too.
#define CHECKED(call) \
    do { \
        call; \
        if (QTest::currentTestFailed()) \
            return; \
    } while (false)

constexpr int kIntents = 25;
constexpr int kWaitMs = 30000;

QSet<QString> toSet(const QStringList &ids)
{
    return {ids.cbegin(), ids.cend()};
}

QString describe(const SyncStatus &status)
{
    return stateName(status.state) + QStringLiteral(": ") + status.detail;
}

} // namespace

class SyncTlsTest : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_pkiDir;
    TestPki m_pki;
    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<ServiceUnderTest> m_service;
    std::unique_ptr<KioskUnderTest> m_kiosk;
    std::unique_ptr<TlsForwarder> m_forwarder;
    QString m_code;
    QStringList m_intents; // committed before each test

    http::TlsSettings trusting(const QByteArray &pin = {}) const
    {
        http::TlsSettings tls;
        tls.caBundle = m_pki.caCertificate;
        tls.pinnedPublicKey = pin;
        return tls;
    }

    QUrl serviceUrl() const
    {
        return QUrl(QStringLiteral("https://localhost:%1").arg(m_forwarder->port()));
    }

    SyncSettings settingsWith(const http::TlsSettings &tls) const
    {
        SyncSettings settings = m_kiosk->settingsFor(serviceUrl(), m_code);
        settings.transport.tls = tls;
        return settings;
    }

    // What the transport itself says about this TLS configuration against the forwarder.
    std::optional<http::HttpResponse> probe(const http::TlsSettings &tls) const
    {
        http::TransportSettings settings;
        settings.tls = tls;
        http::HttpTransport transport(settings);
        return sendAndWait(transport, getRequest(serviceUrl().resolved(QUrl(QStringLiteral("/healthz")))));
    }

    // Runs `engine` until it has been refused a few times over, then checks that the refusal is
    // in its status in the transport's words and that nothing reached the service.
    void expectRefusal(SyncEngine &engine, SyncStatus::State state, const http::TlsSettings &tls,
                       const QString &because)
    {
        const int attemptsBefore = m_forwarder->handshakesStarted();
        const qint64 bytesBefore = m_forwarder->bytesForwarded();
        QVERIFY2(QTest::qWaitFor([&] { return m_forwarder->handshakesStarted() >= attemptsBefore + 3; }, kWaitMs),
                 qPrintable(describe(engine.status())));
        QVERIFY(QTest::qWaitFor([&] { return !engine.status().detail.isEmpty(); }, kWaitMs));

        const auto refused = probe(tls);
        QVERIFY(refused);
        QCOMPARE(http::transportErrorName(refused->error).toByteArray(), QByteArray("tls"));
        QVERIFY2(refused->errorText.contains(because, Qt::CaseInsensitive), qPrintable(refused->errorText));

        const SyncStatus status = engine.status();
        QCOMPARE(stateName(status.state), stateName(state));
        QVERIFY2(status.detail.contains(refused->errorText), qPrintable(describe(status)));
        // Staff read that trust failed, not just that the network is down.
        QVERIFY2(status.detail.contains(QLatin1String("tls: ") + refused->errorText), qPrintable(describe(status)));
        QCOMPARE(status.dead, qint64(0));
        QCOMPARE(m_forwarder->bytesForwarded(), bytesBefore); // not a byte of a request got through
    }

    void expectAllSynced(SyncEngine &engine, const QStringList &ids)
    {
        QVERIFY2(QTest::qWaitFor([&] { return engine.status().state == SyncStatus::State::Synced; }, kWaitMs),
                 qPrintable(describe(engine.status())));
        QCOMPARE(engine.status().detail, QString());
        QCOMPARE(engine.status().unsynced, qint64(0));
        QCOMPARE(m_service->registeredIntentIds(), toSet(ids));
        QCOMPARE(m_service->registrationCount(), qint64(ids.size())); // each exactly once
        QCOMPARE(m_kiosk->intentIds(OutboxState::Acknowledged), toSet(ids));
        QVERIFY(m_kiosk->intentIds(OutboxState::Dead).isEmpty());
    }

    void expectAllPending(const QStringList &ids)
    {
        QCOMPARE(m_kiosk->intentIds(OutboxState::Pending), toSet(ids));
        QVERIFY(m_kiosk->intentIds(OutboxState::Dead).isEmpty());
        QCOMPARE(m_service->registrationCount(), qint64(0));
    }

private slots:
    void initTestCase()
    {
        clearProxyEnvironment();
        QVERIFY(m_pkiDir.isValid());
        const QString error = m_pki.generate(m_pkiDir.path());
        QVERIFY2(error.isEmpty(), qPrintable(error));
    }

    void init()
    {
        m_dir = std::make_unique<QTemporaryDir>();
        QVERIFY(m_dir->isValid());
        m_service = std::make_unique<ServiceUnderTest>();
        const QString serviceError = m_service->start(m_dir->filePath(QStringLiteral("service")));
        QVERIFY2(serviceError.isEmpty(), qPrintable(serviceError));
        m_kiosk = std::make_unique<KioskUnderTest>();
        const QString kioskError = m_kiosk->open(m_dir->filePath(QStringLiteral("kiosk")));
        QVERIFY2(kioskError.isEmpty(), qPrintable(kioskError));
        m_forwarder = std::make_unique<TlsForwarder>(m_pki.serverConfiguration(), m_service->port());
        m_code = m_service->newEnrollmentCode();
        m_intents = m_kiosk->commitIntents(kIntents);
    }

    void cleanup()
    {
        m_forwarder.reset();
        m_kiosk.reset();
        m_service.reset();
        m_dir.reset();
    }

    void acceptedWithTheCaConfigured()
    {
        SyncEngine engine(m_kiosk->outbox(), m_kiosk->key(), settingsWith(trusting()));
        engine.start();
        CHECKED(expectAllSynced(engine, m_intents));
        QVERIFY(!engine.status().deviceId.isEmpty());
        QVERIFY(m_forwarder->bytesForwarded() > 0); // through the TLS front, not around it
    }

    void refusedWithoutTheCa()
    {
        const http::TlsSettings systemStore; // which does not know the test CA
        SyncEngine engine(m_kiosk->outbox(), m_kiosk->key(), settingsWith(systemStore));
        engine.start();
        CHECKED(expectRefusal(engine, SyncStatus::State::Enrolling, systemStore, QStringLiteral("certificate")));
        QCOMPARE(engine.status().unsynced, qint64(kIntents));
        CHECKED(expectAllPending(m_intents));
    }

    void refusedWithAWrongPin()
    {
        const http::TlsSettings wrongPin = trusting(m_pki.wrongPin);
        SyncEngine engine(m_kiosk->outbox(), m_kiosk->key(), settingsWith(wrongPin));
        engine.start();
        CHECKED(expectRefusal(engine, SyncStatus::State::Enrolling, wrongPin, QStringLiteral("pinned")));
        QCOMPARE(engine.status().unsynced, qint64(kIntents));
        CHECKED(expectAllPending(m_intents));
    }

    void acceptedWithTheRightPin()
    {
        SyncEngine engine(m_kiosk->outbox(), m_kiosk->key(), settingsWith(trusting(m_pki.serverPin)));
        engine.start();
        CHECKED(expectAllSynced(engine, m_intents));
    }

    void enrollsOnceConfiguredAfterRefusals()
    {
        {
            SyncEngine refused(m_kiosk->outbox(), m_kiosk->key(), settingsWith({}));
            refused.start();
            CHECKED(expectRefusal(refused, SyncStatus::State::Enrolling, {}, QStringLiteral("certificate")));
        }
        // The same data directory and code, as after staff installed the CA and restarted.
        SyncEngine engine(m_kiosk->outbox(), m_kiosk->key(), settingsWith(trusting()));
        engine.start();
        CHECKED(expectAllSynced(engine, m_intents));
    }

    void enrolledKioskKeepsItsIntentsThroughRefusals()
    {
        {
            SyncEngine first(m_kiosk->outbox(), m_kiosk->key(), settingsWith(trusting()));
            first.start();
            CHECKED(expectAllSynced(first, m_intents));
        }
        const QStringList later = m_kiosk->commitIntents(kIntents);
        {
            // Enrolled, but the service now presents a key other than the pinned one: uploads
            // are refused, retried, and shown as such.
            const http::TlsSettings wrongPin = trusting(m_pki.wrongPin);
            SyncEngine refused(m_kiosk->outbox(), m_kiosk->key(), settingsWith(wrongPin));
            refused.start();
            CHECKED(expectRefusal(refused, SyncStatus::State::Retrying, wrongPin, QStringLiteral("pinned")));
            QCOMPARE(refused.status().unsynced, qint64(kIntents));
            QCOMPARE(m_kiosk->intentIds(OutboxState::Pending) + m_kiosk->intentIds(OutboxState::Sent), toSet(later));
            QCOMPARE(m_kiosk->intentIds(OutboxState::Acknowledged), toSet(m_intents));
            QVERIFY(m_kiosk->intentIds(OutboxState::Dead).isEmpty());
            QCOMPARE(m_service->registrationCount(), qint64(kIntents));
        }
        SyncEngine engine(m_kiosk->outbox(), m_kiosk->key(), settingsWith(trusting(m_pki.serverPin)));
        engine.start();
        CHECKED(expectAllSynced(engine, m_intents + later));
    }
};

QTEST_GUILESS_MAIN(SyncTlsTest)
#include "synctlstest.moc"
