// The kiosk's sync engine against the real delivery service in process, through the fault
// proxy: whatever the network or a store proxy does to the requests, the queue drains once
// the fault stops and the service holds each intent exactly once; enrollment, revocation,
// wall-clock jumps and broken catalogs end the way staff and the service expect.
#include "syncrig.h"

#include "deliveryserver.h"
#include "deviceregistry.h"
#include "faultproxy.h"
#include "kioskledger.h"
#include "servicetesting.h"

#include <QDir>
#include <QFileInfo>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>

#include <sys/stat.h>

using namespace poptap;
using namespace poptap::sync;
using namespace poptap::faultproxy;
using State = SyncStatus::State;

Q_DECLARE_METATYPE(poptap::faultproxy::FaultSpec)

namespace {

const QString kRegistrations = QStringLiteral("/v1/registrations");
const QString kEnrollments = QStringLiteral("/v1/enrollments");
const QString kCatalog = QStringLiteral("/v1/catalog");
constexpr int kWaitMs = 30000;

QSet<QString> toSet(const QStringList &ids)
{
    return QSet<QString>(ids.cbegin(), ids.cend());
}

// Where the kiosk's and the service's databases go: in memory where the system has a tmpfs.
// Durability is the outbox's own suite's business; here fsync on a busy disk only turns the
// commits of thousands of intents into seconds.
QString scratchTemplate()
{
    const QFileInfo shm(QStringLiteral("/dev/shm"));
    return shm.isDir() && shm.isWritable() ? QStringLiteral("/dev/shm/syncenginetest-XXXXXX") : QString();
}

bool isDrained(const SyncStatus &status)
{
    return status.state == State::Synced && status.unsynced == 0;
}

// Waits until the queue is empty, or the engine has stopped for staff (then fails at once).
bool drains(const SyncEngine &engine)
{
    return QTest::qWaitFor([&] { return isDrained(engine.status()) || engine.status().needsStaff(); }, kWaitMs)
        && isDrained(engine.status());
}

QString describe(const SyncStatus &status)
{
    return QStringLiteral("%1 (%2), unsynced %3, dead %4")
        .arg(stateName(status.state), status.detail)
        .arg(status.unsynced)
        .arg(status.dead);
}

QList<State> statesSeen(const QSignalSpy &spy)
{
    QList<State> states;
    for (const QList<QVariant> &args : spy)
        states << args.at(0).value<SyncStatus>().state;
    return states;
}

} // namespace

class SyncEngineTest : public QObject
{
    Q_OBJECT

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<synctesting::ServiceUnderTest> m_service;
    std::unique_ptr<FaultProxy> m_proxy;
    std::unique_ptr<synctesting::KioskUnderTest> m_kiosk;

    QUrl proxyUrl() const { return QUrl(QStringLiteral("http://127.0.0.1:%1").arg(m_proxy->port())); }

    // The rig's fast-retry settings, pointed at the proxy.
    SyncSettings settings(const QString &code) const { return m_kiosk->settingsFor(proxyUrl(), code); }

    // What the proxy saw on `path`, oldest first (finished or still in flight).
    QList<RequestRecord> requestsTo(const QString &path) const
    {
        QList<RequestRecord> matching;
        for (const RequestRecord &record : m_proxy->requests()) {
            if (record.target == path || record.target.startsWith(path + u'/') || record.target.startsWith(path + u'?'))
                matching << record;
        }
        return matching;
    }

    QString enrollmentFile() const { return QDir(m_kiosk->dataDir()).filePath(EnrolledIdentity::fileName()); }
    QStringList retiredEnrollments() const
    {
        return QDir(m_kiosk->dataDir()).entryList({EnrolledIdentity::fileName() + QStringLiteral(".retired-*")}, QDir::Files);
    }

