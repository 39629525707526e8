// Upload throughput over a slow link: the fault proxy adds 100 ms (--latency-ms) before every
// request reaches poptap-delivery (its own process), and the kiosk's sync path drains N queued
// intents through it. Prints intents/s and each batch's round trip as the proxy timed it
// (request read to answer delivered, the latency included).
#include "benchstats.h"
#include "faultproxy.h"
#include "syncbench.h"

#include <QCoreApplication>
#include <QLoggingCategory>
#include <QTemporaryDir>

#include <cstdio>

using namespace poptap;
using poptap::faultproxy::FaultSpec;

namespace {
int fail(const QString &why)
{
    return bench::failed("bench-sync-latency", why);
}
} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QLoggingCategory::setFilterRules(QStringLiteral("poptap.faultproxy.debug=false")); // a line per request
    const QList<int> options = bench::intOptions(
        app.arguments(),
        {{QStringLiteral("count"), QStringLiteral("Queued intents to drain."), 20000, 1},
         {QStringLiteral("latency-ms"), QStringLiteral("Added before each request reaches the service."), 100, 0},
         {QStringLiteral("batch-size"), QStringLiteral("Intents per upload (the kiosk's default: 500)."), 500, 1}});
    const int count = options.at(0);
    const int latencyMs = options.at(1);
    const int batchSize = options.at(2);

    QTemporaryDir dir;
    if (!dir.isValid())
        return fail(QStringLiteral("no temporary directory"));
    bench::DeliveryProcess service;
    if (const QString error = service.start(dir.filePath(QStringLiteral("service"))); !error.isEmpty())
        return fail(error);
    faultproxy::FaultProxy proxy;
    if (!proxy.start(QStringLiteral("127.0.0.1"), service.port()))
        return fail(QStringLiteral("the fault proxy did not start"));
    if (latencyMs > 0)
        proxy.injectFault(FaultSpec::latency(latencyMs).times(0)); // every request, enrollment included

    const QString dataDir = dir.filePath(QStringLiteral("kiosk"));
    if (const bench::Fill fill = bench::fillOutbox(dataDir, count, 0); !fill.error.isEmpty())
        return fail(QStringLiteral("the outbox could not be filled: ") + fill.error);

    QList<double> roundTrips;
    QList<double> failedTrips;
    QObject::connect(&proxy, &faultproxy::FaultProxy::requestFinished, &app, [&](const faultproxy::RequestRecord &r) {
        if (r.method != QLatin1String("POST") || r.target != QLatin1String("/v1/registrations"))
            return;
        (r.clientStatus == 200 && r.outcome == QLatin1String("answered") ? roundTrips : failedTrips)
            .append(double(r.elapsedMs));
    });
    const QUrl viaProxy(QStringLiteral("http://127.0.0.1:%1").arg(proxy.port()));
    const bench::Drain drain = bench::drainOutbox(dataDir, viaProxy, service.enrollmentCode(), batchSize,
                                                  std::max(600000, count * 10));
    if (!drain.synced)
        return fail(QStringLiteral("not drained after %1 s: %2").arg(drain.seconds).arg(drain.detail));
    QString error;
    const std::optional<bench::DeliveryProcess::Holdings> checked = bench::stopAndCheck(service, dataDir, &error);
    if (!checked)
        return fail(error);
    const bench::DeliveryProcess::Holdings &held = *checked;
    if (roundTrips.size() != held.batches)
        return fail(QStringLiteral("the proxy saw %1 answered batches, the service stored %2")
                        .arg(roundTrips.size()).arg(held.batches));

    std::printf("sync upload with %d ms latency: %d intents in %.2f s, %.0f intents/s, %lld batches of up to %d "
                "(enrollment included)\n",
                latencyMs, count, drain.seconds, count / drain.seconds, static_cast<long long>(held.batches), batchSize);
    std::printf("  batch round trip at the proxy: p50 %.0f ms, p99 %.0f ms, max %.0f ms; %lld batch request(s) "
                "failed and were sent again\n",
                bench::median(roundTrips), bench::percentile(roundTrips, 99), bench::maximum(roundTrips),
                static_cast<long long>(failedTrips.size()));
    std::printf("  the service holds each of the %d intents exactly once; every one is acknowledged in the outbox\n",
                count);
    std::printf("  one batch in flight at a time: the ceiling is %d intents per (latency + service time)\n", batchSize);
    return 0;
}
