// One new-arrival event to N subscribers: poptap-delivery (its own process, SQLite, default
// limits) against the LINE emulator with LINE's real rate limits (multicast 200 req/s).
// Prints the time from POST /v1/events to the last multicast LINE accepted, as a ratio of the
// bound LINE's limits set (N / (200 × 500) seconds), the expansion time, the service's peak
// resident memory, and how many requests LINE had to refuse for their rate (must be 0).
//   bench-delivery-fanout --count 1000000
#include "benchstats.h"
#include "chains.h"
#include "emulatedservice.h"
#include "emulatorthread.h"
#include "servicedatabase.h"
#include "servicetesting.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QThread>

#include <algorithm>
#include <cstdio>

using namespace poptap;
using namespace poptap::delivery;

namespace {

constexpr int kBrandId = 7;
constexpr int kMulticastPerSecond = 200;
constexpr int kPerMulticast = 500;

qint64 residentKb(qint64 pid, const char *field)
{
    QFile status(QStringLiteral("/proc/%1/status").arg(pid));
    if (!status.open(QIODevice::ReadOnly))
        return 0;
    for (const QByteArray &line : status.readAll().split('\n'))
        if (line.startsWith(field))
            return line.mid(qstrlen(field)).trimmed().split(' ').first().toLongLong();
    return 0;
}

qint64 scalar(ServiceDatabase &db, const QString &sql)
{
    QSqlQuery q(db.handle());
    return q.exec(sql) && q.next() ? q.value(0).toLongLong() : -1;
}

int fail(const QString &why)
{
    std::fprintf(stderr, "bench-delivery-fanout: %s\n", qPrintable(why));
    return 1;
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    const int subscribers = bench::countOption(app.arguments(), 50'000, QStringLiteral("subscribers"));
    QTemporaryDir dir;
    const QString database = servicetesting::testDatabase();
    const QString sqlite = dir.filePath(QStringLiteral("delivery.db"));

    // The database as an operator and a year of claims leave it.
    QString apiKey;
    ServiceDatabase db(QStringLiteral("bench"));
    if (const QString e = servicetesting::resetDatabase(database, sqlite); !e.isEmpty())
        return fail(e);
    if (QString e = db.open(database, sqlite); !e.isEmpty() || !(e = db.migrate()).isEmpty()
        || !(e = servicetesting::addDemoStore(db)).isEmpty())
        return fail(e);
    Chains chains(db);
    chains.add(1, QStringLiteral("soramado"), QStringLiteral("ソラマド"), QStringLiteral("Soramado"));
    chains.assignStore(servicetesting::kDemoStoreId, 1);
    chains.issueApiKey(1, &apiKey);
    if (const QString e = servicetesting::subscribeUsers(db, 0, subscribers, 1, kBrandId, servicetesting::kDemoStoreId);
        !e.isEmpty())
        return fail(e);

    bench::EmulatorThread line({});
    if (!line.start())
        return fail(QStringLiteral("the LINE emulator did not start"));
    const auto lineConfig = line.call([](lineemu::LineEmulator &e) { return e.config(); });
    const QString lineUrl = line.call([](lineemu::LineEmulator &e) { return e.baseUrl().toString(); });
    QFile config(dir.filePath(QStringLiteral("delivery.conf")));
    config.open(QIODevice::WriteOnly);
    config.write("[delivery]\n");
    config.close();

    servicetesting::ServiceProcess service(QStringLiteral(POPTAP_DELIVERY_BINARY));
    if (const QString e = service.start(servicetesting::argumentsAgainst(lineUrl, lineConfig, config.fileName(), dir.path(), database));
        !e.isEmpty())
        return fail(e);
    const quint16 port = service.port();
    const qint64 pid = service.pid();
    const qint64 idleKb = residentKb(pid, "VmRSS:");

    QNetworkAccessManager network;
    const QJsonObject event{{QStringLiteral("eventId"), QStringLiteral("bench-1")},
                            {QStringLiteral("type"), QStringLiteral("new_arrival")},
                            {QStringLiteral("brandId"), kBrandId},
                            {QStringLiteral("product"),
                             QJsonObject{{QStringLiteral("nameJa"), QStringLiteral("トレイルパーカー")},
                                         {QStringLiteral("imageUrl"), QStringLiteral("https://shop.example.jp/a.jpg")},
                                         {QStringLiteral("priceYen"), 16500},
                                         {QStringLiteral("url"), QStringLiteral("https://shop.example.jp/p/a")}}}};
    QElapsedTimer clock;
    clock.start();
    const servicetesting::HttpReply posted = servicetesting::httpRequest(
        network, "POST", QUrl(QStringLiteral("http://127.0.0.1:%1/v1/events").arg(port)),
        QJsonDocument(event).toJson(QJsonDocument::Compact), {{"Authorization", "Bearer " + apiKey.toUtf8()}});
    if (posted.status != 202)
        return fail(QStringLiteral("the event was not accepted: %1").arg(QString::fromUtf8(posted.body)));
    const double acceptedMs = clock.nsecsElapsed() / 1e6;

    const qint64 batches = (subscribers + kPerMulticast - 1) / kPerMulticast;
    const qint64 limitS = qint64(subscribers) * 10 + 120;
    qint64 sent = 0;
    while (sent < batches && clock.elapsed() < limitS * 1000) {
        QThread::msleep(20);
        sent = scalar(db, QStringLiteral("SELECT COUNT(*) FROM delivery_batch WHERE state = 'sent'"));
    }
    const double doneS = clock.nsecsElapsed() / 1e9;
    const qint64 peakKb = residentKb(pid, "VmHWM:");
    service.stop();
    if (sent < batches)
        return fail(QStringLiteral("only %1 of %2 multicasts were sent").arg(sent).arg(batches));

    struct Tally {
        qint64 deliveries = 0;
        qint64 refused = 0;
        QList<qint64> arrivalsMs; // of every multicast LINE received
    };
    const Tally tally = line.call([](lineemu::LineEmulator &e) {
        Tally t;
        for (const auto &r : e.requests(lineemu::LineEndpoint::Multicast)) {
            t.refused += r.outcome == QLatin1String("rate-limited");
            t.arrivalsMs.append(r.receivedAt.toMSecsSinceEpoch());
        }
        t.deliveries = e.deliveries().size();
        return t;
    });
    // The busiest second at LINE (at most the limit), and the rate from the first multicast to
    // the last (the limit less the limiter's 5 % allowance, when sending is what takes the time).
    int busiest = 0;
    for (qsizetype first = 0, last = 0; last < tally.arrivalsMs.size(); ++last) {
        while (tally.arrivalsMs[last] - tally.arrivalsMs[first] >= 1000)
            ++first;
        busiest = std::max(busiest, int(last - first + 1));
    }
    const double sendingS = tally.arrivalsMs.size() > 1 ? (tally.arrivalsMs.last() - tally.arrivalsMs.first()) / 1000.0 : 0;
    const double expansionS = scalar(db, QStringLiteral("SELECT expanded_at - received_at FROM product_event")) / 1000.0;
    const double boundS = double(subscribers) / (kMulticastPerSecond * kPerMulticast);
    std::printf("fan-out of one event to %d subscribers (%lld multicasts) on %s\n", subscribers, batches,
                qPrintable(db.describe().section(u' ', 0, 0)));
    std::printf("  accepted (202)         %8.1f ms\n", acceptedMs);
    std::printf("  expansion              %8.2f s\n", expansionS);
    std::printf("  last multicast sent    %8.2f s   bound set by LINE's limits %.2f s   ratio %.2f\n", doneS, boundS,
                doneS / boundS);
    std::printf("  multicasts per second  %8.1f     from the first to the last; busiest second %d (limit %d)\n",
                sendingS > 0 ? (tally.arrivalsMs.size() - 1) / sendingS : 0.0, busiest, kMulticastPerSecond);
    std::printf("  LINE deliveries        %8lld     refused for rate %lld\n", tally.deliveries, tally.refused);
    std::printf("  service memory         idle %lld MB, peak %lld MB\n", idleKb / 1024, peakKb / 1024);
    return tally.deliveries == subscribers && tally.refused == 0 && busiest <= kMulticastPerSecond ? 0 : fail(QStringLiteral("deliveries do not add up"));
}
