#include "syncbench.h"

#include "syncrig.h"

#include <QCoreApplication>
#include <QDir>
#include <QEventLoop>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>

#include <cstdio>

namespace poptap::bench {
namespace {

QProcessEnvironment serviceEnvironment(const QString &dir)
{
    // Nothing of the machine's /etc/poptap/delivery.conf or POPTAP_DELIVERY_* leaks in.
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    for (const QString &key : environment.keys())
        if (key.startsWith(QLatin1String("POPTAP_DELIVERY_")))
            environment.remove(key);
    environment.insert(QStringLiteral("POPTAP_DELIVERY_CONFIG"), QStringLiteral("/dev/null"));
    environment.insert(QStringLiteral("POPTAP_DELIVERY_DATA_DIR"), dir);
    return environment;
}

} // namespace

DeliveryProcess::~DeliveryProcess()
{
    if (m_process.state() != QProcess::NotRunning) {
        m_process.kill();
        m_process.waitForFinished(5000);
    }
}

QString DeliveryProcess::deliveryctl(const QStringList &arguments, QByteArray *output) const
{
    QProcess ctl;
    ctl.setProcessEnvironment(serviceEnvironment(m_dir));
    ctl.start(QStringLiteral(POPTAP_DELIVERYCTL_BINARY), arguments);
    if (!ctl.waitForFinished(30000) || ctl.exitStatus() != QProcess::NormalExit || ctl.exitCode() != 0)
        return QStringLiteral("poptap-deliveryctl %1: %2 %3")
            .arg(arguments.join(u' '), ctl.errorString(), QString::fromUtf8(ctl.readAllStandardError()));
    if (output)
        *output = ctl.readAllStandardOutput();
    return {};
}

QString DeliveryProcess::start(const QString &dir)
{
    m_dir = dir;
    if (!QDir().mkpath(dir))
        return QStringLiteral("cannot create %1").arg(dir);
    if (QString error = deliveryctl({QStringLiteral("store"), QStringLiteral("add"), QStringLiteral("101"),
                                     QStringLiteral("jingumae"), QStringLiteral("ソラマド 神宮前店"),
                                     QStringLiteral("Soramado Jingumae")});
        !error.isEmpty())
        return error;
    if (QString error = deliveryctl({QStringLiteral("catalog"), QStringLiteral("upload"), QStringLiteral("101"),
                                     QStringLiteral(POPTAP_SOURCE_DIR "/resources/catalog/demo-catalog.json")});
        !error.isEmpty())
        return error;
    QByteArray created;
    if (QString error = deliveryctl({QStringLiteral("--json"), QStringLiteral("enrollment"), QStringLiteral("create"),
                                     QStringLiteral("101")},
                                    &created);
        !error.isEmpty())
        return error;
    m_code = QJsonDocument::fromJson(created).object().value(QLatin1String("code")).toString();
    if (m_code.isEmpty())
        return QStringLiteral("poptap-deliveryctl made no enrollment code: ") + QString::fromUtf8(created);

    m_process.setProcessEnvironment(serviceEnvironment(dir));
    m_process.setProcessChannelMode(QProcess::ForwardedErrorChannel); // its warnings belong in the log
    m_process.start(QStringLiteral(POPTAP_DELIVERY_BINARY),
                    {QStringLiteral("--listen"), QStringLiteral("127.0.0.1:0"),
                     QStringLiteral("--line-channel-secret"), QStringLiteral("bench-channel-secret")});
    // "poptap-delivery listening on http://127.0.0.1:<port> (...)"
    static const QRegularExpression listening(QStringLiteral("listening on http://127\\.0\\.0\\.1:(\\d+)"));
    QByteArray said;
    while (m_port == 0 && m_process.waitForReadyRead(15000)) {
        said += m_process.readAllStandardOutput();
        if (const QRegularExpressionMatch match = listening.match(QString::fromUtf8(said)); match.hasMatch())
            m_port = quint16(match.captured(1).toUInt());
    }
    if (m_port == 0)
        return QStringLiteral("poptap-delivery did not start: %1 %2").arg(m_process.errorString(), QString::fromUtf8(said));
    return {};
}

QString DeliveryProcess::stop()
{
    if (m_process.state() == QProcess::NotRunning)
        return QStringLiteral("poptap-delivery was not running");
    m_process.terminate();
    if (!m_process.waitForFinished(15000)) {
        m_process.kill();
        m_process.waitForFinished(5000);
        return QStringLiteral("poptap-delivery did not stop on SIGTERM");
    }
    if (m_process.exitStatus() != QProcess::NormalExit || m_process.exitCode() != 0)
        return QStringLiteral("poptap-delivery exited with %1").arg(m_process.exitCode());
    return {};
}

DeliveryProcess::Holdings DeliveryProcess::holdings() const
{
    Holdings held;
    const QString name = QStringLiteral("syncbench-service");
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), name);
        db.setDatabaseName(QDir(m_dir).filePath(QStringLiteral("delivery.db")));
        db.setConnectOptions(QStringLiteral("QSQLITE_OPEN_READONLY"));
        if (!db.open()) {
            held.error = db.lastError().text();
        } else {
            QSqlQuery q(db);
            if (q.exec(QStringLiteral("SELECT count(*) FROM registration")) && q.next())
                held.rows = q.value(0).toLongLong();
            else
                held.error = q.lastError().text();
            if (q.exec(QStringLiteral("SELECT count(*) FROM idempotency_record")) && q.next())
                held.batches = q.value(0).toLongLong();
            else
                held.error = q.lastError().text();
            if (!q.exec(QStringLiteral("SELECT intent_id FROM registration")))
                held.error = q.lastError().text();
            while (q.next())
                held.intentIds.insert(q.value(0).toString());
        }
        db.close();
    }
    QSqlDatabase::removeDatabase(name);
    return held;
}

