#pragma once
// What bench-sync-drain and bench-sync-latency share: poptap-delivery as its own process (so
// this process's memory is the kiosk side's alone), a kiosk outbox filled with N intents, the
// drain through the kiosk's sync path, and the check that the service holds each intent once.

#include "kiosksyncpath.h"

#include <QElapsedTimer>
#include <QProcess>
#include <QSet>
#include <QTimer>
#include <QUrl>

#include <functional>
#include <optional>

namespace poptap::bench {

// poptap-delivery on 127.0.0.1 (any free port) with its SQLite database in `dir`, the demo
// store and catalog set up with poptap-deliveryctl as an operator would.
class DeliveryProcess
{
public:
    ~DeliveryProcess();
    QString start(const QString &dir); // empty, or what went wrong
    QString enrollmentCode() const { return m_code; }
    QUrl url() const { return QUrl(QStringLiteral("http://127.0.0.1:%1").arg(m_port)); }
    quint16 port() const { return m_port; }
    QString stop(); // SIGTERM; empty when it exited cleanly

    // Read from its database once it has stopped.
    struct Holdings {
        QSet<QString> intentIds;
        qint64 rows = 0;
        qint64 batches = 0; // Idempotency-Keys it answered: one per batch, however often sent
        QString error;
    };
    Holdings holdings() const;

private:
    QString deliveryctl(const QStringList &arguments, QByteArray *output = nullptr) const;

    QString m_dir;
    QString m_code;
    quint16 m_port = 0;
    QProcess m_process;
};

// Commits `count` brand interests to the outbox of `dataDir`, each as the kiosk commits it
// (OutboxStore::commit, one transaction). The first `durable` with the kiosk's synchronous=FULL,
// timed; the rest with synchronous=OFF on the same connection: the same rows on disk once the
// outbox is closed, without an fsync per intent (about 1,700/s here, a minute for 100,000).
struct Fill {
    int durableCommits = 0;
    double durableSeconds = 0;
    int fastCommits = 0;
    double fastSeconds = 0;
    QString error;
};
Fill fillOutbox(const QString &dataDir, int count, int durable);

// This process's resident memory from /proc/self/status, in MiB, sampled on a timer.
class MemorySampler
{
public:
    static double currentMiB();   // VmRSS
    static double peakMiB();      // VmHWM
    static bool resetPeak();      // from now on VmHWM counts from the current RSS (/proc/self/clear_refs)
    void start(int intervalMs);
    double highestSampleMiB() const { return m_highest; }

private:
    QTimer m_timer;
    double m_highest = 0;
};

// Drains the outbox of `dataDir` to `service` through the kiosk's sync path: enrolls with `code`
// and returns when the engine reports every intent synced.
struct Drain {
    bool synced = false;
    double seconds = 0;   // from starting the engine (enrollment included) to "synced"
    qint64 dead = 0;
    double residentMiB = 0; // VmRSS when it was synced, the sync path still open
    QString detail;       // the last status, when not synced
};
Drain drainOutbox(const QString &dataDir, const QUrl &service, const QString &code, int batchSize, int timeoutMs);

// The outbox's intents against the service's holdings: empty, or what does not match.
QString checkExactlyOnce(const QString &dataDir, const DeliveryProcess::Holdings &service);
// After a drain: stops the service and checks it holds each of the outbox's intents once.
// Its holdings, or nullopt with the reason in `error`.
std::optional<DeliveryProcess::Holdings> stopAndCheck(DeliveryProcess &service, const QString &dataDir, QString *error);

// What a benchmark prints and returns when its measurement broke.
int failed(const char *benchmark, const QString &why);

} // namespace poptap::bench