    // The kiosk's queue is empty and every intent in `ids` is acknowledged; the service holds
    // each of them exactly once and nothing else.
    void verifyDeliveredOnce(const SyncEngine &engine, const QStringList &ids)
    {
        QVERIFY2(isDrained(engine.status()), qPrintable(describe(engine.status())));
        QCOMPARE(m_kiosk->outbox().count(OutboxState::Pending), 0);
        QCOMPARE(m_kiosk->outbox().count(OutboxState::Sent), 0);
        QCOMPARE(m_kiosk->outbox().count(OutboxState::Dead), 0);
        QCOMPARE(m_kiosk->intentIds(OutboxState::Acknowledged), toSet(ids));
        QCOMPARE(m_service->registrationCount(), qint64(ids.size()));
        QCOMPARE(m_service->registeredIntentIds(), toSet(ids));
    }

    // How many requests on `path` the proxy sees in the next `ms`.
    int requestsDuring(const QString &path, int ms)
    {
        const qsizetype before = requestsTo(path).size();
        QTest::qWait(ms);
        return int(requestsTo(path).size() - before);
    }

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        qRegisterMetaType<poptap::faultproxy::RequestRecord>();
    }

    void init()
    {
        const QString scratch = scratchTemplate();
        m_dir = scratch.isEmpty() ? std::make_unique<QTemporaryDir>() : std::make_unique<QTemporaryDir>(scratch);
        QVERIFY(m_dir->isValid());
        m_service = std::make_unique<synctesting::ServiceUnderTest>();
        QCOMPARE(m_service->start(m_dir->filePath(QStringLiteral("service"))), QString());
        m_proxy = std::make_unique<FaultProxy>();
        QVERIFY(m_proxy->start(QStringLiteral("127.0.0.1"), m_service->port()));
        m_kiosk = std::make_unique<synctesting::KioskUnderTest>();
        QCOMPARE(m_kiosk->open(m_dir->filePath(QStringLiteral("kiosk"))), QString());
    }

    void cleanup()
    {
        m_kiosk.reset();
        m_proxy.reset();
        m_service.reset();
        m_dir.reset();
    }

    // 1. Each fault on the first uploads: the queue drains afterwards, nothing is counted twice.
    void queueDrainsAfterFault_data()
    {
        QTest::addColumn<FaultSpec>("fault");
        QTest::addColumn<int>("lowSpeedBytesPerSecond"); // the transport's abort threshold
        QTest::addColumn<bool>("reachesService");        // the service acts on the faulted request

        const auto times = [](const FaultSpec &spec, int n) { return spec.onPath(kRegistrations).onMethod(QStringLiteral("POST")).times(n); };
        QTest::newRow("reset before request") << times(FaultSpec::resetBeforeRequest(), 3) << 1 << false;
        QTest::newRow("reset after request (answer lost)") << times(FaultSpec::resetAfterRequest(), 3) << 1 << true;
        QTest::newRow("stall") << times(FaultSpec::stall(), 1) << 1 << false;
        // The drip is slower than the transport accepts: it gives up, the service has acted.
        QTest::newRow("slow drip") << times(FaultSpec::slowDrip(100), 1) << 2000 << true;
        QTest::newRow("truncated response") << times(FaultSpec::truncate(1000), 3) << 1 << true;
        QTest::newRow("500") << times(FaultSpec::answer(500), 3) << 1 << false;
        QTest::newRow("502") << times(FaultSpec::answer(502), 3) << 1 << false;
        QTest::newRow("503") << times(FaultSpec::answer(503), 3) << 1 << false;
        QTest::newRow("429 Retry-After 1") << times(FaultSpec::answer(429, QStringLiteral("1")), 2) << 1 << false;
        QTest::newRow("garbage body") << times(FaultSpec::garbage(), 3) << 1 << false;
        QTest::newRow("garbage body after the service acted") << times(FaultSpec::garbage(true), 3) << 1 << true;
    }

    void queueDrainsAfterFault()
    {
        QFETCH(FaultSpec, fault);
        QFETCH(int, lowSpeedBytesPerSecond);
        QFETCH(bool, reachesService);

        const QStringList ids = m_kiosk->commitIntents(1200); // three batches of at most 500
        m_proxy->injectFault(fault);
        SyncSettings s = settings(m_service->newEnrollmentCode());
        s.transport.lowSpeedTime = std::chrono::seconds(1);
        s.transport.lowSpeedBytesPerSecond = lowSpeedBytesPerSecond;
        SyncEngine engine(m_kiosk->outbox(), m_kiosk->key(), s);
        engine.start();

        QVERIFY2(drains(engine), qPrintable(describe(engine.status())));
        verifyDeliveredOnce(engine, ids);
        if (QTest::currentTestFailed())
            return;

        // The fault really hit the first uploads, as the row says, and then stopped.
        const QList<RequestRecord> uploads = requestsTo(kRegistrations);
        const QString kind = faultKindName(fault.kind);
        for (int i = 0; i < fault.count; ++i) {
            QCOMPARE(uploads.at(i).fault, kind);
            QCOMPARE(uploads.at(i).forwarded, reachesService);
        }
        QVERIFY(uploads.size() >= fault.count + 3);
        QVERIFY(m_proxy->pendingFaults().isEmpty());

        // Retry-After is a floor: the upload after a 429 comes no sooner than it allows.
        if (!fault.retryAfter.isEmpty()) {
            const qint64 floorMs = fault.retryAfter.toLongLong() * 1000;
            for (int i = 0; i < fault.count; ++i) {
                const qint64 gap = uploads.at(i).receivedAt.msecsTo(uploads.at(i + 1).receivedAt);
                // Less only by the timestamps' rounding: the engine's timer must not fire early.
                QVERIFY2(gap >= floorMs - 10, qPrintable(QStringLiteral("retried after %1 ms").arg(gap)));
            }
        }
    }

    // 2. Intents committed while a sync runs (and nudged, as the kiosk does) go too.
    void intentsCommittedWhileSyncingAreSynced()
    {
        QStringList ids = m_kiosk->commitIntents(1200);
        // Each upload takes a while, and one fails, so commits land during uploads and backoffs.
        m_proxy->injectFault(FaultSpec::latency(100).onPath(kRegistrations).times(0));
        m_proxy->injectFault(FaultSpec::answer(503).onPath(kRegistrations).times(1));
        SyncEngine engine(m_kiosk->outbox(), m_kiosk->key(), settings(m_service->newEnrollmentCode()));
        engine.start();
        QVERIFY(QTest::qWaitFor([&] { return !requestsTo(kRegistrations).isEmpty(); }, kWaitMs));

        int committedWhileBusy = 0;
        for (int round = 0; round < 8; ++round) {
            const State state = engine.status().state;
            ids << m_kiosk->commitIntents(25);
            engine.nudge();
            if (state == State::Syncing || state == State::Retrying)
                ++committedWhileBusy;
            QTest::qWait(60);
        }
        QVERIFY2(committedWhileBusy > 0, "no intent was committed while a sync was under way");

        QVERIFY2(drains(engine), qPrintable(describe(engine.status())));
        verifyDeliveredOnce(engine, ids);
    }

    // 3. The wall clock jumps during a backoff: no stall, no storm, and the signing clock
    //    corrects itself from the service's Date header.
    void wallClockJumpDuringBackoff_data()
    {
        QTest::addColumn<qint64>("jumpSeconds");
        QTest::newRow("+1 day") << qint64(86400);
        QTest::newRow("-1 day") << qint64(-86400);
    }

    void wallClockJumpDuringBackoff()
    {
        QFETCH(qint64, jumpSeconds);
        qint64 offset = 0;
        SyncSettings s = settings(m_service->newEnrollmentCode());
        s.now = [&offset] { return QDateTime::currentDateTimeUtc().addSecs(offset); };
        const QStringList ids = m_kiosk->commitIntents(1200);
        // A backoff of two seconds at least: long enough to jump the clock in the middle of it.
        // The 503 comes late, so the catalog and heartbeat answers (whose Date headers would
        // correct the clock before the service could refuse it) are in before the jump.
        m_proxy->injectFault(FaultSpec::latency(500).onPath(kRegistrations).times(1));
        m_proxy->injectFault(FaultSpec::answer(503, QStringLiteral("2")).onPath(kRegistrations).times(1));
        SyncEngine engine(m_kiosk->outbox(), m_kiosk->key(), s);
        QSignalSpy catalogs(&engine, &SyncEngine::catalogReceived);
        engine.start();
        QVERIFY2(QTest::qWaitFor([&] { return engine.status().state == State::Retrying; }, kWaitMs),
                 qPrintable(describe(engine.status())));
        QVERIFY2(engine.status().detail.contains(u"503"), qPrintable(engine.status().detail));
        QCOMPARE(catalogs.size(), 1);
        QCOMPARE(requestsTo(QStringLiteral("/v1/heartbeats")).size(), 1);
        QVERIFY(requestsTo(QStringLiteral("/v1/heartbeats")).first().finished());
        QCOMPARE(requestsTo(kRegistrations).size(), 1);

        offset = jumpSeconds;
        const qsizetype requestsBefore = m_proxy->requests().size();
        QVERIFY2(drains(engine), qPrintable(describe(engine.status())));
        verifyDeliveredOnce(engine, ids);
        if (QTest::currentTestFailed())
            return;

        // Three batches, and one refusal for the clock (heartbeat and catalog may ask too):
        // a handful of requests, not a storm.
        const qsizetype requestsAfter = m_proxy->requests().size() - requestsBefore;
        QVERIFY2(requestsAfter >= 3 && requestsAfter <= 12, qPrintable(QString::number(requestsAfter)));
        const QList<RequestRecord> uploads = requestsTo(kRegistrations);
        QVERIFY2(std::any_of(uploads.cbegin(), uploads.cend(), [](const RequestRecord &r) { return r.clientStatus == 401; }),
                 "the service never saw the kiosk's wrong clock");
        QVERIFY2(qAbs(engine.status().clockOffsetSeconds + jumpSeconds) < 60,
                 qPrintable(QString::number(engine.status().clockOffsetSeconds)));

        // Support hears of the wrong clock with the next heartbeat.
        engine.syncNow();
        QVERIFY2(QTest::qWaitFor([&] {
            QString error;
            const auto devices = delivery::DeviceRegistry(*m_service->server().database()).devices(std::nullopt, &error);
            return devices.size() == 1 && devices.first().heartbeat.contains("clock differs from the service");
        }, kWaitMs), "no heartbeat reported the clock");
    }

    // 4. Enrollment.
    void enrollmentWithAValidCode()
    {
        // Shoppers may register before the kiosk is enrolled: those tokens are signed with the
        // local key, which enrollment hands over.
        const QStringList ids = m_kiosk->commitIntents(30);
        QVERIFY(!m_kiosk->key().isEnrolled());
        const std::uint32_t localKeyId = m_kiosk->key().keyId();
        SyncEngine engine(m_kiosk->outbox(), m_kiosk->key(), settings(m_service->newEnrollmentCode()));
        QSignalSpy changes(&engine, &SyncEngine::statusChanged);
        engine.start();
        QVERIFY2(drains(engine), qPrintable(describe(engine.status())));

        const QList<State> states = statesSeen(changes);
        QVERIFY(!states.isEmpty());
        QCOMPARE(stateName(states.first()), stateName(State::Enrolling));
        QVERIFY(states.contains(State::Syncing));
        QVERIFY(!states.contains(State::EnrollmentRefused));
        QVERIFY(!engine.status().deviceId.isEmpty());

        struct stat info {};
        QCOMPARE(::stat(QFile::encodeName(enrollmentFile()).constData(), &info), 0);
        QCOMPARE(info.st_mode & 0777, mode_t(0600));
        QVERIFY(m_kiosk->key().isEnrolled());
        QVERIFY(m_kiosk->key().keyId() != localKeyId);
        verifyDeliveredOnce(engine, ids);
    }

    void lostEnrollmentAnswerIsAskedAgain()
    {
        const QStringList ids = m_kiosk->commitIntents(10);
        m_proxy->injectFault(FaultSpec::resetAfterRequest().onPath(kEnrollments).times(1));
        SyncEngine engine(m_kiosk->outbox(), m_kiosk->key(), settings(m_service->newEnrollmentCode()));
        engine.start();
        QVERIFY2(drains(engine), qPrintable(describe(engine.status())));

        // The service enrolled the kiosk on the first request; the second got the same answer.
        const QList<RequestRecord> enrollments = requestsTo(kEnrollments);
        QCOMPARE(enrollments.size(), 2);
        QCOMPARE(enrollments.at(0).upstreamStatus, 201);
        QCOMPARE(enrollments.at(0).outcome, QStringLiteral("reset"));
        QCOMPARE(enrollments.at(1).clientStatus, 201);
        QString error;
        const QList<delivery::DeviceRegistry::DeviceSummary> devices =
            delivery::DeviceRegistry(*m_service->server().database()).devices(servicetesting::kDemoStoreId, &error);
        QCOMPARE(error, QString());
        QCOMPARE(devices.size(), 1);
        QCOMPARE(engine.status().deviceId, devices.first().id);
        verifyDeliveredOnce(engine, ids);
    }

    // A store proxy or captive portal in front of the enrollment: the code is not refused
    // for it, the engine asks again.
    void enrollmentAnswerNotFromTheServiceIsRetried_data()
    {
        QTest::addColumn<FaultSpec>("fault");
        const QByteArray page = "<html><body>Welcome to the store Wi-Fi</body></html>";
        FaultSpec portalPage = FaultSpec::garbage();
        portalPage.body = page;
        portalPage.contentType = "text/html";
        QTest::newRow("200 portal page") << portalPage.onPath(kEnrollments).times(2);
        FaultSpec forbidden = FaultSpec::answer(403, {}, page);
        forbidden.contentType = "text/html";
        QTest::newRow("403 portal page") << forbidden.onPath(kEnrollments).times(2);
        QTest::newRow("503") << FaultSpec::answer(503).onPath(kEnrollments).times(2);
    }

    void enrollmentAnswerNotFromTheServiceIsRetried()
    {
        QFETCH(FaultSpec, fault);
        const QStringList ids = m_kiosk->commitIntents(10);
        m_proxy->injectFault(fault);
        SyncEngine engine(m_kiosk->outbox(), m_kiosk->key(), settings(m_service->newEnrollmentCode()));
        QSignalSpy changes(&engine, &SyncEngine::statusChanged);
        engine.start();
        QVERIFY2(drains(engine), qPrintable(describe(engine.status())));
        QVERIFY2(!statesSeen(changes).contains(State::EnrollmentRefused), qPrintable(describe(engine.status())));
        QCOMPARE(requestsTo(kEnrollments).size(), fault.count + 1);
        verifyDeliveredOnce(engine, ids);
    }

    void refusedEnrollmentCode_data()
    {
        QTest::addColumn<QString>("which");
        QTest::addColumn<QString>("reason");
        QTest::newRow("unknown") << QStringLiteral("unknown") << QStringLiteral("enrollment_code_unknown");
        QTest::newRow("used by another kiosk") << QStringLiteral("used") << QStringLiteral("enrollment_code_used");
        QTest::newRow("expired") << QStringLiteral("expired") << QStringLiteral("enrollment_code_expired");
    }

    void refusedEnrollmentCode()
    {
        QFETCH(QString, which);
        QFETCH(QString, reason);
        QString code;
        if (which == u"unknown") {
            code = QStringLiteral("7KQ2-M9XD-4PRT-W3HF");
        } else if (which == u"used") {
            code = m_service->newEnrollmentCode();
            const wire::EnrollmentRequest other{code, {987654321, QByteArray(32, 'o')}, QStringLiteral("other kiosk"),
                                                QStringLiteral("0.1.0")};
            QVERIFY(m_service->server().kioskLedger()->enroll(other).response);
        } else {
            // Valid for zero hours: expired from the moment it is made, no waiting needed.
            code = m_service->newEnrollmentCode(0);
        }

        const QStringList ids = m_kiosk->commitIntents(10);
        SyncEngine engine(m_kiosk->outbox(), m_kiosk->key(), settings(code));
        engine.start();
        QVERIFY2(QTest::qWaitFor([&] { return engine.status().state == State::EnrollmentRefused; }, kWaitMs),
                 qPrintable(describe(engine.status())));
        QVERIFY2(engine.status().detail.contains(reason), qPrintable(engine.status().detail));
        QVERIFY(engine.status().needsStaff());
        QVERIFY(!QFile::exists(enrollmentFile()));
        QVERIFY(!m_kiosk->key().isEnrolled());

        // A refused code is not asked about again, and nothing else goes out meanwhile.
        engine.nudge();
        QCOMPARE(requestsDuring(kEnrollments, 700), 0);
        QCOMPARE(m_proxy->requests().size(), 1);
        QCOMPARE(stateName(engine.status().state), stateName(State::EnrollmentRefused));

        engine.enrollWith(m_service->newEnrollmentCode());
        QVERIFY2(drains(engine), qPrintable(describe(engine.status())));
        QVERIFY(m_kiosk->key().isEnrolled());
        verifyDeliveredOnce(engine, ids);
    }

    // 5. A revoked device stops, keeps its old identity aside and comes back with a new code;
    //    intents signed with the revoked device's keys are refused for good and kept as dead.
    void revokedDeviceNeedsReenrollment()
    {
        const QStringList delivered = m_kiosk->commitIntents(100);
        SyncSettings s = settings(m_service->newEnrollmentCode());
        // Every timer fires often, so work that does not stop would show in the proxy's log.
        s.pollInterval = std::chrono::milliseconds(200);
        s.heartbeatInterval = std::chrono::milliseconds(300);
        s.catalogInterval = std::chrono::milliseconds(300);
        SyncEngine engine(m_kiosk->outbox(), m_kiosk->key(), s);
        engine.start();
        QVERIFY2(drains(engine), qPrintable(describe(engine.status())));
        const QString firstDevice = engine.status().deviceId;
        QVERIFY(QFile::exists(enrollmentFile()));

        QCOMPARE(m_service->revoke(firstDevice), QString());
        QStringList signedByRevoked = m_kiosk->commitIntents(20);
        engine.nudge();
        QVERIFY2(QTest::qWaitFor([&] { return engine.status().state == State::ReenrollmentNeeded; }, kWaitMs),
                 qPrintable(describe(engine.status())));
        QVERIFY2(engine.status().detail.contains(u"device_revoked"), qPrintable(engine.status().detail));
        QVERIFY(engine.status().needsStaff());
        QVERIFY(engine.status().deviceId.isEmpty());
        QVERIFY(!QFile::exists(enrollmentFile()));
        QCOMPARE(retiredEnrollments().size(), 1); // moved aside for support, not deleted

        // Syncing has stopped: no timer and no nudge sends anything. Shoppers carry on, and
        // what they register now is signed with a fresh local key that re-enrollment hands over.
        const qsizetype requestsBefore = m_proxy->requests().size();
        QVERIFY(!m_kiosk->key().isEnrolled());
        const QStringList whileWaiting = m_kiosk->commitIntents(5);
        engine.nudge();
        QTest::qWait(1000);
        QCOMPARE(m_proxy->requests().size(), requestsBefore);
        QCOMPARE(stateName(engine.status().state), stateName(State::ReenrollmentNeeded));

        engine.enrollWith(m_service->newEnrollmentCode());
        QVERIFY2(drains(engine), qPrintable(describe(engine.status())));
        const QString secondDevice = engine.status().deviceId;
        QVERIFY(!secondDevice.isEmpty());
        QVERIFY(secondDevice != firstDevice);
        QVERIFY(QFile::exists(enrollmentFile()));

        // The revoked keys stay dead: what they signed is refused for good, kept with the reason.
        QCOMPARE(m_kiosk->intentIds(OutboxState::Dead), toSet(signedByRevoked));
        for (const auto &[id, why] : m_kiosk->outbox().intentsIn(OutboxState::Dead, 1000))
            QVERIFY2(why.contains(u"unknown_key"), qPrintable(id + QStringLiteral(": ") + why));
        QCOMPARE(engine.status().dead, qint64(signedByRevoked.size()));

        // The new enrollment syncs new intents.
        const QStringList afterwards = m_kiosk->commitIntents(30);
        engine.nudge();
        QVERIFY2(drains(engine), qPrintable(describe(engine.status())));
        QCOMPARE(m_kiosk->outbox().count(OutboxState::Sent), 0);
        const QStringList held = delivered + whileWaiting + afterwards;
        QCOMPARE(m_kiosk->intentIds(OutboxState::Acknowledged), toSet(held));
        QCOMPARE(m_service->registeredIntentIds(), toSet(held));
        QCOMPARE(m_service->registrationCount(), qint64(held.size()));
    }

    // 6. A store proxy or captive portal says 401/403/404 too: without the service's error
    //    body that neither stops syncing nor refuses anything.
    void answerNotFromTheServiceIsRetried_data()
    {
        QTest::addColumn<int>("status");
        QTest::addColumn<QByteArray>("contentType");
        QTest::addColumn<QByteArray>("body");
        const QByteArray html = "<html><body><h1>Access denied</h1>Sign in to the store Wi-Fi.</body></html>";
        QTest::newRow("403 captive portal") << 403 << QByteArray("text/html") << html;
        QTest::newRow("401 proxy login") << 401 << QByteArray("text/html") << html;
        QTest::newRow("404 misrouted") << 404 << QByteArray("text/html") << html;
        // A proxy's JSON that is not the kiosk API's error either.
        QTest::newRow("403 proxy JSON") << 403 << QByteArray("application/json")
                                        << QByteArray(R"({"error":"forbidden","message":"blocked by policy"})");
    }

    void answerNotFromTheServiceIsRetried()
    {
        QFETCH(int, status);
        QFETCH(QByteArray, contentType);
        QFETCH(QByteArray, body);
        const QStringList ids = m_kiosk->commitIntents(600);
        FaultSpec portal = FaultSpec::answer(status, {}, body).onPath(kRegistrations).times(3);
        portal.contentType = contentType;
        m_proxy->injectFault(portal);
        SyncEngine engine(m_kiosk->outbox(), m_kiosk->key(), settings(m_service->newEnrollmentCode()));
        QSignalSpy changes(&engine, &SyncEngine::statusChanged);
        engine.start();
        QVERIFY2(drains(engine), qPrintable(describe(engine.status())));

        const QList<State> states = statesSeen(changes);
        QVERIFY(!states.contains(State::ReenrollmentNeeded));
        QVERIFY(states.contains(State::Retrying));
        QVERIFY(QFile::exists(enrollmentFile()));
        QVERIFY(retiredEnrollments().isEmpty());
        const QList<RequestRecord> uploads = requestsTo(kRegistrations);
        for (int i = 0; i < 3; ++i)
            QCOMPARE(uploads.at(i).clientStatus, status);
        verifyDeliveredOnce(engine, ids);
    }

    // 7. A broken catalog is never handed to the kiosk; a good one once; an unchanged one not again.
    void brokenCatalogIsNotApplied_data()
    {
        QTest::addColumn<FaultSpec>("fault");
        const auto onCatalog = [](FaultSpec spec) { return spec.onPath(kCatalog).times(1); };
        QTest::newRow("not JSON") << onCatalog(FaultSpec::garbage());
        FaultSpec notACatalog = FaultSpec::garbage();
        notACatalog.body = R"({"version":"x","store":{"id":101}})";
        QTest::newRow("JSON, not a catalog") << onCatalog(notACatalog);
        // The service's status and ETag with a ruined body: the ETag must not be taken for it.
        QTest::newRow("real ETag, broken body") << onCatalog(FaultSpec::garbage(true));
    }

    void brokenCatalogIsNotApplied()
    {
        QFETCH(FaultSpec, fault);
        const QString serviceETag =
            delivery::DeviceRegistry(*m_service->server().database()).catalogETag(servicetesting::kDemoStoreId).value_or(QString());
        QVERIFY(!serviceETag.isEmpty());

        m_proxy->injectFault(fault);
        // The next fetch is held until the test has looked, so "not applied" is seen before it.
        m_proxy->injectFault(FaultSpec::stall().onPath(kCatalog).times(1));
        SyncSettings s = settings(m_service->newEnrollmentCode());
        s.catalogInterval = std::chrono::milliseconds(300);
        s.transport.lowSpeedTime = std::chrono::seconds(20);
        SyncEngine engine(m_kiosk->outbox(), m_kiosk->key(), s);
        QSignalSpy received(&engine, &SyncEngine::catalogReceived);
        engine.start();

        QVERIFY(QTest::qWaitFor([&] { return requestsTo(kCatalog).size() == 2; }, kWaitMs));
        const RequestRecord broken = requestsTo(kCatalog).first();
        QCOMPARE(broken.clientStatus, 200);
        QCOMPARE(broken.fault, faultKindName(FaultKind::Garbage));
        QCOMPARE(received.size(), 0);

        m_proxy->clearFaults(); // the held fetch goes on to the service
        QVERIFY(QTest::qWaitFor([&] { return received.size() == 1; }, kWaitMs));
        const Catalog catalog = received.first().at(0).value<Catalog>();
        QCOMPARE(qint64(catalog.store.id), servicetesting::kDemoStoreId);
        QVERIFY(!catalog.brands.isEmpty());
        QCOMPARE(received.first().at(1).toByteArray(), serviceETag.toLatin1());

        // Later refreshes carry the ETag and get 304: nothing new is handed over.
        QVERIFY(QTest::qWaitFor([&] {
            const QList<RequestRecord> fetches = requestsTo(kCatalog);
            // A fourth fetch means the engine has handled the third one's 304.
            return fetches.size() >= 4 && fetches.at(2).clientStatus == 304;
        }, kWaitMs));
        QCOMPARE(received.size(), 1);

        // And the engine kept working.
        const QStringList ids = m_kiosk->commitIntents(20);
        engine.nudge();
        QVERIFY2(drains(engine), qPrintable(describe(engine.status())));
        verifyDeliveredOnce(engine, ids);
    }

    // 8. With nothing to upload, heartbeats and catalog checks are the only contact with the
    //    service: when they fail the kiosk shows Retrying, not Synced, and Synced once they
    //    get through again.
    void unreachableServiceShowsWhileNothingWaits()
    {
        SyncSettings s = settings(m_service->newEnrollmentCode());
        s.pollInterval = std::chrono::milliseconds(100); // polls of the empty outbox must not say Synced
        s.heartbeatInterval = std::chrono::milliseconds(200);
        s.catalogInterval = std::chrono::milliseconds(200);
        SyncEngine engine(m_kiosk->outbox(), m_kiosk->key(), s);
        engine.start();
        QVERIFY2(drains(engine), qPrintable(describe(engine.status())));

        m_proxy->injectFault(FaultSpec::answer(503).onPath(QStringLiteral("/v1/heartbeats")).times(0));
        m_proxy->injectFault(FaultSpec::answer(503).onPath(kCatalog).times(0));
        QVERIFY2(QTest::qWaitFor([&] { return engine.status().state == State::Retrying; }, kWaitMs),
                 qPrintable(describe(engine.status())));
        QVERIFY2(engine.status().detail.contains(u"503"), qPrintable(describe(engine.status())));
        QTest::qWait(500); // a few polls and refused heartbeats later
        QCOMPARE(stateName(engine.status().state), stateName(State::Retrying));
        QCOMPARE(engine.status().unsynced, qint64(0));

        m_proxy->clearFaults();
        QVERIFY2(QTest::qWaitFor([&] { return engine.status().state == State::Synced; }, kWaitMs),
                 qPrintable(describe(engine.status())));
        QCOMPARE(engine.status().detail, QString());
    }
};

QTEST_GUILESS_MAIN(SyncEngineTest)
#include "syncenginetest.moc"
