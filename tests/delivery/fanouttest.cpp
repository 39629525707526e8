// Product events end to end: a merchant posts an event over HTTP, the service fans it out to
// its subscribers as LINE multicasts, and the LINE emulator (with its real rate limits and
// injected faults) records what each user received. Runs on SQLite, and on PostgreSQL when
// POPTAP_TEST_DATABASE names one.
#include "chains.h"
#include "emulatedservice.h"
#include "fanout.h"
#include "fanoutworker.h"
#include "registrationtoken.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSqlQuery>
#include <QTest>

using namespace poptap;
using namespace poptap::delivery;
using lineemu::LineEndpoint;

namespace {
constexpr std::int64_t kChainId = 1;
constexpr std::int64_t kStoreId = servicetesting::kDemoStoreId;
constexpr int kBrandId = 7;          // Yamabiko Mountain, in the demo catalog
constexpr int kVariantId = 100102;   // Kumo Tailors Oxford Shirt, Navy / M, sold out in the demo
using Reply = servicetesting::HttpReply;
using servicetesting::lineUserId;

QJsonObject product()
{
    return {{QStringLiteral("nameJa"), QStringLiteral("ウィンドシェルジャケット")},
            {QStringLiteral("nameEn"), QStringLiteral("Wind Shell Jacket")},
            {QStringLiteral("imageUrl"), QStringLiteral("https://shop.example.jp/img/wind-shell.jpg")},
            {QStringLiteral("priceYen"), 19800},
            {QStringLiteral("url"), QStringLiteral("https://shop.example.jp/p/wind-shell")}};
}

QJsonObject newArrival(const QString &eventId)
{
    return {{QStringLiteral("eventId"), eventId}, {QStringLiteral("type"), QStringLiteral("new_arrival")},
            {QStringLiteral("brandId"), kBrandId}, {QStringLiteral("product"), product()}};
}

QJsonObject restock(const QString &eventId)
{
    return {{QStringLiteral("eventId"), eventId}, {QStringLiteral("type"), QStringLiteral("restock")},
            {QStringLiteral("variantId"), kVariantId}, {QStringLiteral("storeId"), qint64(kStoreId)},
            {QStringLiteral("product"), product()}};
}

} // namespace

class FanOutTest : public QObject, private servicetesting::EmulatedService
{
    Q_OBJECT

    QString m_apiKey;
    std::atomic<qint64> m_daysAhead{0}; // the service's clock runs this many days ahead

    Reply postEvent(const QJsonObject &event, const QString &key)
    {
        return servicetesting::httpRequest(m_network, "POST", url(QStringLiteral("/v1/events")),
                                           QJsonDocument(event).toJson(QJsonDocument::Compact),
                                           {{"Authorization", "Bearer " + key.toUtf8()}});
    }
    Reply postEvent(const QJsonObject &event) { return postEvent(event, m_apiKey); }

    QJsonObject progress(const QString &id)
    {
        return servicetesting::httpRequest(m_network, "GET", url(QStringLiteral("/v1/events/") + id), {},
                                           {{"Authorization", "Bearer " + m_apiKey.toUtf8()}})
            .json;
    }

    // `users` shoppers subscribed to (kind, target) at the demo store, as claims leave them.
    // `unfollowedEvery`: every n-th of them blocked the account afterwards (0: none).
    void subscribe(int first, int users, RegistrationKind kind, int target, int unfollowedEvery = 0)
    {
        QSqlDatabase db = m_server->database()->handle();
        QVERIFY(db.transaction());
        QSqlQuery user(db);
        user.prepare(QStringLiteral("INSERT INTO line_user (user_id, is_friend, friend_changed_at, created_at) VALUES (?, ?, ?, 1)"
                                    " ON CONFLICT (user_id) DO NOTHING"));
        for (int n = first; n < first + users; ++n) {
            const bool unfollowed = unfollowedEvery > 0 && n % unfollowedEvery == 0;
            user.addBindValue(lineUserId(n));
            user.addBindValue(unfollowed ? 0 : 1);
            user.addBindValue(unfollowed ? 2 : 0); // 0: LINE never told us; they followed before subscribing
            QVERIFY2(user.exec(), qPrintable(user.lastError().text()));
        }
        QVERIFY(db.commit());
        QCOMPARE(servicetesting::subscribeUsers(*m_server->database(), first, users, int(kind), target, kStoreId), QString());
    }