Fill fillOutbox(const QString &dataDir, int count, int durable)
{
    Fill fill;
    synctesting::KioskUnderTest kiosk;
    if (const QString opened = kiosk.open(dataDir); !opened.isEmpty()) {
        fill.error = opened;
        return fill;
    }
    constexpr int kChunk = 1000; // only a chunk's ids are kept at a time
    const auto commit = [&](int n) {
        QElapsedTimer timer;
        timer.start();
        for (int done = 0; done < n; done += kChunk)
            kiosk.commitIntents(std::min(kChunk, n - done));
        return double(timer.nsecsElapsed()) / 1e9;
    };
    fill.durableCommits = std::min(count, durable);
    fill.durableSeconds = commit(fill.durableCommits);
    if (count > fill.durableCommits) {
        // OutboxStore's writer connection (named in outboxstore.cpp), on this thread.
        QSqlDatabase writer = QSqlDatabase::database(QStringLiteral("poptap-outbox"), false);
        QSqlQuery pragma(writer);
        if (!writer.isOpen() || !pragma.exec(QStringLiteral("PRAGMA synchronous=OFF"))) {
            fill.error = QStringLiteral("the outbox's connection was not found to fill it quickly");
            return fill;
        }
        fill.fastCommits = count - fill.durableCommits;
        fill.fastSeconds = commit(fill.fastCommits);
    }
    kiosk.close();
    return fill;
}

namespace {
double statusMiB(QByteArrayView field)
{
    QFile status(QStringLiteral("/proc/self/status"));
    if (!status.open(QIODevice::ReadOnly))
        return -1;
    for (const QByteArray &line : status.readAll().split('\n'))
        if (line.startsWith(field)) // "VmRSS:	  123456 kB"
            return line.mid(field.size() + 1).trimmed().split(' ').first().toDouble() / 1024.0;
    return -1;
}
} // namespace

