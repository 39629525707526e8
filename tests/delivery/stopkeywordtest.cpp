// A shopper stops notifications by sending 停止 / stop: the delivery service in-process over
// real HTTP, LINE played by the emulator (signed webhooks in, replies validated against
// LINE's schema out). Runs on SQLite, and on PostgreSQL when POPTAP_TEST_DATABASE names one.
#include "chains.h"
#include "deviceregistry.h"
#include "emulatedservice.h"
#include "postbackdata.h"
#include "registrationtoken.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSqlQuery>
#include <QTest>

using namespace poptap;
using namespace poptap::delivery;
using lineemu::LineEndpoint;

namespace {

constexpr std::int64_t kStoreId = servicetesting::kDemoStoreId; // 101: ソラマド 神宮前店
constexpr std::int64_t kUmedaStoreId = 102;
const QByteArray kKeySecret = QByteArray(32, 'k');
constexpr std::uint32_t kKeyId = 0x1234abcd;

struct Reply {
    QString text;
    QJsonArray quickReply;
};

QString actionData(const QJsonValue &item)
{
    return item.toObject().value(QLatin1String("action")).toObject().value(QLatin1String("data")).toString();
}

QString label(const QJsonValue &item)
{
    return item.toObject().value(QLatin1String("action")).toObject().value(QLatin1String("label")).toString();
}

} // namespace

class StopKeywordTest : public QObject, private servicetesting::EmulatedService
{
    Q_OBJECT

    qint64 m_clock = 1'000;

    // An active subscription as a claim leaves it; each newer than the one before.
    void subscribe(const QString &user, RegistrationKind kind, std::uint32_t target, std::int64_t store = kStoreId)
    {
        QSqlQuery q(m_server->database()->handle());
        q.prepare(QStringLiteral("INSERT INTO line_user (user_id, is_friend, friend_changed_at, created_at) VALUES (?, 1, 0, 0)"
                                 " ON CONFLICT (user_id) DO NOTHING"));
        q.addBindValue(user);
        QVERIFY2(q.exec(), qPrintable(q.lastError().text()));
        q.prepare(QStringLiteral("INSERT INTO subscription (user_id, kind, target, store_id, status, source_intent_id,"
                                 " created_at, updated_at) VALUES (?, ?, ?, ?, 'active', ?, ?, ?)"));
        ++m_clock;
        q.addBindValue(user);
        q.addBindValue(int(kind));
        q.addBindValue(qint64(target));
        q.addBindValue(qint64(store));
        q.addBindValue(QStringLiteral("intent-%1").arg(m_clock));
        q.addBindValue(m_clock);
        q.addBindValue(m_clock);
        QVERIFY2(q.exec(), qPrintable(q.lastError().text()));
    }

    qint64 active(const QString &user)
    {
        QSqlQuery q(m_server->database()->handle());
        q.prepare(QStringLiteral("SELECT count(*) FROM subscription WHERE user_id = ? AND status = 'active'"));
        q.addBindValue(user);
        return q.exec() && q.next() ? q.value(0).toLongLong() : -1;
    }

    // The shopper sends `text`, or taps a button carrying `data`; returns LINE's answer to the webhook.
    int sendText(const QString &user, const QString &text) { return sendMessage(user, text).status; }
    int tap(const QString &user, const QString &data) { return sendPostback(user, data).status; }

    // Waits for the service's `n`th reply (1-based); LINE must have accepted it.
    Reply reply(int n)
    {
        if (!QTest::qWaitFor([&] { return m_line->requests(LineEndpoint::Reply).size() >= n; }, 10000))
            return {};
        const lineemu::RecordedRequest sent = m_line->requests(LineEndpoint::Reply).at(n - 1);
        if (sent.status != 200)
            qWarning("LINE refused the reply: %s", QJsonDocument(sent.response).toJson().constData());
        const QJsonObject message = sent.body.toObject().value(QLatin1String("messages")).toArray().first().toObject();
        return {message.value(QLatin1String("text")).toString(),
                message.value(QLatin1String("quickReply")).toObject().value(QLatin1String("items")).toArray()};
    }