    // Every user's number of deliveries, from the emulator's own record.
    QHash<QString, int> deliveriesPerUser() const
    {
        QHash<QString, int> perUser;
        for (const lineemu::Delivery &d : m_line->deliveries())
            ++perUser[d.userId];
        return perUser;
    }

    void waitUntilDone(const QString &id, qint64 recipients, int timeoutMs)
    {
        QTRY_VERIFY_WITH_TIMEOUT(progress(id).value(QLatin1String("delivered")).toInteger()
                                         + progress(id).value(QLatin1String("failed")).toInteger()
                                     >= recipients,
                                 timeoutMs);
    }

private Q_SLOTS:
    void init()
    {
        QCOMPARE(startLine(), QString());
        m_server = std::make_unique<DeliveryServer>(serviceConfig());
        m_daysAhead = 0;
        m_server->setClock([this] { return QDateTime::currentMSecsSinceEpoch() + m_daysAhead * 24 * 3600 * 1000; });
        const QString error = m_server->start();
        QVERIFY2(error.isEmpty(), qPrintable(error));
        QCOMPARE(servicetesting::addDemoStore(*m_server->database()), QString());
        Chains chains(*m_server->database());
        QCOMPARE(chains.add(kChainId, QStringLiteral("soramado"), QStringLiteral("ソラマド"), QStringLiteral("Soramado")), QString());
        QCOMPARE(chains.assignStore(kStoreId, kChainId), QString());
        QCOMPARE(chains.issueApiKey(kChainId, &m_apiKey), QString());
    }

    void cleanup() { stopAll(); }

    // 100,000 subscribers, one event: each friend gets exactly one message although LINE
    // answers some multicasts with 429, 500 or nothing at all (some after delivering).
    void everySubscriberGetsOneMessageThroughFaults()
    {
        constexpr int kSubscribers = 100'000;
        subscribe(0, kSubscribers, RegistrationKind::BrandInterest, kBrandId, 97);
        const int unfollowed = (kSubscribers - 1) / 97 + 1;
        m_line->injectFault(LineEndpoint::Multicast, {2, 429, 0, false, {}});
        m_line->injectFault(LineEndpoint::Multicast, {3, 500, 0, false, {}});
        m_line->injectFault(LineEndpoint::Multicast, {1, 0, 300, false, {}}); // no answer, nothing delivered
        m_line->injectFault(LineEndpoint::Multicast, {2, 0, 300, true, {}});  // delivered, answer lost
        m_line->injectFault(LineEndpoint::Multicast, {1, 503, 0, true, {}});  // delivered, then 503

        const Reply posted = postEvent(newArrival(QStringLiteral("na-1")));
        QCOMPARE(posted.status, 202);
        const QString id = posted.json.value(QLatin1String("id")).toString();
        waitUntilDone(id, kSubscribers - unfollowed, 120000);

        const QJsonObject done = progress(id);
        QCOMPARE(done.value(QLatin1String("delivered")).toInteger(), kSubscribers - unfollowed);
        QCOMPARE(done.value(QLatin1String("failed")).toInteger(), 0);
        QCOMPARE(done.value(QLatin1String("recipients")).toObject().value(QLatin1String("unfollowed")).toInteger(), unfollowed);

        const QHash<QString, int> perUser = deliveriesPerUser();
        QCOMPARE(perUser.size(), kSubscribers - unfollowed);
        for (auto it = perUser.cbegin(); it != perUser.cend(); ++it)
            QVERIFY2(it.value() == 1, qPrintable(QStringLiteral("%1 got %2 messages").arg(it.key()).arg(it.value())));
        for (int n = 0; n < kSubscribers; n += 97)
            QVERIFY(!perUser.contains(lineUserId(n)));

        int overruns = 0;
        for (const lineemu::RecordedRequest &r : m_line->requests(LineEndpoint::Multicast)) {
            QVERIFY(r.body.toObject().value(QLatin1String("to")).toArray().size() <= 500);
            QVERIFY(!r.retryKey.isEmpty());
            overruns += r.outcome == QLatin1String("rate-limited");
        }
        QCOMPARE(overruns, 0);
        // What LINE bills: every recipient once.
        QCOMPARE(count(QStringLiteral("SELECT SUM(recipients) FROM message_usage WHERE chain_id = 1")), kSubscribers - unfollowed);
    }

