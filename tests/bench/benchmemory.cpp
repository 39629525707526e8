// Resident memory of the real binary across simulated shopper sessions, each driven
// over the automation socket: start, selectBrand, phoneRead (the sim NFC tag is read),
// back. VmRSS from /proc/<pid>/status, always sampled on the attract screen.
#include "benchstats.h"
#include "kioskprocess.h"
#include "testcatalog.h"

#include <QCoreApplication>
#include <QFile>
#include <QJsonArray>
#include <QJsonObject>
#include <QRegularExpression>
#include <QThread>

#include <cstdio>

using namespace poptap;

namespace {
constexpr int kWarmUpSessions = 100;

// A field of /proc/<pid>/status in KiB, or -1.
qint64 statusKiB(qint64 pid, const char *field)
{
    QFile file(QStringLiteral("/proc/%1/status").arg(pid));
    if (!file.open(QIODevice::ReadOnly))
        return -1;
    const QRegularExpression pattern(QStringLiteral("^%1:\\s+(\\d+) kB$").arg(QLatin1String(field)),
                                     QRegularExpression::MultilineOption);
    const QRegularExpressionMatch match = pattern.match(QString::fromLatin1(file.readAll()));
    return match.hasMatch() ? match.captured(1).toLongLong() : -1;
}

double mib(qint64 kib)
{
    return kib / 1024.0;
}

bool ok(const QJsonObject &reply)
{
    return reply.value(QLatin1String("ok")).toBool();
}
} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    const int count = bench::countOption(app.arguments(), 1000, QStringLiteral("Shopper sessions to simulate."));

    QList<int> brandIds;
    const QJsonArray brands = test::demoCatalog().value(QLatin1String("brands")).toArray();
    for (const QJsonValue &b : brands)
        if (b.toObject().value(QLatin1String("enabled")).toBool(true))
            brandIds << b.toObject().value(QLatin1String("id")).toInt();

    // Long timeouts: the sessions end by "back", as a shopper tapping through would.
    test::KioskProcess kiosk({QStringLiteral("--catalog-seed"), test::demoCatalogPath(), QStringLiteral("--idle-timeout"),
                              QStringLiteral("3600"), QStringLiteral("--code-timeout"), QStringLiteral("600"),
                              QStringLiteral("--done-timeout"), QStringLiteral("120")});
    if (!kiosk.start()) {
        std::fprintf(stderr, "bench-memory: %s\n", qPrintable(kiosk.diagnostics()));
        return 1;
    }
    QThread::msleep(500); // let the first frames settle
    const qint64 atStart = statusKiB(kiosk.pid(), "VmRSS");
    qint64 warm = atStart;

    QElapsedTimer clock;
    clock.start();
    for (int i = 0; i < count; ++i) {
        const int brandId = brandIds.at(i % brandIds.size());
        const bool done = ok(kiosk.call(test::KioskProcess::command("start")))
                          && ok(kiosk.call(test::KioskProcess::command("selectBrand", {{QStringLiteral("brandId"), brandId}})))
                          && kiosk.waitForScreen(QStringLiteral("Code"), 5000)
                          && ok(kiosk.call(test::KioskProcess::command("phoneRead")))
                          && kiosk.waitForScreen(QStringLiteral("Done"), 5000)
                          && ok(kiosk.call(test::KioskProcess::command("back")))
                          && kiosk.waitForScreen(QStringLiteral("Attract"), 5000);
        if (!done) {
            std::fprintf(stderr, "bench-memory: session %d failed\n%s\n", i + 1, qPrintable(kiosk.diagnostics()));
            return 1;
        }
        if (i + 1 == kWarmUpSessions)
            warm = statusKiB(kiosk.pid(), "VmRSS");
    }
    const double seconds = clock.elapsed() / 1000.0;
    QThread::msleep(500);
    const qint64 after = statusKiB(kiosk.pid(), "VmRSS");
    const qint64 peak = statusKiB(kiosk.pid(), "VmHWM");
    const int reads = kiosk.state().value(QLatin1String("phoneReads")).toInt();
    kiosk.stop();

    std::printf("kiosk resident memory: %.1f MiB after start, %.1f MiB after %d sessions (peak %.1f MiB); "
                "growth %+.1f %% since start",
                mib(atStart), mib(after), count, mib(peak), 100.0 * double(after - atStart) / double(atStart));
    if (count > kWarmUpSessions)
        std::printf(", %+.1f %% since the first %d sessions (%.1f MiB)", 100.0 * double(after - warm) / double(warm),
                    kWarmUpSessions, mib(warm));
    std::printf("; target < 150 MiB, < 5 %% growth over 10,000 sessions\n");
    std::printf("  %d sessions in %.1f s (%.1f ms each), %d phone reads\n", count, seconds, 1000.0 * seconds / count, reads);
    return 0;
}