double MemorySampler::currentMiB() { return statusMiB("VmRSS"); }
double MemorySampler::peakMiB() { return statusMiB("VmHWM"); }

bool MemorySampler::resetPeak()
{
    QFile clearRefs(QStringLiteral("/proc/self/clear_refs"));
    return clearRefs.open(QIODevice::WriteOnly) && clearRefs.write("5") == 1;
}

void MemorySampler::start(int intervalMs)
{
    m_highest = currentMiB();
    QObject::connect(&m_timer, &QTimer::timeout, [this] { m_highest = std::max(m_highest, currentMiB()); });
    m_timer.start(intervalMs);
}

Drain drainOutbox(const QString &dataDir, const QUrl &service, const QString &code, int batchSize, int timeoutMs)
{
    sync::SyncSettings settings; // the kiosk's defaults, apart from the batch size under test
    settings.serviceUrl = service;
    settings.dataDir = dataDir;
    settings.enrollmentCode = code;
    settings.deviceName = QStringLiteral("bench kiosk");
    settings.version = QStringLiteral("0.1.0");
    settings.batchSize = batchSize;

    Drain drain;
    synctesting::KioskSyncPath kiosk;
    if (const QString error = kiosk.open(dataDir, settings); !error.isEmpty()) {
        drain.detail = error;
        return drain;
    }
    QEventLoop loop;
    QObject::connect(kiosk.engine(), &sync::SyncEngine::statusChanged, &loop, [&](const sync::SyncStatus &status) {
        drain.detail = QStringLiteral("%1 %2").arg(sync::stateName(status.state), status.detail);
        drain.dead = status.dead;
        if (status.state == sync::SyncStatus::State::Synced && status.unsynced == 0) {
            drain.synced = true;
            loop.quit();
        } else if (status.needsStaff()) {
            loop.quit();
        }
    });
    QTimer::singleShot(timeoutMs, &loop, &QEventLoop::quit);
    QElapsedTimer timer;
    timer.start();
    kiosk.startSync();
    loop.exec();
    drain.seconds = double(timer.nsecsElapsed()) / 1e9;
    drain.residentMiB = MemorySampler::currentMiB();
    return drain;
}

QString checkExactlyOnce(const QString &dataDir, const DeliveryProcess::Holdings &service)
{
    if (!service.error.isEmpty())
        return QStringLiteral("the service's database could not be read: ") + service.error;
    synctesting::KioskUnderTest kiosk;
    if (const QString opened = kiosk.open(dataDir); !opened.isEmpty())
        return opened;
    const QSet<QString> acknowledged = kiosk.intentIds(OutboxState::Acknowledged);
    const qint64 total = kiosk.outbox().totalCount();
    if (acknowledged.size() != total)
        return QStringLiteral("%1 of %2 intents acknowledged").arg(acknowledged.size()).arg(total);
    if (service.intentIds != acknowledged)
        return QStringLiteral("the service holds %1 intents, %2 of them the kiosk's; the kiosk has %3")
            .arg(service.intentIds.size()).arg((service.intentIds & acknowledged).size()).arg(acknowledged.size());
    if (service.rows != total)
        return QStringLiteral("the service has %1 rows for %2 intents").arg(service.rows).arg(total);
    return {};
}

std::optional<DeliveryProcess::Holdings> stopAndCheck(DeliveryProcess &service, const QString &dataDir, QString *error)
{
    if (const QString stopped = service.stop(); !stopped.isEmpty()) {
        *error = stopped;
        return std::nullopt;
    }
    DeliveryProcess::Holdings held = service.holdings();
    if (const QString mismatch = checkExactlyOnce(dataDir, held); !mismatch.isEmpty()) {
        *error = mismatch;
        return std::nullopt;
    }
    return held;
}

int failed(const char *benchmark, const QString &why)
{
    std::fprintf(stderr, "%s: %s\n", benchmark, qPrintable(why));
    return 1;
}

} // namespace poptap::bench
