// Claims end to end: tokens issued as an enrolled kiosk issues them, ID tokens from the
// LINE emulator, POST /v1/claims from concurrent clients; the service verifies each ID
// token at the emulator, records the subscription and queues + sends the confirmation
// push. Every claim must end in exactly one push delivered, per the emulator's log.
#include "benchkiosk.h"
#include "benchserver.h"
#include "benchstats.h"
#include "emulatorthread.h"
#include "httpload.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QHash>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QTimer>

#include <cstdio>
#include <vector>

using namespace poptap;
using lineemu::LineEmulator;
using lineemu::LineEndpoint;

namespace {

constexpr int kDeliveryTimeoutMs = 120000;
constexpr int kQuietMs = 300; // after the last push: long enough for a duplicate to show up

int fail(const QString &why)
{
    std::fprintf(stderr, "bench-delivery-claims: %s\n", qPrintable(why));
    return 1;
}

// Runs the service's event loop until `done` says so or `timeoutMs` pass; false on timeout.
template<typename Done>
bool serveUntil(Done done, int timeoutMs)
{
    QElapsedTimer clock;
    clock.start();
    QEventLoop loop;
    QTimer poll;
    bool met = false;
    QObject::connect(&poll, &QTimer::timeout, &loop, [&] {
        met = done();
        if (met || clock.elapsed() > timeoutMs)
            loop.quit();
    });
    poll.start(5);
    loop.exec();
    return met;
}

struct Shopper {
    QString userId;
    QString idToken;
};

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    const QList<int> options = bench::intOptions(
        app.arguments(),
        {{QStringLiteral("count"), QStringLiteral("Claims in all, each by another shopper."), 200, 1},
         {QStringLiteral("clients"), QStringLiteral("Shoppers' phones claiming at the same time."), 8, 1},
         {QStringLiteral("push-limit"), QStringLiteral("The emulator's push limit per second (0: none)."),
          lineemu::defaultRateLimit(LineEndpoint::Push), 0}});
    const int claims = options.at(0);
    const int clients = options.at(1);
    const int pushLimit = options.at(2);

    lineemu::LineEmulatorConfig lineConfig;
    lineConfig.requestLogLimit = 0; // keep every request: the counts below need all of them
    bench::EmulatorThread line(lineConfig);
    if (!line.start())
        return fail(QStringLiteral("the LINE emulator did not start"));
    line.call([pushLimit](LineEmulator &e) { e.setRateLimit(LineEndpoint::Push, pushLimit); });

    bench::BenchServer service;
    delivery::ServiceConfig config;
    config.lineApiBaseUrl = line.call([](LineEmulator &e) { return e.baseUrl().toString(); });
    config.lineChannelId = lineConfig.channelId;
    config.lineChannelSecret = lineConfig.channelSecret;
    config.lineChannelAccessToken = lineConfig.channelAccessToken;
    if (const QString error = service.start(config); !error.isEmpty())
        return fail(QStringLiteral("the service did not start: ") + error);

    QNetworkAccessManager network;
    QString error;
    const std::optional<bench::BenchKiosk> kiosk = bench::enrollKiosk(service, network, 0x1c000001, &error);
    if (!kiosk)
        return fail(QStringLiteral("the kiosk did not enroll: ") + error);

    // What the phones will send, made before the clock starts: the kiosk's token (its QR
    // code) and the shopper's ID token as liff.getIDToken() hands it over.
    const std::vector<Shopper> shoppers = line.call([claims](LineEmulator &e) {
        std::vector<Shopper> made;
        for (int i = 0; i < claims; ++i) {
            const QString userId = e.addUser({}).userId;
            lineemu::IdTokenClaims id;
            id.userId = userId;
            made.push_back({userId, e.issueIdToken(id)});
        }
        return made;
    });
    std::vector<QByteArray> bodies;
    for (int i = 0; i < claims; ++i) {
        const auto sequence = std::uint32_t(i + 1);
        const QString token = kiosk->intent(sequence, sequence % bench::kDemoBrands + 1).token;
        bodies.push_back(QJsonDocument(QJsonObject{{QStringLiteral("token"), token},
                                                   {QStringLiteral("idToken"), shoppers[size_t(i)].idToken}})
                             .toJson(QJsonDocument::Compact));
    }

    bench::HttpLoad load(service.url({}), clients, claims, [&](int index, int) {
        bench::LoadRequest request;
        request.path = "/v1/claims";
        request.body = bodies[size_t(index)];
        return request;
    });
    load.setKeepBodies(true);
    const bench::LoadRun run = load.run();
    QElapsedTimer sinceLastAnswer;
    sinceLastAnswer.start();

    for (int i = 0; i < claims; ++i) {
        const bench::LoadResult &r = run.results.at(i);
        const QString result = QJsonDocument::fromJson(r.body).object().value(QLatin1String("result")).toString();
        if (r.status != 200 || result != QLatin1String("subscribed"))
            return fail(QStringLiteral("claim %1 answered %2 %3 %4").arg(i).arg(r.status).arg(r.error, QString::fromUtf8(r.body)));
    }

