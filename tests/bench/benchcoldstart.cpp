// Cold start of the real binary with a 500-brand catalog: process start → first frame
// swapped. `--self-test` prints its verdict right after the first frame; with stdout on
// a pseudo-terminal that line arrives unbuffered, so its arrival time is the first-frame
// time without any change to the kiosk. The time to process exit is reported as well.
#include "benchstats.h"
#include "kioskprocess.h"
#include "testcatalog.h"

#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QProcess>
#include <QTemporaryDir>

#include <cstdio>

#include <fcntl.h>
#include <poll.h>
#include <pty.h>
#include <unistd.h>

using namespace poptap;

namespace {
constexpr int kBrands = 500;
constexpr int kTimeoutMs = 30000;

struct Start {
    QString error;     // empty when the self-test passed
    double firstFrameMs = 0;
    double exitMs = 0;
};

Start startOnce(const QString &dataDir, const QString &catalog)
{
    Start result;
    int master = -1;
    int replica = -1;
    if (::openpty(&master, &replica, nullptr, nullptr, nullptr) != 0) {
        result.error = QStringLiteral("openpty failed");
        return result;
    }
    ::fcntl(master, F_SETFD, FD_CLOEXEC);
    ::fcntl(replica, F_SETFD, FD_CLOEXEC);

    QTemporaryDir temp;
    const QString config = temp.filePath(QStringLiteral("kiosk.conf"));
    QFile(config).open(QIODevice::WriteOnly);
    QProcess process;
    process.setProgram(test::KioskProcess::binaryPath());
    process.setArguments({QStringLiteral("--config"), config, QStringLiteral("--data-dir"), dataDir,
                          QStringLiteral("--catalog-seed"), catalog, QStringLiteral("--automation-socket"),
                          QStringLiteral("off"), QStringLiteral("--self-test")});
    process.setProcessEnvironment(test::KioskProcess::environment());
    process.setStandardErrorFile(temp.filePath(QStringLiteral("stderr.log")));
    // In the child, after QProcess set up its channels: stdout is the terminal.
    process.setChildProcessModifier([replica] { ::dup2(replica, STDOUT_FILENO); });

    QElapsedTimer clock;
    clock.start();
    process.start();
    ::close(replica);
    QByteArray output;
    while (!output.contains('\n') && clock.elapsed() < kTimeoutMs) {
        pollfd fd{master, POLLIN, 0};
        if (::poll(&fd, 1, 100) <= 0)
            continue;
        char buffer[512];
        const ssize_t n = ::read(master, buffer, sizeof buffer);
        if (n <= 0)
            break; // the terminal closed: the kiosk exited
        output.append(buffer, n);
    }
    result.firstFrameMs = clock.nsecsElapsed() / 1e6;
    process.waitForFinished(kTimeoutMs);
    result.exitMs = clock.nsecsElapsed() / 1e6;
    ::close(master);

    if (process.exitStatus() != QProcess::NormalExit || process.exitCode() != 0
        || !output.contains("self-test passed")
        || !output.contains(QByteArray::number(kBrands) + " brands")) {
        QFile err(temp.filePath(QStringLiteral("stderr.log")));
        err.open(QIODevice::ReadOnly);
        result.error = QStringLiteral("exit %1: %2 %3")
                           .arg(process.exitCode())
                           .arg(QString::fromUtf8(output.trimmed()), QString::fromUtf8(err.readAll().right(2000)));
    }
    return result;
}

void report(const char *what, const QList<double> &frame, const QList<double> &exit)
{
    std::printf("cold start → first frame, %d brands, %s data dir: min %.0f ms, median %.0f ms (n=%lld); "
                "to exit: min %.0f ms, median %.0f ms; target < 400 ms\n",
                kBrands, what, bench::minimum(frame), bench::median(frame), qlonglong(frame.size()),
                bench::minimum(exit), bench::median(exit));
}
} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    const int count = bench::countOption(app.arguments(), 5, QStringLiteral("Starts of each kind to time."));
    QTemporaryDir temp;
    const QString catalog = temp.filePath(QStringLiteral("catalog-500.json"));
    if (const QString error = test::writeGeneratedCatalog(catalog, kBrands); !error.isEmpty()) {
        std::fprintf(stderr, "bench-cold-start: %s\n", qPrintable(error));
        return 1;
    }

    // Fresh: first boot of an installed kiosk (device key, catalog cache and outbox created).
    QList<double> freshFrame, freshExit;
    for (int i = 0; i < count; ++i) {
        const Start s = startOnce(temp.filePath(QStringLiteral("fresh-%1").arg(i)), catalog);
        if (!s.error.isEmpty()) {
            std::fprintf(stderr, "bench-cold-start: fresh start failed: %s\n", qPrintable(s.error));
            return 1;
        }
        freshFrame << s.firstFrameMs;
        freshExit << s.exitMs;
    }
    // Warm: every later boot (catalog cached, outbox open with quick_check).
    const QString warmDir = temp.filePath(QStringLiteral("warm"));
    QList<double> warmFrame, warmExit;
    for (int i = -1; i < count; ++i) {
        const Start s = startOnce(warmDir, catalog);
        if (!s.error.isEmpty()) {
            std::fprintf(stderr, "bench-cold-start: warm start failed: %s\n", qPrintable(s.error));
            return 1;
        }
        if (i < 0)
            continue; // the first run only warms the data directory
        warmFrame << s.firstFrameMs;
        warmExit << s.exitMs;
    }
    report("fresh", freshFrame, freshExit);
    report("warm", warmFrame, warmExit);
    return 0;
}