    // "Your size is back" is said once: the request is fulfilled, and a second restock of
    // the same variant reaches no one. Brand interest stays.
    void aRestockRequestIsFulfilledByItsMessage()
    {
        subscribe(0, 3, RegistrationKind::Restock, kVariantId);
        subscribe(0, 3, RegistrationKind::BrandInterest, kBrandId);
        const Reply first = postEvent(restock(QStringLiteral("rs-1")));
        QCOMPARE(first.status, 202);
        waitUntilDone(first.json.value(QLatin1String("id")).toString(), 3, 20000);
        QCOMPARE(count(QStringLiteral("SELECT COUNT(*) FROM subscription WHERE kind = 2 AND status = 'fulfilled'")), 3);
        QCOMPARE(count(QStringLiteral("SELECT COUNT(*) FROM subscription WHERE kind = 1 AND status = 'active'")), 3);
        for (int n = 0; n < 3; ++n)
            QCOMPARE(m_line->deliveryCount(lineUserId(n)), 1);

        const Reply second = postEvent(restock(QStringLiteral("rs-2")));
        QCOMPARE(second.status, 202);
        const QString id = second.json.value(QLatin1String("id")).toString();
        QTRY_COMPARE(progress(id).value(QLatin1String("state")).toString(), QStringLiteral("expanded"));
        QCOMPARE(progress(id).value(QLatin1String("recipients")).toObject(), QJsonObject());
        QTest::qWait(300);
        QCOMPARE(m_line->deliveries().size(), 3);
    }

    // The shop posts the same restock twice while the first message is still on its way (LINE
    // did not answer it): each shopper is told once, by the first; once that one has failed
    // for good, a later restock reaches them again.
    void twoRestocksInFlightTellEachShopperOnce()
    {
        subscribe(0, 3, RegistrationKind::Restock, kVariantId);
        m_line->injectFault(LineEndpoint::Multicast, {1, 0, 300, false, {}}); // no answer: retried after a backoff
        const Reply first = postEvent(restock(QStringLiteral("rs-1")));
        QCOMPARE(first.status, 202);
        const QString firstId = first.json.value(QLatin1String("id")).toString();
        QTRY_COMPARE(progress(firstId).value(QLatin1String("state")).toString(), QStringLiteral("expanded"));
        const Reply second = postEvent(restock(QStringLiteral("rs-2")));
        QCOMPARE(second.status, 202);
        const QString secondId = second.json.value(QLatin1String("id")).toString();
        QTRY_COMPARE(progress(secondId).value(QLatin1String("state")).toString(), QStringLiteral("expanded"));
        QCOMPARE(progress(secondId).value(QLatin1String("recipients")).toObject(), QJsonObject());

        waitUntilDone(firstId, 3, 20000);
        QCOMPARE(progress(firstId).value(QLatin1String("delivered")).toInteger(), 3);
        for (int n = 0; n < 3; ++n)
            QCOMPARE(m_line->deliveryCount(lineUserId(n)), 1);
        QCOMPARE(count(QStringLiteral("SELECT COUNT(*) FROM subscription WHERE kind = 2 AND status = 'fulfilled'")), 3);

        // A restock whose message LINE refused for good leaves the requests open for the next one.
        subscribe(10, 2, RegistrationKind::Restock, kVariantId);
        m_line->injectFault(LineEndpoint::Multicast, {1, 400, 0, false, {}});
        const Reply refused = postEvent(restock(QStringLiteral("rs-3")));
        waitUntilDone(refused.json.value(QLatin1String("id")).toString(), 2, 20000);
        QCOMPARE(progress(refused.json.value(QLatin1String("id")).toString()).value(QLatin1String("failed")).toInteger(), 2);
        const Reply again = postEvent(restock(QStringLiteral("rs-4")));
        waitUntilDone(again.json.value(QLatin1String("id")).toString(), 2, 20000);
        QCOMPARE(m_line->deliveryCount(lineUserId(10)), 1);
        QCOMPARE(m_line->deliveryCount(lineUserId(11)), 1);
    }