    QString outcomeOfLastEvent()
    {
        QSqlQuery q(m_server->database()->handle());
        return q.exec(QStringLiteral("SELECT outcome FROM webhook_event ORDER BY received_at DESC, event_id DESC")) && q.next()
            ? q.value(0).toString()
            : QString();
    }

    // A second store of the chain with the same catalog.
    void addUmedaStore()
    {
        DeviceRegistry registry(*m_server->database());
        QCOMPARE(registry.addStore(kUmedaStoreId, QStringLiteral("umeda"), QStringLiteral("ソラマド 梅田店"),
                                   QStringLiteral("Soramado Umeda")),
                 QString());
        QFile file(QStringLiteral(POPTAP_SOURCE_DIR "/resources/catalog/demo-catalog.json"));
        QVERIFY(file.open(QIODevice::ReadOnly));
        QJsonObject catalog = QJsonDocument::fromJson(file.readAll()).object();
        QJsonObject store = catalog.value(QLatin1String("store")).toObject();
        store.insert(QStringLiteral("id"), qint64(kUmedaStoreId));
        store.insert(QStringLiteral("code"), QStringLiteral("umeda"));
        store.insert(QStringLiteral("nameJa"), QStringLiteral("ソラマド 梅田店"));
        store.insert(QStringLiteral("nameEn"), QStringLiteral("Soramado Umeda"));
        catalog.insert(QStringLiteral("store"), store);
        catalog.remove(QStringLiteral("pops")); // a POP id names one sticker in the whole service (popdirectory.h)
        QCOMPARE(registry.setCatalog(kUmedaStoreId, QJsonDocument(catalog).toJson()), QString());
    }

private Q_SLOTS:
    void init()
    {
        QCOMPARE(startLine(), QString());
        QCOMPARE(startServer(), QString());
        QCOMPARE(servicetesting::addDemoStore(*m_server->database()), QString());
    }

    void cleanup() { stopAll(); }

    // From the claim to the stop: the shopper subscribes at the kiosk, later sends 停止, taps
    // the subscription in the list, and is told it is stopped.
    void aShopperStopsOneSubscriptionFromTheList()
    {
        DeviceRegistry registry(*m_server->database());
        QCOMPARE(registry.addDevice(QStringLiteral("kiosk-1"), kStoreId, QStringLiteral("entrance"), QByteArray(32, 'r')), QString());
        QCOMPARE(registry.addKey(kKeyId, QStringLiteral("kiosk-1"), kKeySecret, QStringLiteral("local")), QString());
        const QString user = m_line->addUser({}).userId;
        TokenClaims claims;
        claims.keyId = kKeyId;
        claims.epoch = 1;
        claims.sequence = 1;
        claims.kind = RegistrationKind::Restock;
        claims.target = 100102; // Kumo Tailors Oxford Shirt, Navy / M
        claims.issuedAt = QDateTime::fromSecsSinceEpoch(QDateTime::currentSecsSinceEpoch(), Qt::UTC);
        claims.ttlHours = 24;
        const QByteArray body = QJsonDocument(QJsonObject{{QStringLiteral("token"), RegistrationToken::issue(claims, kKeySecret)},
                                                          {QStringLiteral("idToken"), idTokenFor(user)}})
                                    .toJson(QJsonDocument::Compact);
        QCOMPARE(servicetesting::httpRequest(m_network, "POST", url(QStringLiteral("/v1/claims")), body).status, 200);
        m_clock = QDateTime::currentMSecsSinceEpoch(); // the brand below is newer than the claim
        subscribe(user, RegistrationKind::BrandInterest, 7);

        QCOMPARE(sendText(user, QStringLiteral("停止")), 200);
        const Reply list = reply(1);
        QCOMPARE(list.text, QStringLiteral("停止するお知らせを下のボタンから選んでください。\n"
                                           "1. ヤマビコ マウンテンの新着\n"
                                           "2. クモ テーラーズ オックスフォードシャツ（ネイビー / M）の再入荷\n\n"
                                           "Choose below which notifications to stop.\n"
                                           "1. New arrivals from Yamabiko Mountain\n"
                                           "2. Kumo Tailors Oxford Shirt (Navy / M) back in stock"));
        QCOMPARE(list.quickReply.size(), 3);
        QCOMPARE(label(list.quickReply.at(0)), QStringLiteral("1. ヤマビコ マウンテンの新着"));
        QCOMPARE(label(list.quickReply.at(1)), QStringLiteral("2. クモ テーラーズ オックスフォー…")); // LINE's 20 characters
        QCOMPARE(actionData(list.quickReply.at(1)), postbackData({RegistrationKind::Restock, 100102, kStoreId}));
        QCOMPARE(actionData(list.quickReply.at(2)), stopAllPostbackData());
        QTRY_COMPARE(outcomeOfLastEvent(), QStringLiteral("stop-listed"));

        QCOMPARE(tap(user, actionData(list.quickReply.at(1))), 200);
        QVERIFY2(reply(2).text.startsWith(QStringLiteral("クモ テーラーズ オックスフォードシャツ（ネイビー / M）の再入荷のお知らせを停止しました。")),
                 qPrintable(reply(2).text));
        QCOMPARE(active(user), 1); // the brand stays
    }

