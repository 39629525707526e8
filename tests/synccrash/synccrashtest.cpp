// SIGKILL the kiosk's sync path at random moments, hundreds of times, restart it each time:
// afterwards the service holds exactly the intents of the kiosk's outbox, each once, and every
// one is acknowledged. sync-crash-child is the kiosk's code without its UI; the real delivery
// service runs in this process behind the fault proxy, which slows the batch uploads down
// (latency before forwarding, a slow answer after the service has acted) so that kills land
// both before the service saw a batch and after it stored one whose answer never arrives.
//
// POPTAP_CRASH_SEED=<n> replays a run (the seed is printed first); POPTAP_CRASH_KILLS=<n> sets
// how many kills (default 200).
#include "faultproxy.h"
#include "syncrig.h"

#include <QElapsedTimer>
#include <QEventLoop>
#include <QLoggingCategory>
#include <QProcess>
#include <QRandomGenerator>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

#include <functional>

using namespace poptap;
using poptap::faultproxy::FaultSpec;

namespace {

constexpr int kDefaultKills = 200;
constexpr int kCommitForMs = 300;        // shoppers register this long in each run ...
constexpr int kCommitEveryMs = 4;        // ... one every 4 ms
constexpr int kSettleWindowMs = 100;     // kills also land after the last commit, while the backlog drains
constexpr int kUploadLatencyMs = 30;     // before the proxy forwards a batch: the service has not seen it
constexpr int kAnswerBytesPerSecond = 40000; // the answer of a ~10-intent batch takes ~30 ms: the service has acted
constexpr int kStartupKillPercent = 10;  // kills during start-up (opening the outbox, the first requests)

int envInt(const char *name, int fallback)
{
    bool ok = false;
    const int value = qEnvironmentVariableIntValue(name, &ok);
    return ok && value >= 0 ? value : fallback;
}

// sync-crash-child as a child process, its stdout read line by line as it comes.
class CrashChild : public QObject
{
    Q_OBJECT
public:
    explicit CrashChild(const QStringList &arguments)
    {
        m_process.setProgram(QStringLiteral(SYNC_CRASH_CHILD));
        m_process.setArguments(arguments);
        connect(&m_process, &QProcess::readyReadStandardOutput, this, &CrashChild::readLines);
        connect(&m_process, &QProcess::finished, this, [this] {
            readLines();
            Q_EMIT changed();
        });
        connect(&m_process, &QProcess::errorOccurred, this, &CrashChild::changed);
    }
    ~CrashChild() override
    {
        if (m_process.state() != QProcess::NotRunning) {
            m_process.kill();
            m_process.waitForFinished(5000);
        }
    }

    void start() { m_process.start(); }
    // SIGKILL; returns once the process is gone.
    void kill()
    {
        m_process.kill();
        m_process.waitForFinished(5000);
        readLines();
    }
    bool isRunning() const { return m_process.state() != QProcess::NotRunning; }
    bool exitedNormally() const
    {
        return m_process.state() == QProcess::NotRunning && m_process.exitStatus() == QProcess::NormalExit
            && m_process.exitCode() == 0;
    }

    bool ready = false;
    bool enrolled = false;
    QString doneLine;
    QStringList committed; // intent ids the child reported durable

    // Spins the event loop (the service and the proxy live on it) until `done` or the timeout.
    bool waitFor(const std::function<bool()> &done, int timeoutMs)
    {
        if (done())
            return true;
        QEventLoop loop;
        QTimer timeout;
        timeout.setSingleShot(true);
        connect(&timeout, &QTimer::timeout, &loop, &QEventLoop::quit);
        connect(this, &CrashChild::changed, &loop, [&] {
            if (done())
                loop.quit();
        });
        timeout.start(timeoutMs);
        loop.exec();
        return done();
    }

    QString diagnostics()
    {
        return QStringLiteral("exit status %1 code %2, error '%3', last output '%4', stderr:\n%5")
            .arg(int(m_process.exitStatus())).arg(m_process.exitCode()).arg(m_process.errorString(), m_lastLine,
                 QString::fromUtf8(m_process.readAllStandardError().right(3000)));
    }

Q_SIGNALS:
    void changed();

private:
    void readLines()
    {
        while (m_process.canReadLine()) {
            const QString line = QString::fromUtf8(m_process.readLine()).trimmed();
            m_lastLine = line;
            if (line.startsWith(QLatin1String("committed ")))
                committed << line.mid(10);
            else if (line == QLatin1String("ready"))
                ready = true;
            else if (line.startsWith(QLatin1String("enrolled ")))
                enrolled = true;
            else if (line.startsWith(QLatin1String("done ")))
                doneLine = line;
        }
        Q_EMIT changed();
    }