    // A chain allows 1 message a day with policy "defer": the day's second event waits for the
    // next local day and goes then; news deferred for more than 72 h is dropped, and says so.
    void theDailyCapDefersToTheNextDay()
    {
        Chains chains(*m_server->database());
        QCOMPARE(chains.setCap(kChainId, 1, Chains::CapPolicy::Defer), QString());
        subscribe(0, 4, RegistrationKind::BrandInterest, kBrandId);
        const Reply first = postEvent(newArrival(QStringLiteral("d-1")));
        waitUntilDone(first.json.value(QLatin1String("id")).toString(), 4, 20000);

        const QString second = postEvent(newArrival(QStringLiteral("d-2"))).json.value(QLatin1String("id")).toString();
        QTRY_COMPARE(progress(second).value(QLatin1String("state")).toString(), QStringLiteral("expanded"));
        QCOMPARE(progress(second).value(QLatin1String("recipients")).toObject(), (QJsonObject{{QStringLiteral("deferred"), 4}}));
        QTest::qWait(2 * FanOutWorker::kPollMs); // released at a poll if it were due
        QCOMPARE(m_line->deliveries().size(), 4);

        m_daysAhead = 1;
        waitUntilDone(second, 4, 20000);
        QCOMPARE(progress(second).value(QLatin1String("recipients")).toObject(), (QJsonObject{{QStringLiteral("queued"), 4}}));
        for (int n = 0; n < 4; ++n)
            QCOMPARE(m_line->deliveryCount(lineUserId(n)), 2);

        // The next day's one message is used up again: the third event waits, and is too old to
        // send by the time a day with room comes.
        const QString third = postEvent(newArrival(QStringLiteral("d-3"))).json.value(QLatin1String("id")).toString();
        QTRY_COMPARE(progress(third).value(QLatin1String("recipients")).toObject(), (QJsonObject{{QStringLiteral("deferred"), 4}}));
        m_daysAhead = 5;
        QTRY_COMPARE_WITH_TIMEOUT(progress(third).value(QLatin1String("recipients")).toObject(),
                                  (QJsonObject{{QStringLiteral("capped"), 4}}), 20000);
        QTest::qWait(2 * FanOutWorker::kPollMs);
        QCOMPARE(m_line->deliveries().size(), 8);
    }

    // A chain allows 2 messages a day with policy "drop": the third event of the day is
    // counted as capped for those who already had two, and not sent to them.
    void theDailyCapDropsWhatExceedsIt()
    {
        Chains chains(*m_server->database());
        QCOMPARE(chains.setCap(kChainId, 2, Chains::CapPolicy::Drop), QString());
        subscribe(0, 4, RegistrationKind::BrandInterest, kBrandId);
        subscribe(0, 2, RegistrationKind::Restock, kVariantId);
        for (const QJsonObject &event : {newArrival(QStringLiteral("a")), restock(QStringLiteral("b")), newArrival(QStringLiteral("c"))}) {
            const Reply r = postEvent(event);
            QCOMPARE(r.status, 202);
            const QString id = r.json.value(QLatin1String("id")).toString();
            QTRY_COMPARE(progress(id).value(QLatin1String("state")).toString(), QStringLiteral("expanded"));
            QTRY_VERIFY_WITH_TIMEOUT(progress(id).value(QLatin1String("batches")).toObject().value(QLatin1String("pending")).toInt() == 0, 20000);
            if (event.value(QLatin1String("eventId")) == QLatin1String("c")) {
                const QJsonObject recipients = progress(id).value(QLatin1String("recipients")).toObject();
                QCOMPARE(recipients.value(QLatin1String("capped")).toInteger(), 2);
                QCOMPARE(recipients.value(QLatin1String("queued")).toInteger(), 2);
            }
        }
        QCOMPARE(m_line->deliveryCount(lineUserId(0)), 2);
        QCOMPARE(m_line->deliveryCount(lineUserId(1)), 2);
        QCOMPARE(m_line->deliveryCount(lineUserId(2)), 2);
        QCOMPARE(m_line->deliveryCount(lineUserId(3)), 2);
    }