    void everyFormOfTheKeywordIsUnderstood_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<bool>("keyword");
        QTest::addRow("停止") << QStringLiteral("停止") << true;
        QTest::addRow("ストップ") << QStringLiteral("ストップ") << true;
        QTest::addRow("配信停止") << QStringLiteral("配信停止") << true;
        QTest::addRow("stop") << QStringLiteral("stop") << true;
        QTest::addRow("STOP") << QStringLiteral("STOP") << true;
        QTest::addRow("padded") << QStringLiteral("  停止\n") << true;
        QTest::addRow("ideographic spaces") << QStringLiteral("\u3000配信停止\u3000") << true;
        QTest::addRow("full-width STOP") << QStringLiteral("ＳＴＯＰ") << true;
        QTest::addRow("full-width stop") << QStringLiteral("ｓｔｏｐ") << true;
        QTest::addRow("half-width katakana") << QStringLiteral("ｽﾄｯﾌﾟ") << true;
        QTest::addRow("a sentence") << QStringLiteral("停止した商品はいつ入りますか") << false;
        QTest::addRow("another word") << QStringLiteral("stopwatch") << false;
        QTest::addRow("two keywords") << QStringLiteral("stop stop") << false;
    }

    void everyFormOfTheKeywordIsUnderstood()
    {
        QFETCH(QString, text);
        QFETCH(bool, keyword);
        const QString user = m_line->addUser({}).userId;
        subscribe(user, RegistrationKind::BrandInterest, 7);
        QCOMPARE(sendText(user, text), 200);
        QTRY_COMPARE(outcomeOfLastEvent(), keyword ? QStringLiteral("stop-listed") : QStringLiteral("no-token"));
        QCOMPARE(m_line->requests(LineEndpoint::Reply).size(), keyword ? 1 : 0);
    }

    // "Stop all" stops the sender's subscriptions, all of them and no one else's, and says which.
    void stopAllStopsEverySubscriptionOfTheSender()
    {
        const QString user = m_line->addUser({}).userId;
        const QString other = m_line->addUser({}).userId;
        subscribe(user, RegistrationKind::BrandInterest, 7);
        subscribe(user, RegistrationKind::Restock, 100102);
        subscribe(other, RegistrationKind::BrandInterest, 7);

        QCOMPARE(tap(user, stopAllPostbackData()), 200);
        QCOMPARE(reply(1).text, QStringLiteral("2件のお知らせを停止しました。\n"
                                               "・クモ テーラーズ オックスフォードシャツ（ネイビー / M）の再入荷\n"
                                               "・ヤマビコ マウンテンの新着\n\n"
                                               "2 notifications are stopped.\n"
                                               "・Kumo Tailors Oxford Shirt (Navy / M) back in stock\n"
                                               "・New arrivals from Yamabiko Mountain"));
        QCOMPARE(active(user), 0);
        QCOMPARE(active(other), 1);
        QTRY_COMPARE(outcomeOfLastEvent(), QStringLiteral("stopped-all"));

        // Tapping it again finds nothing left to stop, and says so kindly.
        QCOMPARE(tap(user, stopAllPostbackData()), 200);
        QVERIFY2(reply(2).text.startsWith(QStringLiteral("現在、お届けしているお知らせはありません。")), qPrintable(reply(2).text));
        QCOMPARE(active(other), 1);
    }

    void withoutSubscriptionsTheReplySaysSo()
    {
        const QString user = m_line->addUser({}).userId;
        subscribe(user, RegistrationKind::BrandInterest, 7);
        QCOMPARE(tap(user, postbackData({RegistrationKind::BrandInterest, 7, kStoreId})), 200); // stopped: none active
        QCOMPARE(sendText(user, QStringLiteral("stop")), 200);
        const Reply none = reply(2);
        QCOMPARE(none.text, QStringLiteral("現在、お届けしているお知らせはありません。店頭の端末からいつでも登録できます。\n"
                                           "You have no notifications to stop. You can sign up again at the kiosk in the store any "
                                           "time."));
        QVERIFY(none.quickReply.isEmpty());
        QTRY_COMPARE(outcomeOfLastEvent(), QStringLiteral("stop-none"));
    }

    // A quick reply holds 13 buttons: the newest 12 subscriptions and "stop all", which stops
    // the rest too.
    void moreThanTwelveSubscriptionsListTwelveAndStopAllStopsEveryOne()
    {
        const QString user = m_line->addUser({}).userId;
        for (std::uint32_t brand = 1; brand <= 15; ++brand)
            subscribe(user, RegistrationKind::BrandInterest, brand);
        QCOMPARE(sendText(user, QStringLiteral("配信停止")), 200);
        const Reply list = reply(1);
        QCOMPARE(list.quickReply.size(), 13);
        QCOMPARE(actionData(list.quickReply.at(0)), postbackData({RegistrationKind::BrandInterest, 15, kStoreId})); // newest first
        QVERIFY2(list.text.contains(QStringLiteral("ほか3件は「すべて停止」で停止できます。")), qPrintable(list.text));
        QCOMPARE(tap(user, actionData(list.quickReply.last())), 200);
        QVERIFY2(reply(2).text.startsWith(QStringLiteral("15件のお知らせを停止しました。")), qPrintable(reply(2).text));
        QCOMPARE(active(user), 0);
    }

    void subscriptionsAtTwoStoresSayWhichStore()
    {
        addUmedaStore();
        const QString user = m_line->addUser({}).userId;
        subscribe(user, RegistrationKind::BrandInterest, 7, kStoreId);
        subscribe(user, RegistrationKind::BrandInterest, 7, kUmedaStoreId);
        QCOMPARE(sendText(user, QStringLiteral("ストップ")), 200);
        QVERIFY2(reply(1).text.startsWith(QStringLiteral("停止するお知らせを下のボタンから選んでください。\n"
                                                         "1. ヤマビコ マウンテンの新着（ソラマド 梅田店）\n"
                                                         "2. ヤマビコ マウンテンの新着（ソラマド 神宮前店）\n")),
                 qPrintable(reply(1).text));
    }

    // The replies speak the language of the chain's template.
    void theChainsTemplateWordsTheReplies()
    {
        Chains chains(*m_server->database());
        QCOMPARE(chains.add(1, QStringLiteral("soramado"), QStringLiteral("ソラマド"), QStringLiteral("Soramado")), QString());
        QCOMPARE(chains.assignStore(kStoreId, 1), QString());
        QCOMPARE(chains.setMessageTemplate(
                     1, QStringLiteral("{\"language\": \"en\", \"texts\": {\"stop.allButton\": {\"en\": \"Unsubscribe all\"}}}")),
                 QString());
        const QString user = m_line->addUser({}).userId;
        subscribe(user, RegistrationKind::BrandInterest, 7);
        QCOMPARE(sendText(user, QStringLiteral("STOP")), 200);
        const Reply list = reply(1);
        QCOMPARE(list.text, QStringLiteral("Choose below which notifications to stop.\n1. New arrivals from Yamabiko Mountain"));
        QCOMPARE(label(list.quickReply.last()), QStringLiteral("Unsubscribe all"));
        QCOMPARE(tap(user, actionData(list.quickReply.first())), 200);
        QCOMPARE(reply(2).text, QStringLiteral("You will no longer get new arrivals from Yamabiko Mountain."));
    }
};

QTEST_GUILESS_MAIN(StopKeywordTest)
#include "stopkeywordtest.moc"