    QProcess m_process;
    QString m_lastLine;
};

// Intent ids the outbox holds as "sent" (a batch in flight), read on a read-only connection
// of this process while no kiosk runs.
QSet<QString> sentIntents(const QString &outboxPath, QString *error)
{
    QSet<QString> ids;
    const QString name = QStringLiteral("synccrashtest-reader");
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), name);
        db.setDatabaseName(outboxPath);
        db.setConnectOptions(QStringLiteral("QSQLITE_OPEN_READONLY;QSQLITE_BUSY_TIMEOUT=5000"));
        if (!db.open()) {
            *error = db.lastError().text();
        } else {
            QSqlQuery q(db);
            if (!q.exec(QStringLiteral("SELECT intent_id FROM intent WHERE state = 'sent'")))
                *error = q.lastError().text();
            while (q.next())
                ids.insert(q.value(0).toString());
        }
        db.close();
    }
    QSqlDatabase::removeDatabase(name);
    return ids;
}

} // namespace

class SyncCrashTest : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    synctesting::ServiceUnderTest m_service;
    faultproxy::FaultProxy m_proxy;

private Q_SLOTS:
    void initTestCase()
    {
        QLoggingCategory::setFilterRules(QStringLiteral("poptap.faultproxy.debug=false")); // a line per request
        QVERIFY(m_dir.isValid());
        const QString error = m_service.start(m_dir.filePath(QStringLiteral("service")));
        QVERIFY2(error.isEmpty(), qPrintable(error));
        QVERIFY(m_proxy.start(QStringLiteral("127.0.0.1"), m_service.port()));
        const QString batches = QStringLiteral("/v1/registrations");
        m_proxy.injectFault(FaultSpec::latency(kUploadLatencyMs).onPath(batches).times(0));
        m_proxy.injectFault(FaultSpec::slowDrip(kAnswerBytesPerSecond).onPath(batches).times(0));
    }

    void sigkillDuringSyncLosesAndDuplicatesNothing()
    {
        const int kills = envInt("POPTAP_CRASH_KILLS", kDefaultKills);
        const quint32 seed = quint32(envInt("POPTAP_CRASH_SEED", int(QRandomGenerator::global()->bounded(1u << 30))));
        qInfo("seed %u: replay with POPTAP_CRASH_SEED=%u; %d kills", seed, seed, kills);
        QRandomGenerator random(seed);

        const QString dataDir = m_dir.filePath(QStringLiteral("kiosk"));
        const QString outboxPath = dataDir + QStringLiteral("/outbox.db");
        const QString code = m_service.newEnrollmentCode();
        const QUrl url(QStringLiteral("http://127.0.0.1:%1").arg(m_proxy.port()));
        // The code goes along every time, as a kiosk.conf would keep it: a kill during enrollment
        // must be able to ask again; once enrolled the engine ignores it.
        const QStringList arguments{QStringLiteral("--data-dir"), dataDir,
                                    QStringLiteral("--service"), url.toString(),
                                    QStringLiteral("--enrollment-code"), code,
                                    QStringLiteral("--commit-for-ms"), QString::number(kCommitForMs),
                                    QStringLiteral("--commit-every-ms"), QString::number(kCommitEveryMs)};

        QSet<QString> reported; // durable according to the child: a shopper may hold its QR code
        int beforeReady = 0;    // killed while opening the outbox or starting the engine
        int unseenBatch = 0;    // killed with a batch in flight that the service had not stored
        int lostAnswer = 0;     // killed with a batch in flight that the service had stored
        int idle = 0;           // killed with no batch in flight
        int finishedFirst = 0;  // the run was over before its kill was due
        qint64 startupMs = 0;
        int startups = 0;
        QElapsedTimer elapsed;
        elapsed.start();

        int killed = 0;
        for (int run = 0; killed < kills; ++run) {
            QVERIFY2(finishedFirst <= kills, "the runs keep ending before their kill is due");
            CrashChild child(arguments);
            QElapsedTimer started;
            started.start();
            child.start();
            int delayMs = 0;
            if (int(random.bounded(100)) < kStartupKillPercent) {
                delayMs = int(random.bounded(60)); // process start and outbox open take about this long
            } else {
                QVERIFY2(child.waitFor([&] { return child.ready || !child.isRunning(); }, 20000),
                         qPrintable(child.diagnostics()));
                QVERIFY2(child.ready, qPrintable(QStringLiteral("run %1 did not start: %2").arg(run).arg(child.diagnostics())));
                startupMs += started.elapsed();
                ++startups;
                delayMs = int(random.bounded(kCommitForMs + kSettleWindowMs));
            }
            QEventLoop wait;
            QTimer::singleShot(delayMs, Qt::PreciseTimer, &wait, &QEventLoop::quit);
            wait.exec();

            if (!child.isRunning()) {
                QVERIFY2(child.exitedNormally(), qPrintable(QStringLiteral("run %1 failed: %2").arg(run).arg(child.diagnostics())));
                ++finishedFirst;
            } else {
                child.kill();
                ++killed;
                if (!child.ready)
                    ++beforeReady;
            }
            for (const QString &id : std::as_const(child.committed))
                reported.insert(id);

            if (child.exitedNormally() || !QFileInfo::exists(outboxPath))
                continue; // not killed, or killed before the outbox was created
            QString error;
            const QSet<QString> sent = sentIntents(outboxPath, &error);
            QVERIFY2(error.isEmpty(), qPrintable(error));
            if (sent.isEmpty())
                ++idle;
            else if (m_service.registeredIntentIds().contains(sent))
                ++lostAnswer;
            else
                ++unseenBatch;
        }
        const qint64 killPhaseMs = elapsed.elapsed();

        // Shoppers go home: the last run commits a little more and stays until all is synced.
        CrashChild last(arguments);
        last.start();
        QVERIFY2(last.waitFor([&] { return !last.isRunning(); }, 60000), qPrintable(last.diagnostics()));
        QVERIFY2(last.exitedNormally() && !last.doneLine.isEmpty(), qPrintable(last.diagnostics()));
        QVERIFY2(last.enrolled, "the kiosk never enrolled");
        for (const QString &id : std::as_const(last.committed))
            reported.insert(id);

        synctesting::KioskUnderTest kiosk;
        const QString opened = kiosk.open(dataDir);
        QVERIFY2(opened.isEmpty(), qPrintable(opened));
        const QSet<QString> acknowledged = kiosk.intentIds(OutboxState::Acknowledged);
        const QSet<QString> pending = kiosk.intentIds(OutboxState::Pending);
        const QSet<QString> sent = kiosk.intentIds(OutboxState::Sent);
        const QSet<QString> dead = kiosk.intentIds(OutboxState::Dead);
        const QSet<QString> onService = m_service.registeredIntentIds();
        const qint64 rows = m_service.registrationCount();
        const qint64 inOutbox = kiosk.outbox().totalCount();
        kiosk.close();

        qInfo("%d kills in %.1f s (%.0f ms a run; start to 'ready' %.0f ms on average), then the last run: "
              "%lld intents in the outbox, %d reported durable by the children, %lld on the service",
              killed, killPhaseMs / 1000.0, double(killPhaseMs) / std::max(killed + finishedFirst, 1),
              double(startupMs) / std::max(startups, 1), static_cast<long long>(inOutbox), int(reported.size()),
              static_cast<long long>(rows));
        qInfo("kills: %d with a batch in flight the service had not stored, %d with one it had stored (answer lost), "
              "%d with none in flight (%d of all these before the engine started); %d more runs ended before their kill",
              unseenBatch, lostAnswer, idle, beforeReady, finishedFirst);

        QCOMPARE(pending.size(), 0);
        QCOMPARE(sent.size(), 0);
        QCOMPARE(dead.size(), 0);
        QCOMPARE(qint64(acknowledged.size()), inOutbox);
        QVERIFY2(acknowledged.contains(reported), "an intent a child reported durable is not in the outbox");
        const QSet<QString> lost = acknowledged - onService;
        const QSet<QString> strange = onService - acknowledged;
        QVERIFY2(lost.isEmpty(), qPrintable(QStringLiteral("%1 intents acknowledged but not on the service, e.g. %2")
                                                .arg(lost.size()).arg(lost.isEmpty() ? QString() : *lost.begin())));
        QVERIFY2(strange.isEmpty(), qPrintable(QStringLiteral("%1 intents on the service the kiosk does not have, e.g. %2")
                                                   .arg(strange.size()).arg(strange.isEmpty() ? QString() : *strange.begin())));
        QCOMPARE(rows, qint64(onService.size())); // no duplicate rows
        QVERIFY(inOutbox > kills);                // the runs really committed

        // The kills must have landed mid-sync, not only between batches.
        const int inFlight = unseenBatch + lostAnswer;
        QVERIFY2(inFlight * 3 >= kills, qPrintable(QStringLiteral("only %1 of %2 kills hit a batch in flight").arg(inFlight).arg(kills)));
        if (kills >= kDefaultKills)
            QVERIFY2(lostAnswer > 0 && unseenBatch > 0, "the kills never hit one side of the service's commit");
    }

    // Kills while the first enrollment is under way, most after the service has enrolled the
    // device but before the kiosk has its answer: the next start asks again with the same code
    // and key and must get the same device, not a refusal or a second device.
    void sigkillDuringEnrollmentEnrollsOnce()
    {
        constexpr int kEnrollmentKills = 6;
        constexpr int kAnswerDripBytesPerSecond = 1000; // the enrollment answer takes a few 100 ms
        m_proxy.injectFault(FaultSpec::slowDrip(kAnswerDripBytesPerSecond).onPath(QStringLiteral("/v1/enrollments")).times(0));
        const quint32 seed = quint32(envInt("POPTAP_CRASH_SEED", int(QRandomGenerator::global()->bounded(1u << 30))));
        qInfo("seed %u: replay with POPTAP_CRASH_SEED=%u", seed, seed);
        QRandomGenerator random(seed);

        const QString dataDir = m_dir.filePath(QStringLiteral("kiosk-enrolling"));
        const qint64 devicesBefore = m_service.deviceCount();
        const QStringList arguments{QStringLiteral("--data-dir"), dataDir,
                                    QStringLiteral("--service"), QStringLiteral("http://127.0.0.1:%1").arg(m_proxy.port()),
                                    QStringLiteral("--enrollment-code"), m_service.newEnrollmentCode(),
                                    QStringLiteral("--commit-for-ms"), QString::number(kCommitForMs),
                                    QStringLiteral("--commit-every-ms"), QString::number(kCommitEveryMs)};
        int answerLost = 0; // killed after the service had enrolled the device
        for (int run = 0; run < kEnrollmentKills; ++run) {
            CrashChild child(arguments);
            child.start();
            QVERIFY2(child.waitFor([&] { return child.ready || !child.isRunning(); }, 20000), qPrintable(child.diagnostics()));
            QVERIFY2(child.ready, qPrintable(child.diagnostics()));
            QEventLoop wait;
            QTimer::singleShot(int(random.bounded(300)), Qt::PreciseTimer, &wait, &QEventLoop::quit);
            wait.exec();
            QVERIFY2(child.isRunning(), qPrintable(child.diagnostics()));
            child.kill();
            QVERIFY2(!child.enrolled, "the enrollment answer came sooner than the kills assume");
            if (m_service.deviceCount() > devicesBefore)
                ++answerLost;
        }
        CrashChild last(arguments);
        last.start();
        QVERIFY2(last.waitFor([&] { return !last.isRunning(); }, 60000), qPrintable(last.diagnostics()));
        QVERIFY2(last.exitedNormally() && last.enrolled, qPrintable(last.diagnostics()));
        qInfo("%d kills during the first enrollment, %d of them after the service had enrolled the device",
              kEnrollmentKills, answerLost);

        QCOMPARE(m_service.deviceCount(), devicesBefore + 1);
        synctesting::KioskUnderTest kiosk;
        const QString opened = kiosk.open(dataDir);
        QVERIFY2(opened.isEmpty(), qPrintable(opened));
        const QSet<QString> acknowledged = kiosk.intentIds(OutboxState::Acknowledged);
        QCOMPARE(qint64(acknowledged.size()), kiosk.outbox().totalCount());
        QVERIFY(!acknowledged.isEmpty());
        QVERIFY(m_service.registeredIntentIds().contains(acknowledged));
        QCOMPARE(m_service.registrationCount(), qint64(m_service.registeredIntentIds().size()));
        QVERIFY2(answerLost > 0, "no kill landed after the service had enrolled the device");
    }
};

QTEST_GUILESS_MAIN(SyncCrashTest)
#include "synccrashtest.moc"
