// Registrations ingested per second: enrolled kiosks upload signed POST /v1/registrations
// batches (Idempotency-Key, tokens made with the device's key) to a real DeliveryServer on
// loopback, each kiosk one batch at a time as its sync engine does. SQLite by default,
// PostgreSQL when POPTAP_TEST_DATABASE names one.
#include "benchkiosk.h"
#include "benchserver.h"
#include "benchstats.h"
#include "httpload.h"

#include "wire/registrationwire.h"

#include <QCoreApplication>
#include <QNetworkAccessManager>

#include <cstdio>
#include <vector>

using namespace poptap;

namespace {

int fail(const QString &why)
{
    std::fprintf(stderr, "bench-delivery-ingest: %s\n", qPrintable(why));
    return 1;
}

// Checks one answer: 200 and every intent of the batch accepted, in order. Empty when fine.
QString checkAnswer(const bench::LoadResult &answer, const wire::RegistrationBatch &sent)
{
    if (answer.status != 200)
        return QStringLiteral("answered %1 %2 %3").arg(answer.status).arg(answer.error, QString::fromUtf8(answer.body.left(300)));
    const auto parsed = wire::RegistrationBatchResponse::fromJson(answer.body);
    if (!parsed.ok())
        return QStringLiteral("unreadable answer: ") + QString::fromUtf8(answer.body.left(300));
    if (!parsed.value->mismatchesWith(sent).isEmpty())
        return QStringLiteral("the answer is about another batch");
    for (const wire::RegistrationResult &r : parsed.value->results)
        if (r.status != wire::RegistrationStatus::Accepted)
            return QStringLiteral("intent %1 was %2 %3").arg(r.intentId, wire::statusName(r.status), r.reason);
    return {};
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    const QList<int> options = bench::intOptions(
        app.arguments(),
        {{QStringLiteral("count"), QStringLiteral("Batches to upload in all."), 10, 1},
         {QStringLiteral("batch-size"), QStringLiteral("Intents per batch (the protocol allows up to 500)."),
          wire::RegistrationBatch::kMaxIntents, 1},
         {QStringLiteral("kiosks"), QStringLiteral("Enrolled kiosks uploading at the same time."), 1, 1}});
    const int batches = options.at(0);
    const int batchSize = std::min(options.at(1), int(wire::RegistrationBatch::kMaxIntents));
    const int kiosks = options.at(2);

    bench::BenchServer service;
    delivery::ServiceConfig config;
    config.lineChannelSecret = QStringLiteral("bench-channel-secret"); // required; no webhook is sent here
    if (const QString error = service.start(config); !error.isEmpty())
        return fail(QStringLiteral("the service did not start: ") + error);

    QNetworkAccessManager network;
    std::vector<bench::BenchKiosk> enrolled;
    for (int k = 0; k < kiosks; ++k) {
        QString error;
        const auto kiosk = bench::enrollKiosk(service, network, 0x1b000001 + std::uint32_t(k), &error);
        if (!kiosk)
            return fail(QStringLiteral("kiosk %1 did not enroll: %2").arg(k).arg(error));
        enrolled.push_back(*kiosk);
    }

    // Batches are made up front so token issuing (500 HMACs) is not timed as the service's;
    // only the request signature is made at send time, as its timestamp must be fresh.
    const auto n = static_cast<size_t>(batches);
    std::vector<wire::RegistrationBatch> planned(n);
    std::vector<QByteArray> bodies(n);
    std::vector<QByteArray> idempotencyKeys(n);
    for (int i = 0; i < batches; ++i) {
        const bench::BenchKiosk &kiosk = enrolled[size_t(i % kiosks)];
        for (int item = 0; item < batchSize; ++item) {
            const auto sequence = std::uint32_t(i * batchSize + item + 1);
            planned[size_t(i)].intents.append(kiosk.intent(sequence, sequence % bench::kDemoBrands + 1));
        }
        bodies[size_t(i)] = planned[size_t(i)].toJson();
        idempotencyKeys[size_t(i)] = wire::newIdempotencyKey();
    }

    // Batch i carries kiosk i % kiosks's tokens, so that kiosk signs it. The clients take
    // batches in turn, so with several kiosks one may briefly have two batches in flight.
    bench::HttpLoad load(service.url({}), kiosks, batches, [&](int index, int) {
        const bench::BenchKiosk &kiosk = enrolled[size_t(index % kiosks)];
        bench::LoadRequest request;
        request.path = "/v1/registrations";
        request.body = bodies[size_t(index)];
        request.headers = kiosk.sign(request.method, request.path, request.body);
        request.headers.append({QByteArray(wire::kIdempotencyKeyHeader), idempotencyKeys[size_t(index)]});
        return request;
    });
    load.setKeepBodies(true);
    const bench::LoadRun run = load.run();

    for (int i = 0; i < batches; ++i)
        if (const QString problem = checkAnswer(run.results.at(i), planned[size_t(i)]); !problem.isEmpty())
            return fail(QStringLiteral("batch %1: %2").arg(i).arg(problem));
    const qint64 intents = qint64(batches) * batchSize;
    const qint64 stored = service.count(QStringLiteral("SELECT count(*) FROM registration"));
    if (stored != intents)
        return fail(QStringLiteral("%1 intents accepted but %2 stored").arg(intents).arg(stored));

    const QList<double> latency = run.latenciesMs();
    std::printf("registration ingest: %.1f batches/s, %.0f intents/s (%d batches of %d from %d kiosk(s), %lld intents "
                "in %.2f s)\n",
                batches / run.seconds, double(intents) / run.seconds, batches, batchSize, kiosks,
                static_cast<long long>(intents), run.seconds);
    std::printf("  per batch: p50 %.1f ms, p99 %.1f ms, max %.1f ms\n", bench::median(latency),
                bench::percentile(latency, 99), bench::maximum(latency));
    std::printf("  database: %s\n", qPrintable(service.describeDatabase()));
    std::printf("  %s\n", qPrintable(load.describe()));
    std::printf("  DESIGN.md names no ingest target; related: drain of 100,000 queued intents to a local service "
                "< 60 s (>= 1,667 intents/s end to end). At this rate the service alone takes %.1f s for 100,000.\n",
                100000.0 * run.seconds / double(intents));
    return 0;
}
