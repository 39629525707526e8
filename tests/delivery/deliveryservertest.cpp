// The delivery service in-process, over real HTTP on loopback. Runs on an embedded
// SQLite file, and again on PostgreSQL when POPTAP_TEST_DATABASE names one.
#include "deliveryserver.h"
#include "servicedatabase.h"
#include "webhookinbox.h"
#include "webhooksignature.h"
#include "servicetesting.h"

#include <QEventLoop>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

using namespace poptap::delivery;

namespace {

const QByteArray kSecret = "8c570fa6dd201bb328f1c1eac23a96d8";
const QString kUser = QStringLiteral("U4af4980629aaaaaaaaaaaaaaaaaaaaaa");

using Reply = servicetesting::HttpReply;

QByteArray followEvent(const QString &type, const QString &id, qint64 timestamp, const QString &user = kUser)
{
    QJsonObject event{{QStringLiteral("type"), type},
                      {QStringLiteral("mode"), QStringLiteral("active")},
                      {QStringLiteral("timestamp"), timestamp},
                      {QStringLiteral("source"), QJsonObject{{QStringLiteral("type"), QStringLiteral("user")},
                                                             {QStringLiteral("userId"), user}}},
                      {QStringLiteral("webhookEventId"), id},
                      {QStringLiteral("deliveryContext"), QJsonObject{{QStringLiteral("isRedelivery"), false}}}};
    if (type == QLatin1String("follow")) {
        event.insert(QStringLiteral("replyToken"), QStringLiteral("nHuyWiB7yP5Zw52FIkcQobQuGDXCTA"));
        event.insert(QStringLiteral("follow"), QJsonObject{{QStringLiteral("isUnblocked"), false}});
    }
    return QJsonDocument(event).toJson(QJsonDocument::Compact);
}

QByteArray webhookBody(const QList<QByteArray> &events)
{
    return R"({"destination":"U8e742f61d673b39c7fff3cecb7536ef0","events":[)" + events.join(',') + "]}";
}

} // namespace

class DeliveryServerTest : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    QString m_database = servicetesting::testDatabase();
    std::unique_ptr<DeliveryServer> m_server;
    QNetworkAccessManager m_network;

    ServiceConfig config() const
    {
        ServiceConfig c;
        c.port = 0;
        c.dataDir = m_dir.path();
        c.database = m_database;
        c.lineChannelSecret = QString::fromLatin1(kSecret);
        return c;
    }

    void startServer()
    {
        m_server = std::make_unique<DeliveryServer>(config());
        const QString error = m_server->start();
        QVERIFY2(error.isEmpty(), qPrintable(error));
    }

    Reply request(const QByteArray &method, const QString &path, const QByteArray &body = {},
                  const QList<std::pair<QByteArray, QByteArray>> &headers = {})
    {
        return servicetesting::httpRequest(m_network, method,
                                           QUrl(QStringLiteral("http://127.0.0.1:%1%2").arg(m_server->port()).arg(path)),
                                           body, headers);
    }

    Reply postWebhook(const QByteArray &body, const QByteArray &signature)
    {
        return request("POST", QStringLiteral("/line/webhook"), body, {{"x-line-signature", signature}});
    }
    Reply postSignedWebhook(const QByteArray &body) { return postWebhook(body, webhookSignature(kSecret, body)); }

    qint64 storedEvents() const
    {
        QSqlQuery q(QSqlDatabase::database(QStringLiteral("poptap-delivery")));
        return q.exec(QStringLiteral("SELECT count(*) FROM webhook_event")) && q.next() ? q.value(0).toLongLong() : -1;
    }