    // The pushes go out after the answers (or alongside); wait for all, then a little more
    // so that a duplicate would be seen.
    const auto deliveredCount = [&] { return line.call([](LineEmulator &e) { return e.deliveries().size(); }); };
    if (!serveUntil([&] { return deliveredCount() >= claims; }, kDeliveryTimeoutMs))
        return fail(QStringLiteral("only %1 of %2 confirmation pushes delivered within %3 s")
                        .arg(deliveredCount()).arg(claims).arg(kDeliveryTimeoutMs / 1000));
    const QString sent = QStringLiteral("SELECT count(*) FROM push_outbox WHERE state = 'sent'");
    if (!serveUntil([&] { return service.count(sent) >= claims; }, kDeliveryTimeoutMs))
        return fail(QStringLiteral("the push outbox has %1 of %2 pushes marked sent").arg(service.count(sent)).arg(claims));
    serveUntil([] { return false; }, kQuietMs);

    // Exactly one push per claim, to the claiming shopper, per the emulator's log.
    const QList<lineemu::Delivery> deliveries = line.call([](LineEmulator &e) { return e.deliveries(); });
    if (deliveries.size() != claims)
        return fail(QStringLiteral("%1 deliveries for %2 claims").arg(deliveries.size()).arg(claims));
    QHash<QString, qint64> deliveredAtMs;
    for (const lineemu::Delivery &d : deliveries) {
        if (d.endpoint != QLatin1String("push") || deliveredAtMs.contains(d.userId))
            return fail(QStringLiteral("unexpected %1 delivery to %2").arg(d.endpoint, d.userId));
        deliveredAtMs.insert(d.userId, d.at.toMSecsSinceEpoch());
    }
    const auto requests = line.call([](LineEmulator &e) { return e.requests(); });
    int verifies = 0, verifiesRefused = 0, pushesAccepted = 0, pushesLimited = 0, pushesOther = 0;
    for (const lineemu::RecordedRequest &r : requests) {
        if (r.endpoint == QLatin1String("verify")) {
            ++(r.status == 200 ? verifies : verifiesRefused);
        } else if (r.endpoint == QLatin1String("push")) {
            if (r.outcome == QLatin1String("accepted"))
                ++pushesAccepted;
            else if (r.outcome == QLatin1String("rate-limited"))
                ++pushesLimited; // LINE's 429: the sender backs off and retries with the same key
            else
                ++pushesOther;
        }
    }
    if (verifies != claims || verifiesRefused != 0 || pushesAccepted != claims || pushesOther != 0)
        return fail(QStringLiteral("LINE saw %1 verifies accepted, %2 refused; %3 pushes accepted, %4 otherwise "
                                   "answered, for %5 claims")
                        .arg(verifies).arg(verifiesRefused).arg(pushesAccepted).arg(pushesOther).arg(claims));

    QList<double> tapToPush;
    qint64 lastDeliveryMs = 0;
    double lastAnswerNs = 0;
    for (int i = 0; i < claims; ++i) {
        const qint64 at = deliveredAtMs.value(shoppers[size_t(i)].userId, -1);
        if (at < 0)
            return fail(QStringLiteral("shopper %1 got no push").arg(i));
        tapToPush.append(double(at) - run.epochMs(run.results.at(i).sentNs));
        lastDeliveryMs = std::max(lastDeliveryMs, at);
        lastAnswerNs = std::max(lastAnswerNs, double(run.results.at(i).answeredNs));
    }

    const QList<double> latency = run.latenciesMs();
    std::printf("claims: %.0f claims/s; claim → answer p50 %.1f ms, p99 %.1f ms, max %.1f ms (%d claims from %d "
                "clients in %.2f s)\n",
                claims / run.seconds, bench::median(latency), bench::percentile(latency, 99), bench::maximum(latency),
                claims, clients, run.seconds);
    std::printf("  confirmation pushes: %d delivered, exactly one per claim; the last %.0f ms after the first claim was "
                "sent (%.0f ms after the last answer); claim sent → push delivered p50 %.0f ms, p99 %.0f ms\n",
                claims, double(lastDeliveryMs) - run.epochMs(0), double(lastDeliveryMs) - run.epochMs(qint64(lastAnswerNs)),
                bench::median(tapToPush), bench::percentile(tapToPush, 99));
    std::printf("  LINE emulator on its own thread: %d ID-token verifies (no limit), push limit %s; %d pushes refused "
                "429 and retried\n",
                verifies, pushLimit > 0 ? qPrintable(QStringLiteral("%1/s").arg(pushLimit)) : "none", pushesLimited);
    std::printf("  database: %s\n", qPrintable(service.describeDatabase()));
    std::printf("  %s\n", qPrintable(load.describe()));
    std::printf("  DESIGN.md names no claims target; LINE allows push at 2,000 req/s\n");
    return 0;
}