    // Bad bodies get 400 with every problem named, unknown targets 422, and nothing is stored.
    void badEventsAreRefusedAndNothingIsStored_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<int>("status");
        QTest::addColumn<QString>("mentions");
        const auto json = [](QJsonObject o) { return QJsonDocument(o).toJson(QJsonDocument::Compact); };
        QJsonObject noType = newArrival(QStringLiteral("x"));
        noType.remove(QStringLiteral("type"));
        QJsonObject httpImage = newArrival(QStringLiteral("x"));
        QJsonObject p = product();
        p.insert(QStringLiteral("imageUrl"), QStringLiteral("http://shop.example.jp/a.jpg"));
        httpImage.insert(QStringLiteral("product"), p);
        QJsonObject restockWithoutStore = restock(QStringLiteral("x"));
        restockWithoutStore.remove(QStringLiteral("storeId"));
        QJsonObject fraction = newArrival(QStringLiteral("x"));
        fraction.insert(QStringLiteral("brandId"), 7.5);
        QJsonObject unknownBrand = newArrival(QStringLiteral("x"));
        unknownBrand.insert(QStringLiteral("brandId"), 999);
        QJsonObject unknownVariant = restock(QStringLiteral("x"));
        unknownVariant.insert(QStringLiteral("variantId"), 999999);
        QJsonObject otherStore = newArrival(QStringLiteral("x"));
        otherStore.insert(QStringLiteral("storeId"), 202);
        QTest::newRow("not JSON") << QByteArray("{\"eventId\": ") << 400 << QStringLiteral("JSON object");
        QTest::newRow("an array") << QByteArray("[]") << 400 << QStringLiteral("JSON object");
        QTest::newRow("no type") << json(noType) << 400 << QStringLiteral("type");
        QTest::newRow("http image") << json(httpImage) << 400 << QStringLiteral("product.imageUrl");
        QTest::newRow("restock without store") << json(restockWithoutStore) << 400 << QStringLiteral("storeId");
        QTest::newRow("fractional brand") << json(fraction) << 400 << QStringLiteral("brandId");
        QTest::newRow("unknown brand") << json(unknownBrand) << 422 << QStringLiteral("brand 999");
        QTest::newRow("unknown variant") << json(unknownVariant) << 422 << QStringLiteral("variant 999999");
        QTest::newRow("another chain's store") << json(otherStore) << 422 << QStringLiteral("store 202");
    }
    void badEventsAreRefusedAndNothingIsStored()
    {
        QFETCH(QByteArray, body);
        QFETCH(int, status);
        QFETCH(QString, mentions);
        const Reply r = servicetesting::httpRequest(m_network, "POST", url(QStringLiteral("/v1/events")), body,
                                                    {{"Authorization", "Bearer " + m_apiKey.toUtf8()}});
        QCOMPARE(r.status, status);
        QVERIFY2(r.json.value(QLatin1String("message")).toString().contains(mentions), r.body.constData());
        QCOMPARE(count(QStringLiteral("SELECT COUNT(*) FROM product_event")), 0);
    }

    void theMerchantMustShowItsKeyAndMayRepeatAnEvent()
    {
        QCOMPARE(postEvent(newArrival(QStringLiteral("k")), QString()).status, 401);
        QCOMPARE(postEvent(newArrival(QStringLiteral("k")), QStringLiteral("ptk_not-a-key")).status, 401);
        QCOMPARE(count(QStringLiteral("SELECT COUNT(*) FROM product_event")), 0);

        const Reply first = postEvent(newArrival(QStringLiteral("k")));
        QCOMPARE(first.status, 202);
        const Reply again = postEvent(newArrival(QStringLiteral("k"))); // the merchant's retry after a lost answer
        QCOMPARE(again.status, 200);
        QCOMPARE(again.json.value(QLatin1String("id")), first.json.value(QLatin1String("id")));
        QJsonObject changed = newArrival(QStringLiteral("k"));
        changed.insert(QStringLiteral("storeId"), qint64(kStoreId));
        QCOMPARE(postEvent(changed).status, 409);
        QCOMPARE(count(QStringLiteral("SELECT COUNT(*) FROM product_event")), 1);
    }
};

QTEST_MAIN(FanOutTest)
#include "fanouttest.moc"
