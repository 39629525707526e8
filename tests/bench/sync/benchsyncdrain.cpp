// Drain of N queued intents (DESIGN.md: 100,000 to a local service in < 60 s, memory bounded):
// the outbox is filled first, then the kiosk's sync path (the engine on the outbox thread,
// batches of 500) enrolls and uploads everything to poptap-delivery, which runs as its own
// process so that the resident memory printed here is the kiosk side's alone.
#include "benchstats.h"
#include "syncbench.h"

#include <QCoreApplication>
#include <QTemporaryDir>

#include <cstdio>

using namespace poptap;

namespace {
constexpr int kDurableCommits = 2000; // timed as the kiosk commits; the rest of the fill goes faster

int fail(const QString &why)
{
    return bench::failed("bench-sync-drain", why);
}
} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    const QList<int> options = bench::intOptions(
        app.arguments(),
        {{QStringLiteral("count"), QStringLiteral("Queued intents to drain (DESIGN.md's target is about 100000)."), 20000, 1},
         {QStringLiteral("batch-size"), QStringLiteral("Intents per upload (the kiosk's default: 500)."), 500, 1}});
    const int count = options.at(0);
    const int batchSize = options.at(1);

    QTemporaryDir dir;
    if (!dir.isValid())
        return fail(QStringLiteral("no temporary directory"));
    bench::DeliveryProcess service;
    if (const QString error = service.start(dir.filePath(QStringLiteral("service"))); !error.isEmpty())
        return fail(error);

    const QString dataDir = dir.filePath(QStringLiteral("kiosk"));
    const bench::Fill fill = bench::fillOutbox(dataDir, count, kDurableCommits);
    if (!fill.error.isEmpty())
        return fail(QStringLiteral("the outbox could not be filled: ") + fill.error);

    const double before = bench::MemorySampler::currentMiB();
    const bool peakReset = bench::MemorySampler::resetPeak();
    bench::MemorySampler sampler;
    sampler.start(20);
    const bench::Drain drain = bench::drainOutbox(dataDir, service.url(), service.enrollmentCode(), batchSize,
                                                  std::max(600000, count * 10));
    const double peakHwm = bench::MemorySampler::peakMiB();
    const double highestSample = sampler.highestSampleMiB(); // the checks below read whole id lists
    if (!drain.synced)
        return fail(QStringLiteral("not drained after %1 s: %2").arg(drain.seconds).arg(drain.detail));
    QString error;
    const std::optional<bench::DeliveryProcess::Holdings> checked = bench::stopAndCheck(service, dataDir, &error);
    if (!checked)
        return fail(error);
    const bench::DeliveryProcess::Holdings &held = *checked;

    std::printf("sync drain: %d intents in %.2f s, %.0f intents/s, %lld batches of up to %d, to poptap-delivery on "
                "loopback (its own process, SQLite)\n",
                count, drain.seconds, count / drain.seconds, static_cast<long long>(held.batches), batchSize);
    std::printf("  kiosk side resident memory: %.1f MiB before the drain, peak %.1f MiB (highest 20 ms sample %.1f), "
                "%.1f MiB when synced\n",
                before, peakReset ? peakHwm : -1.0, highestSample, drain.residentMiB);
    std::printf("  filling the outbox first (OutboxStore::commit, one intent per transaction): %d durable commits "
                "(synchronous=FULL) at %.0f/s, then %d without fsync at %.0f/s\n",
                fill.durableCommits, fill.durableCommits / fill.durableSeconds, fill.fastCommits,
                fill.fastCommits > 0 ? fill.fastCommits / fill.fastSeconds : 0.0);
    std::printf("  the service holds each of the %d intents exactly once; every one is acknowledged in the outbox\n",
                count);
    std::printf("  DESIGN.md target: 100,000 in < 60 s, memory bounded. At this rate 100,000 take %.1f s.\n",
                100000.0 * drain.seconds / count);
    return 0;
}
