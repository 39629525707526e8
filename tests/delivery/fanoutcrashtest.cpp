// The fan-out survives what production does to it: poptap-delivery killed with SIGKILL in
// the middle of an event and started again, and (on PostgreSQL) two instances sharing one
// database. The service runs as its own process; LINE is the emulator in this process, with
// its real rate limits, so an overrun would show as a 429 in its log.
#include "chains.h"
#include "lineemulator.h"
#include "registrationtoken.h"
#include "servicetesting.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>

using namespace poptap;
using namespace poptap::delivery;
using lineemu::LineEmulator;
using lineemu::LineEndpoint;

namespace {
constexpr std::int64_t kChainId = 1;
constexpr std::int64_t kStoreId = servicetesting::kDemoStoreId;
constexpr int kBrandId = 7;
constexpr int kMulticastPerSecond = 40; // slower than LINE, so that a kill lands mid-event
using Reply = servicetesting::HttpReply;

QString userId(int n)
{
    return QStringLiteral("U%1").arg(QString::number(n, 16), 32, u'0');
}

// One poptap-delivery process.
class ServiceProcess
{
public:
    QString start(const QStringList &arguments)
    {
        m_process.setProcessChannelMode(QProcess::ForwardedErrorChannel);
        m_process.start(QStringLiteral(POPTAP_DELIVERY_BINARY), arguments);
        static const QRegularExpression listening(QStringLiteral("listening on http://127\\.0\\.0\\.1:(\\d+)"));
        QByteArray said;
        while (m_port == 0 && m_process.waitForReadyRead(15000)) {
            said += m_process.readAllStandardOutput();
            if (const QRegularExpressionMatch match = listening.match(QString::fromUtf8(said)); match.hasMatch())
                m_port = match.captured(1).toUShort();
        }
        return m_port ? QString() : QStringLiteral("poptap-delivery did not start: %1").arg(QString::fromUtf8(said));
    }
    void kill()
    {
        ::kill(pid_t(m_process.processId()), SIGKILL);
        m_process.waitForFinished(5000);
        m_port = 0;
    }
    ~ServiceProcess()
    {
        if (m_process.state() != QProcess::NotRunning) {
            m_process.terminate();
            if (!m_process.waitForFinished(10000))
                m_process.kill();
        }
    }
    quint16 port() const { return m_port; }

private:
    QProcess m_process;
    quint16 m_port = 0;
};

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
        return {QStringLiteral("--config"), m_dir.filePath(QStringLiteral("delivery.conf")), QStringLiteral("--listen"),
                QStringLiteral("127.0.0.1:0"), QStringLiteral("--data-dir"), m_dir.path(), QStringLiteral("--database"),
                m_database, QStringLiteral("--line-api-base-url"), m_line->baseUrl().toString(),
                QStringLiteral("--line-channel-id"), m_line->config().channelId, QStringLiteral("--line-channel-secret"),
                m_line->config().channelSecret, QStringLiteral("--line-channel-access-token"),
                m_line->config().channelAccessToken, QStringLiteral("--multicast-per-second"),
                QString::number(kMulticastPerSecond)};
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
        QSqlDatabase db = m_db->handle();
        QVERIFY(db.transaction());
        QSqlQuery sub(db);
        sub.prepare(QStringLiteral("INSERT INTO subscription (user_id, kind, target, store_id, status, source_intent_id,"
                                   " created_at, updated_at) VALUES (?, 1, ?, ?, 'active', ?, 1, 1)"));
        for (int n = 0; n < users; ++n) {
            sub.addBindValue(userId(n));
            sub.addBindValue(kBrandId);
            sub.addBindValue(qint64(kStoreId));
            sub.addBindValue(QStringLiteral("intent-%1").arg(n));
            QVERIFY2(sub.exec(), qPrintable(sub.lastError().text()));
        }
        QVERIFY(db.commit());
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
        ServiceProcess first;
        QCOMPARE(first.start(serviceArguments()), QString());
        QCOMPARE(post(first.port(), QStringLiteral("crash-1")).status, 202);
        QTest::qWait(20);
        first.kill();

        ServiceProcess second;
        QCOMPARE(second.start(serviceArguments()), QString());
        QTRY_VERIFY_WITH_TIMEOUT(m_line->deliveries().size() >= kUsers / 3, 30000);
        second.kill();
        const qsizetype beforeRestart = m_line->deliveries().size();
        QVERIFY2(beforeRestart < kUsers, "the event was over before the kill");

        ServiceProcess third;
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
        constexpr int kUsers = 60'000;
        subscribe(kUsers);
        ServiceProcess a;
        ServiceProcess b;
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