private Q_SLOTS:
    void initTestCase()
    {
        qInfo() << "database:" << (m_database.isEmpty() ? QStringLiteral("embedded SQLite") : m_database);
    }

    void init()
    {
        QCOMPARE(servicetesting::resetDatabase(m_database, config().sqlitePath()), QString());
        startServer();
    }
    void cleanup() { m_server.reset(); }

    void healthReportsTheSchema()
    {
        const Reply r = request("GET", QStringLiteral("/healthz"));
        QCOMPARE(r.status, 200);
        QCOMPARE(r.json.value(QLatin1String("schemaVersion")).toInt(), ServiceDatabase::migrations().back().version);
    }

    void connectivityCheckIsAccepted()
    {
        const Reply r = postSignedWebhook(webhookBody({}));
        QCOMPARE(r.status, 200);
        QCOMPARE(storedEvents(), 0);
    }

    void followMakesAFriendAndUnfollowEndsIt()
    {
        QCOMPARE(postSignedWebhook(webhookBody({followEvent(QStringLiteral("follow"), QStringLiteral("01A"), 1000)})).status, 200);
        QTRY_COMPARE(m_server->webhookInbox()->isFriend(kUser), std::optional<bool>(true));
        QCOMPARE(postSignedWebhook(webhookBody({followEvent(QStringLiteral("unfollow"), QStringLiteral("01B"), 2000)})).status, 200);
        QTRY_COMPARE(m_server->webhookInbox()->isFriend(kUser), std::optional<bool>(false));
    }

    void theNewestEventDecidesWhateverTheArrivalOrder()
    {
        // A redelivered follow (older) arrives after the unfollow: the user stays unfollowed.
        QCOMPARE(postSignedWebhook(webhookBody({followEvent(QStringLiteral("unfollow"), QStringLiteral("01B"), 2000)})).status, 200);
        QTRY_COMPARE(m_server->webhookInbox()->isFriend(kUser), std::optional<bool>(false));
        QCOMPARE(postSignedWebhook(webhookBody({followEvent(QStringLiteral("follow"), QStringLiteral("01A"), 1000)})).status, 200);
        QTest::qWait(200);
        QCOMPARE(m_server->webhookInbox()->isFriend(kUser), std::optional<bool>(false));
    }

    void redeliveriesAreStoredOnce()
    {
        const QByteArray body = webhookBody({followEvent(QStringLiteral("follow"), QStringLiteral("01A"), 1000)});
        for (int i = 0; i < 3; ++i)
            QCOMPARE(postSignedWebhook(body).status, 200);
        QCOMPARE(storedEvents(), 1);
    }

    void wrongOrMissingSignatureIsRefusedAndNothingStored()
    {
        const QByteArray body = webhookBody({followEvent(QStringLiteral("follow"), QStringLiteral("01A"), 1000)});
        QByteArray forged = webhookSignature(kSecret, body);
        forged[3] = forged[3] == 'A' ? 'B' : 'A';
        for (const QByteArray &signature : {forged, QByteArray(), webhookSignature("other-secret", body)}) {
            const Reply r = postWebhook(body, signature);
            QCOMPARE(r.status, 401);
            QCOMPARE(r.json.value(QLatin1String("error")).toString(), QStringLiteral("bad_signature"));
        }
        QCOMPARE(storedEvents(), 0);
    }

    void malformedSignedBodiesGetAClearError()
    {
        for (const QByteArray &body : {QByteArray("{\"events\": ["), QByteArray("[1,2]"), QByteArray("{}")}) {
            const Reply r = postSignedWebhook(body);
            QCOMPARE(r.status, 400);
            QCOMPARE(r.json.value(QLatin1String("error")).toString(), QStringLiteral("malformed_body"));
            QVERIFY(!r.json.value(QLatin1String("message")).toString().isEmpty());
        }
        const Reply large = postSignedWebhook(QByteArray(kMaxWebhookBodyBytes + 10, ' '));
        QCOMPARE(large.status, 413);
        QCOMPARE(storedEvents(), 0);
    }

    void eventsStoredBeforeACrashAreAppliedAtStart()
    {
        // Stored (LINE got its 2xx) but the service died before applying them.
        const WebhookParse parsed = parseWebhookBody(webhookBody({followEvent(QStringLiteral("follow"), QStringLiteral("01A"), 1000)}));
        QCOMPARE(m_server->webhookInbox()->store(parsed.events).added, 1);
        m_server.reset();
        startServer();
        QCOMPARE(m_server->webhookInbox()->isFriend(kUser), std::optional<bool>(true));
    }

    void unknownRoutesAndMethodsAreRefused()
    {
        QCOMPARE(request("GET", QStringLiteral("/line/webhook")).status, 404);
        QCOMPARE(request("GET", QStringLiteral("/no/such/thing")).status, 404);
    }
};

QTEST_GUILESS_MAIN(DeliveryServerTest)
#include "deliveryservertest.moc"
