// The fan-out survives what production does to it: poptap-delivery killed with SIGKILL in
// the middle of an event and started again, and (on PostgreSQL) two instances sharing one
// database. The service runs as its own process; LINE is the emulator in this process, with
// its real rate limits, so an overrun would show as a 429 in its log.
#include "chains.h"
#include "lineemulator.h"
#include "registrationtoken.h"
#include "emulatedservice.h"
#include "servicetesting.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

using namespace poptap;
using namespace poptap::delivery;
using lineemu::LineEmulator;
using lineemu::LineEndpoint;

namespace {
constexpr std::int64_t kChainId = 1;
constexpr std::int64_t kStoreId = servicetesting::kDemoStoreId;
constexpr int kBrandId = 7;
const QString kServiceBinary = QStringLiteral(POPTAP_DELIVERY_BINARY);
constexpr int kMulticastPerSecond = 40; // slower than LINE, so that a kill lands mid-event
using Reply = servicetesting::HttpReply;
using servicetesting::ServiceProcess;

} // namespace

class FanOutCrashTest : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    QString m_database = servicetesting::testDatabase();
    std::unique_ptr<LineEmulator> m_line;
    std::unique_ptr<ServiceDatabase> m_db;
    QNetworkAccessManager m_network;
    QString m_apiKey;

    QStringList serviceArguments() const
    {
        return servicetesting::argumentsAgainst(m_line->baseUrl().toString(), m_line->config(),
                                                m_dir.filePath(QStringLiteral("delivery.conf")), m_dir.path(), m_database)
            << QStringLiteral("--multicast-per-second") << QString::number(kMulticastPerSecond);
    }

    Reply post(quint16 port, const QString &eventId)
    {
        const QJsonObject event{{QStringLiteral("eventId"), eventId},
                                {QStringLiteral("type"), QStringLiteral("new_arrival")},
                                {QStringLiteral("brandId"), kBrandId},
                                {QStringLiteral("product"),
                                 QJsonObject{{QStringLiteral("nameJa"), QStringLiteral("トレイルパーカー")},
                                             {QStringLiteral("imageUrl"), QStringLiteral("https://shop.example.jp/a.jpg")},
                                             {QStringLiteral("url"), QStringLiteral("https://shop.example.jp/p/a")}}}};
        return servicetesting::httpRequest(m_network, "POST", QUrl(QStringLiteral("http://127.0.0.1:%1/v1/events").arg(port)),
                                           QJsonDocument(event).toJson(QJsonDocument::Compact),
                                           {{"Authorization", "Bearer " + m_apiKey.toUtf8()}});
    }

    qint64 count(const QString &sql)
    {
        QSqlQuery q(m_db->handle());
        return q.exec(sql) && q.next() ? q.value(0).toLongLong() : -1;
    }

    void subscribe(int users)
    {
        QCOMPARE(servicetesting::subscribeUsers(*m_db, 0, users, int(RegistrationKind::BrandInterest), kBrandId, kStoreId),
                 QString());
    }

    // Every user got exactly one message, and LINE never had to refuse a request for its rate.
    void verifyExactlyOnce(int users)
    {
        QHash<QString, int> perUser;
        for (const lineemu::Delivery &d : m_line->deliveries())
            ++perUser[d.userId];
        QCOMPARE(perUser.size(), users);
        for (auto it = perUser.cbegin(); it != perUser.cend(); ++it)
            QVERIFY2(it.value() == 1, qPrintable(QStringLiteral("%1 got %2 messages").arg(it.key()).arg(it.value())));
        for (const lineemu::RecordedRequest &r : m_line->requests(LineEndpoint::Multicast))
            QVERIFY2(r.outcome != QLatin1String("rate-limited"), "a multicast overran LINE's rate limit");
    }

