// LINE webhook → 2xx under load: concurrent connections post correctly signed webhook
// bodies (follow, message, unfollow in turn; unique webhookEventIds) to a real
// DeliveryServer on loopback; afterwards every event must be stored once and processed.
#include "benchserver.h"
#include "benchstats.h"
#include "httpload.h"
#include "webhookevents.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QJsonArray>
#include <QSet>
#include <QTimer>

#include <cstdio>

using namespace poptap;
using lineemu::WebhookEventSpec;

namespace {

const QString kChannelSecret = QStringLiteral("bench-channel-secret");
const QString kBotUserId = QStringLiteral("U0123456789abcdef0123456789abcdef");
constexpr int kProcessingTimeoutMs = 60000;

int fail(const QString &why)
{
    std::fprintf(stderr, "bench-delivery-webhook: %s\n", qPrintable(why));
    return 1;
}

// Event `index`: its type cycles follow → message → unfollow and its user cycles through
// the pool, so users are followed, talked to and blocked as in the field.
WebhookEventSpec::Type typeOf(int index)
{
    static constexpr WebhookEventSpec::Type cycle[] = {WebhookEventSpec::Type::Follow, WebhookEventSpec::Type::Message,
                                                       WebhookEventSpec::Type::Unfollow};
    return cycle[index % 3];
}

QString userOf(int index, int users)
{
    return QStringLiteral("U%1").arg(index % users, 32, 16, QLatin1Char('0'));
}

// The event's id is derived from its index, so uniqueness does not rest on randomness.
QString eventIdOf(int index)
{
    return QStringLiteral("01HBENCH%1").arg(index, 18, 10, QLatin1Char('0'));
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    const QList<int> options = bench::intOptions(
        app.arguments(), {{QStringLiteral("count"), QStringLiteral("Webhook requests in all (one event each)."), 600, 1},
                          {QStringLiteral("connections"), QStringLiteral("Concurrent connections LINE delivers on."), 16, 1},
                          {QStringLiteral("users"), QStringLiteral("Distinct LINE users the events are about."), 64, 1}});
    const int requests = options.at(0);
    const int connections = options.at(1);
    const int users = options.at(2);

    bench::BenchServer service;
    delivery::ServiceConfig config;
    config.lineChannelSecret = kChannelSecret;
    // Messages without a registration token get no reply, so LINE is never called; a
    // closed port makes sure a mistake shows as an error rather than reaching the internet.
    config.lineApiBaseUrl = QStringLiteral("http://127.0.0.1:9");
    if (const QString error = service.start(config); !error.isEmpty())
        return fail(QStringLiteral("the service did not start: ") + error);

    bench::HttpLoad load(service.url({}), connections, requests, [&](int index, int) {
        WebhookEventSpec spec;
        spec.type = typeOf(index);
        spec.userId = userOf(index, users);
        spec.webhookEventId = eventIdOf(index);
        spec.text = QStringLiteral("新作はいつ入りますか？ #%1").arg(index);
        const qint64 now = QDateTime::currentMSecsSinceEpoch();
        const QByteArray body =
            lineemu::buildWebhookBody(kBotUserId, QJsonArray{lineemu::buildWebhookEvent(spec, false, now)});
        bench::LoadRequest request;
        request.path = "/line/webhook";
        request.body = body;
        request.headers = {{"x-line-signature", lineemu::webhookSignature(kChannelSecret.toUtf8(), body)}};
        return request;
    });
    const bench::LoadRun run = load.run();
    QElapsedTimer sinceLastAnswer;
    sinceLastAnswer.start();

    for (int i = 0; i < requests; ++i) {
        const bench::LoadResult &r = run.results.at(i);
        if (r.status != 200)
            return fail(QStringLiteral("request %1 answered %2 %3").arg(i).arg(r.status).arg(r.error));
    }

    // The service answers before applying events; wait until it has applied every one.
    const QString processed = QStringLiteral("SELECT count(*) FROM webhook_event WHERE processed_at IS NOT NULL"
                                             " AND outcome <> 'handling'");
    QEventLoop waiting;
    QTimer poll;
    QObject::connect(&poll, &QTimer::timeout, &waiting, [&] {
        if (service.count(processed) >= requests || sinceLastAnswer.elapsed() > kProcessingTimeoutMs)
            waiting.quit();
    });
    poll.start(5);
    waiting.exec();
    const double processedAfterMs = double(sinceLastAnswer.nsecsElapsed()) / 1e6;

    // Counts must add up: each event stored once, each applied with the outcome of its type.
    QSet<QString> friendshipUsers;
    int follows = 0, unfollows = 0, messages = 0;
    for (int i = 0; i < requests; ++i) {
        switch (typeOf(i)) {
        case WebhookEventSpec::Type::Follow: ++follows; friendshipUsers.insert(userOf(i, users)); break;
        case WebhookEventSpec::Type::Unfollow: ++unfollows; friendshipUsers.insert(userOf(i, users)); break;
        default: ++messages; break;
        }
    }
    const auto expect = [&](const QString &what, const QString &sql, qint64 wanted) -> QString {
        const qint64 got = service.count(sql);
        return got == wanted ? QString() : QStringLiteral("%1: %2, expected %3").arg(what).arg(got).arg(wanted);
    };
    for (const QString &problem :
         {expect(QStringLiteral("events stored"), QStringLiteral("SELECT count(*) FROM webhook_event"), requests),
          expect(QStringLiteral("events processed"), processed, requests),
          expect(QStringLiteral("follows applied"),
                 QStringLiteral("SELECT count(*) FROM webhook_event WHERE type = 'follow' AND outcome = 'friend'"), follows),
          expect(QStringLiteral("unfollows applied"),
                 QStringLiteral("SELECT count(*) FROM webhook_event WHERE type = 'unfollow' AND outcome = 'not-friend'"),
                 unfollows),
          expect(QStringLiteral("messages handled"),
                 QStringLiteral("SELECT count(*) FROM webhook_event WHERE type = 'message' AND outcome = 'no-token'"),
                 messages),
          expect(QStringLiteral("LINE users known"), QStringLiteral("SELECT count(*) FROM line_user"),
                 friendshipUsers.size())})
        if (!problem.isEmpty())
            return fail(problem);

    const QList<double> latency = run.latenciesMs();
    std::printf("webhook → 2xx: p50 %.1f ms, p99 %.1f ms, max %.1f ms; %.0f requests/s (%d requests, one event each, "
                "over %d connections, in %.2f s); LINE wants 2xx within ~2 s (DESIGN.md)\n",
                bench::median(latency), bench::percentile(latency, 99), bench::maximum(latency), requests / run.seconds,
                requests, connections, run.seconds);
    // A growing inbox must not slow the answer down: compare the first and last tenth.
    const qsizetype tenth = std::max<qsizetype>(1, latency.size() / 10);
    std::printf("  p50 of the first tenth %.1f ms, of the last tenth %.1f ms\n", bench::median(latency.first(tenth)),
                bench::median(latency.last(tenth)));
    std::printf("  all %d events stored once and applied (%d follow, %d message, %d unfollow; %lld users) %.0f ms "
                "after the last 2xx\n",
                requests, follows, messages, unfollows, static_cast<long long>(friendshipUsers.size()), processedAfterMs);
    std::printf("  database: %s\n", qPrintable(service.describeDatabase()));
    std::printf("  %s\n", qPrintable(load.describe()));
    return 0;
}