private Q_SLOTS:
    void init()
    {
        QCOMPARE(servicetesting::resetDatabase(m_database, m_dir.filePath(QStringLiteral("delivery.db"))), QString());
        QFile config(m_dir.filePath(QStringLiteral("delivery.conf"))); // everything else is on the command line
        QVERIFY(config.open(QIODevice::WriteOnly) && config.write("[delivery]\n") > 0);
        m_line = std::make_unique<LineEmulator>();
        QVERIFY(m_line->start());
        m_line->setRateLimit(LineEndpoint::Multicast, kMulticastPerSecond);
        m_db = std::make_unique<ServiceDatabase>(QStringLiteral("fanoutcrashtest"));
        QCOMPARE(m_db->open(m_database, m_dir.filePath(QStringLiteral("delivery.db"))), QString());
        QCOMPARE(m_db->migrate(), QString());
        QCOMPARE(servicetesting::addDemoStore(*m_db), QString());
        Chains chains(*m_db);
        QCOMPARE(chains.add(kChainId, QStringLiteral("soramado"), QStringLiteral("ソラマド"), QStringLiteral("Soramado")), QString());
        QCOMPARE(chains.assignStore(kStoreId, kChainId), QString());
        QCOMPARE(chains.issueApiKey(kChainId, &m_apiKey), QString());
    }

    void cleanup()
    {
        m_db.reset();
        m_line.reset();
    }

    // Killed once just after the event was accepted (expansion under way) and once while
    // multicasts are going out; each restart picks up where the last left off.
    void killedTwiceDuringAnEventNoOneIsSkippedOrServedTwice()
    {
        constexpr int kUsers = 40'000; // 80 multicasts: two seconds at 40 a second
        subscribe(kUsers);
        ServiceProcess first(kServiceBinary);
        QCOMPARE(first.start(serviceArguments()), QString());
        QCOMPARE(post(first.port(), QStringLiteral("crash-1")).status, 202);
        QTest::qWait(20);
        first.kill();

        ServiceProcess second(kServiceBinary);
        QCOMPARE(second.start(serviceArguments()), QString());
        QTRY_VERIFY_WITH_TIMEOUT(m_line->deliveries().size() >= kUsers / 3, 30000);
        second.kill();
        const qsizetype beforeRestart = m_line->deliveries().size();
        QVERIFY2(beforeRestart < kUsers, "the event was over before the kill");

        ServiceProcess third(kServiceBinary);
        QCOMPARE(third.start(serviceArguments()), QString());
        // Batches the killed instance had leased wait for their leases to run out.
        QTRY_VERIFY_WITH_TIMEOUT(count(QStringLiteral("SELECT COUNT(*) FROM delivery_batch WHERE state <> 'sent'")) == 0
                                     && count(QStringLiteral("SELECT COUNT(*) FROM delivery_batch")) == kUsers / 500,
                                 60000);
        verifyExactlyOnce(kUsers);
        qInfo("%lld of %d messages had gone out at the second kill", qint64(beforeRestart), kUsers);
    }

    // Two instances on one PostgreSQL database share an event's batches without sending any
    // twice, and together stay within LINE's rate limit.
    void twoInstancesShareTheWork()
    {
        if (m_database.isEmpty())
            QSKIP("several instances share a PostgreSQL database; SQLite is for one");
        // 240 multicasts, six seconds: more than one instance claims ahead (two seconds of
        // slots, BatchSender::kClaimAheadMs), so the other finds batches at its next poll.
        constexpr int kUsers = 120'000;
        subscribe(kUsers);
        ServiceProcess a(kServiceBinary);
        ServiceProcess b(kServiceBinary);
        QCOMPARE(a.start(serviceArguments()), QString());
        QCOMPARE(b.start(serviceArguments()), QString());
        QCOMPARE(post(a.port(), QStringLiteral("shared-1")).status, 202);
        QTRY_VERIFY_WITH_TIMEOUT(count(QStringLiteral("SELECT COUNT(*) FROM delivery_batch WHERE state = 'sent'")) == kUsers / 500,
                                 60000);
        verifyExactlyOnce(kUsers);
        QCOMPARE(count(QStringLiteral("SELECT COUNT(DISTINCT sent_by) FROM delivery_batch")), 2);
    }
};

QTEST_MAIN(FanOutCrashTest)
#include "fanoutcrashtest.moc"
