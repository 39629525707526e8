// The API of the LIFF "my subscriptions" page: GET /v1/me/subscriptions and POST
// /v1/me/subscriptions/stop, with the LIFF ID token verified by LINE (played by the emulator).
// The service runs in-process over real HTTP on SQLite, and on PostgreSQL when
// POPTAP_TEST_DATABASE names one.
#include "deviceregistry.h"
#include "emulatedservice.h"
#include "registrationtoken.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSqlQuery>
#include <QTest>

using namespace poptap;
using namespace poptap::delivery;
using lineemu::LineEndpoint;
using Reply = servicetesting::HttpReply;

namespace {
const QByteArray kKeySecret(32, 'k');
constexpr std::uint32_t kKeyId = 0x1234abcd;
constexpr std::int64_t kStoreId = servicetesting::kDemoStoreId;
constexpr std::int64_t kBareStoreId = 102; // a store without a catalog yet
constexpr int kBrand = 1;
constexpr int kRestock = 2;
// In the demo catalog (resources/catalog/README.md).
const QString kYamabikoJa = QStringLiteral("ヤマビコ マウンテン");
const QString kYamabikoEn = QStringLiteral("Yamabiko Mountain");
const QString kShirtJa = QStringLiteral("クモ テーラーズ オックスフォードシャツ（ネイビー / M）");
const QString kShirtEn = QStringLiteral("Kumo Tailors Oxford Shirt (Navy / M)");
const QString kLiffId = QStringLiteral("1234567890-manageAP");
} // namespace

class SubscriptionsApiTest : public QObject, private servicetesting::EmulatedService
{
    Q_OBJECT

    std::uint32_t m_sequence = 0;

    Reply list(const QString &idToken)
    {
        return servicetesting::httpRequest(m_network, "GET", url(QStringLiteral("/v1/me/subscriptions")), {},
                                           {{"Authorization", "Bearer " + idToken.toUtf8()}});
    }

    Reply stop(const QString &idToken, const QJsonObject &body)
    {
        return stopRaw("Bearer " + idToken.toUtf8(), QJsonDocument(body).toJson(QJsonDocument::Compact));
    }

    Reply stopRaw(const QByteArray &authorization, const QByteArray &body)
    {
        QList<std::pair<QByteArray, QByteArray>> headers;
        if (!authorization.isNull())
            headers.append({"Authorization", authorization});
        return servicetesting::httpRequest(m_network, "POST", url(QStringLiteral("/v1/me/subscriptions/stop")), body, headers);
    }

    static QJsonObject stopOne(const QString &id) { return {{QStringLiteral("subscriptionId"), id}}; }
    static QJsonObject stopEverything() { return {{QStringLiteral("all"), true}}; }

    // A claim through the LIFF claim API, as a shopper's phone makes it.
    int claim(const QString &userId, RegistrationKind kind, std::uint32_t target)
    {
        TokenClaims c;
        c.keyId = kKeyId;
        c.epoch = 1;
        c.sequence = ++m_sequence;
        c.kind = kind;
        c.target = target;
        c.issuedAt = QDateTime::fromSecsSinceEpoch(QDateTime::currentSecsSinceEpoch(), Qt::UTC);
        c.ttlHours = 24;
        const QByteArray body = QJsonDocument(QJsonObject{{QStringLiteral("token"), RegistrationToken::issue(c, kKeySecret)},
                                                          {QStringLiteral("idToken"), idTokenFor(userId)}})
                                    .toJson(QJsonDocument::Compact);
        return servicetesting::httpRequest(m_network, "POST", url(QStringLiteral("/v1/claims")), body).status;
    }

    // Shopper n (servicetesting::lineUserId) subscribed as a claim leaves them.
    void subscribe(int n, int kind, std::int64_t target, std::int64_t storeId = kStoreId)
    {
        QCOMPARE(servicetesting::subscribeUsers(*m_server->database(), n, 1, kind, target, storeId), QString());
    }

    QString status(int n, int kind, std::int64_t target, std::int64_t storeId = kStoreId)
    {
        QSqlQuery q(m_server->database()->handle());
        q.prepare(QStringLiteral("SELECT status FROM subscription WHERE user_id = ? AND kind = ? AND target = ? AND store_id = ?"));
        q.addBindValue(servicetesting::lineUserId(n));
        q.addBindValue(kind);
        q.addBindValue(qint64(target));
        q.addBindValue(qint64(storeId));
        return q.exec() && q.next() ? q.value(0).toString() : QStringLiteral("(none)");
    }

    static QStringList ids(const QJsonArray &subscriptions)
    {
        QStringList found;
        for (const QJsonValue &s : subscriptions)
            found << s.toObject().value(u"id").toString();
        return found;
    }

    static QJsonObject byId(const QJsonArray &subscriptions, const QString &id)
    {
        for (const QJsonValue &s : subscriptions)
            if (s.toObject().value(u"id").toString() == id)
                return s.toObject();
        return {};
    }

private Q_SLOTS:
    void init()
    {
        QCOMPARE(startLine(), QString());
        ServiceConfig config = serviceConfig();
        config.liffId = kLiffId;
        QCOMPARE(startServer(config), QString());
        QCOMPARE(servicetesting::addDemoStore(*m_server->database()), QString());
        DeviceRegistry registry(*m_server->database());
        QCOMPARE(registry.addStore(kBareStoreId, QStringLiteral("shibuya"), QStringLiteral("ソラマド 渋谷店"),
                                   QStringLiteral("Soramado Shibuya")),
                 QString());
        QCOMPARE(registry.addDevice(QStringLiteral("kiosk-1"), kStoreId, QStringLiteral("entrance"), QByteArray(32, 'r')),
                 QString());
        QCOMPARE(registry.addKey(kKeyId, QStringLiteral("kiosk-1"), kKeySecret, QStringLiteral("local")), QString());
    }

    void cleanup() { stopAll(); }

    void listsWhatTheShoppersClaimsSubscribedNamedInBothLanguages()
    {
        const QString user = servicetesting::lineUserId(1);
        const QString other = servicetesting::lineUserId(2);
        QCOMPARE(claim(user, RegistrationKind::BrandInterest, 7), 200);
        QTest::qWait(5); // activated a few milliseconds apart, so the order below is defined
        QCOMPARE(claim(user, RegistrationKind::Restock, 100102), 200);
        QCOMPARE(claim(other, RegistrationKind::BrandInterest, 3), 200);
        subscribe(1, kBrand, 5);
        QSqlQuery stopFive(m_server->database()->handle());
        QVERIFY(stopFive.exec(QStringLiteral("UPDATE subscription SET status = 'stopped' WHERE target = 5")));
        const int verifiesBefore = m_line->requests(LineEndpoint::Verify).size();

        const QString idToken = idTokenFor(user);
        const Reply r = list(idToken);
        QCOMPARE(r.status, 200);
        const QJsonArray listed = r.json.value(u"subscriptions").toArray();
        // Active ones only, the most recently activated first; none of the other shopper's.
        QCOMPARE(ids(listed), (QStringList{QStringLiteral("2-100102-101"), QStringLiteral("1-7-101")}));
        QVERIFY(!r.body.contains("1-3-101"));

        const QJsonObject shirt = listed.at(0).toObject();
        QCOMPARE(shirt.value(u"target").toObject(),
                 (QJsonObject{{QStringLiteral("id"), 100102}, {QStringLiteral("kind"), QStringLiteral("restock")},
                              {QStringLiteral("nameJa"), kShirtJa}, {QStringLiteral("nameEn"), kShirtEn}}));
        QCOMPARE(shirt.value(u"store").toObject(),
                 (QJsonObject{{QStringLiteral("id"), 101}, {QStringLiteral("nameJa"), QStringLiteral("ソラマド 神宮前店")},
                              {QStringLiteral("nameEn"), QStringLiteral("Soramado Jingumae")}}));
        const QJsonObject brand = listed.at(1).toObject().value(u"target").toObject();
        QCOMPARE(brand.value(u"kind").toString(), QStringLiteral("brand"));
        QCOMPARE(brand.value(u"nameJa").toString(), kYamabikoJa);
        QCOMPARE(brand.value(u"nameEn").toString(), kYamabikoEn);

        // The service had LINE verify exactly the token it was given, for its channel.
        const auto verifies = m_line->requests(LineEndpoint::Verify);
        QCOMPARE(verifies.size(), verifiesBefore + 1);
        QCOMPARE(verifies.last().status, 200);
        QCOMPARE(verifies.last().body.toObject().value(u"id_token").toString(), idToken);
    }

    void aShopperWithoutSubscriptionsGetsAnEmptyList()
    {
        subscribe(2, kBrand, 7);
        const Reply r = list(idTokenFor(servicetesting::lineUserId(1)));
        QCOMPARE(r.status, 200);
        QVERIFY(r.json.value(u"subscriptions").isArray());
        QVERIFY(r.json.value(u"subscriptions").toArray().isEmpty());
    }

    void targetsTheCatalogCannotNameAreListedByIdWithTheirStore()
    {
        subscribe(1, kBrand, 7, kBareStoreId); // its store has no catalog yet
        subscribe(1, kBrand, 999);              // a brand the catalog does not have
        const QJsonArray listed = list(idTokenFor(servicetesting::lineUserId(1))).json.value(u"subscriptions").toArray();
        QCOMPARE(listed.size(), 2);
        const QJsonObject bare = byId(listed, QStringLiteral("1-7-102"));
        QCOMPARE(bare.value(u"target").toObject(),
                 (QJsonObject{{QStringLiteral("id"), 7}, {QStringLiteral("kind"), QStringLiteral("brand")}}));
        QCOMPARE(bare.value(u"store").toObject().value(u"nameEn").toString(), QStringLiteral("Soramado Shibuya"));
        QVERIFY(!byId(listed, QStringLiteral("1-999-101")).value(u"target").toObject().contains(u"nameJa"));
    }

    void requestsWithoutAnIdTokenAre401WithoutAskingLine()
    {
        subscribe(1, kBrand, 7);
        const QList<QByteArray> authorizations{QByteArray(), QByteArrayLiteral("Basic dXNlcjpwdw=="),
                                               QByteArrayLiteral("Bearer "), QByteArrayLiteral("Bearer"),
                                               "Bearer " + QByteArray(9000, 'a')};
        for (const QByteArray &authorization : authorizations) {
            QList<std::pair<QByteArray, QByteArray>> headers;
            if (!authorization.isNull())
                headers.append({"Authorization", authorization});
            const Reply listed =
                servicetesting::httpRequest(m_network, "GET", url(QStringLiteral("/v1/me/subscriptions")), {}, headers);
            QCOMPARE(listed.status, 401);
            QCOMPARE(listed.json.value(u"error").toString(), QStringLiteral("unauthorized"));
            QVERIFY(listed.headers.value("www-authenticate").startsWith("Bearer"));
            // A missing token is told before a bad body.
            const Reply stopped = stopRaw(authorization, "{}");
            QCOMPARE(stopped.status, 401);
            QCOMPARE(stopped.json.value(u"error").toString(), QStringLiteral("unauthorized"));
        }
        QVERIFY(m_line->requests(LineEndpoint::Verify).isEmpty());
        QCOMPARE(status(1, kBrand, 7), QStringLiteral("active"));
    }

    void idTokensLineRejectsAre401AndStopNothing()
    {
        const QString user = servicetesting::lineUserId(1);
        subscribe(1, kBrand, 7);
        const QStringList rejected = idTokensLineRejects(user) << QStringLiteral("not.a.jwt");
        for (const QString &idToken : rejected) {
            const Reply listed = list(idToken);
            QCOMPARE(listed.status, 401);
            QCOMPARE(listed.json.value(u"error").toString(), QStringLiteral("id_token_rejected"));
            QVERIFY(!listed.body.contains("1-7-101"));
            const Reply stopped = stop(idToken, stopEverything());
            QCOMPARE(stopped.status, 401);
            QCOMPARE(stopped.json.value(u"error").toString(), QStringLiteral("id_token_rejected"));
        }
        QCOMPARE(m_line->requests(LineEndpoint::Verify).size(), 2 * rejected.size()); // each was put to LINE
        QCOMPARE(status(1, kBrand, 7), QStringLiteral("active"));
    }

    void lineOutOfReachIs503AndStopsNothing_data()
    {
        QTest::addColumn<int>("httpStatus");
        QTest::addColumn<int>("hangMs");
        QTest::newRow("503") << 503 << 0;
        QTest::newRow("500") << 500 << 0;
        QTest::newRow("connection dropped") << 0 << 200;
    }
    void lineOutOfReachIs503AndStopsNothing()
    {
        QFETCH(int, httpStatus);
        QFETCH(int, hangMs);
        subscribe(1, kBrand, 7);
        const QString idToken = idTokenFor(servicetesting::lineUserId(1));
        // Enough for Qt's own resend of a request whose connection dropped.
        m_line->injectFault(LineEndpoint::Verify, {100, httpStatus, hangMs, false, {}});
        const Reply listed = list(idToken);
        QCOMPARE(listed.status, 503);
        QCOMPARE(listed.json.value(u"error").toString(), QStringLiteral("unavailable"));
        QCOMPARE(listed.headers.value("retry-after"), QByteArray("5"));
        QCOMPARE(stop(idToken, stopEverything()).status, 503);
        QCOMPARE(status(1, kBrand, 7), QStringLiteral("active"));
        // LINE is back: the page's retry works.
        m_line->clearFaults();
        QCOMPARE(list(idToken).json.value(u"subscriptions").toArray().size(), 1);
    }

    void bodiesThatCannotBeReadAre400WithoutAskingLine_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<QString>("messagePart");
        const QString expected = QStringLiteral("\"subscriptionId\"");
        QTest::newRow("empty") << QByteArray() << expected;
        QTest::newRow("not JSON") << QByteArray("stop please") << expected;
        QTest::newRow("array") << QByteArray("[\"1-7-101\"]") << expected;
        QTest::newRow("neither") << QByteArray("{}") << expected;
        QTest::newRow("both") << QByteArray("{\"subscriptionId\":\"1-7-101\",\"all\":true}") << expected;
        QTest::newRow("all false") << QByteArray("{\"all\":false}") << QStringLiteral("\"all\" must be true");
        QTest::newRow("all a string") << QByteArray("{\"all\":\"true\"}") << QStringLiteral("\"all\" must be true");
        const QString badId = QStringLiteral("must be a string id");
        QTest::newRow("id a number") << QByteArray("{\"subscriptionId\":7}") << badId;
        QTest::newRow("id garbage") << QByteArray("{\"subscriptionId\":\"'; DROP TABLE subscription\"}") << badId;
        QTest::newRow("unknown kind") << QByteArray("{\"subscriptionId\":\"9-7-101\"}") << badId;
        QTest::newRow("target over 32 bits") << QByteArray("{\"subscriptionId\":\"1-4294967296-101\"}") << badId;
        QTest::newRow("negative") << QByteArray("{\"subscriptionId\":\"1--7-101\"}") << badId;
        QTest::newRow("too large") << ("{\"subscriptionId\":\"" + QByteArray(2000, '1') + "\"}") << expected;
    }
    void bodiesThatCannotBeReadAre400WithoutAskingLine()
    {
        QFETCH(QByteArray, body);
        QFETCH(QString, messagePart);
        subscribe(1, kBrand, 7);
        const Reply r = stopRaw("Bearer " + idTokenFor(servicetesting::lineUserId(1)).toUtf8(), body);
        QCOMPARE(r.status, 400);
        QCOMPARE(r.json.value(u"error").toString(), QStringLiteral("malformed_body"));
        QVERIFY2(r.json.value(u"message").toString().contains(messagePart), qPrintable(r.json.value(u"message").toString()));
        QVERIFY(m_line->requests(LineEndpoint::Verify).isEmpty());
        QCOMPARE(status(1, kBrand, 7), QStringLiteral("active"));
    }

    void stoppingOneStopsItForThisShopperOnlyAndSaysWhat()
    {
        subscribe(1, kBrand, 7);
        subscribe(1, kRestock, 100102);
        subscribe(2, kBrand, 7);
        const QString idToken = idTokenFor(servicetesting::lineUserId(1));

        const Reply r = stop(idToken, stopOne(QStringLiteral("1-7-101")));
        QCOMPARE(r.status, 200);
        QCOMPARE(r.json.value(u"result").toString(), QStringLiteral("stopped"));
        const QJsonArray stopped = r.json.value(u"stopped").toArray();
        QCOMPARE(ids(stopped), QStringList{QStringLiteral("1-7-101")});
        QCOMPARE(stopped.first().toObject().value(u"target").toObject().value(u"nameJa").toString(), kYamabikoJa);
        QCOMPARE(stopped.first().toObject().value(u"target").toObject().value(u"nameEn").toString(), kYamabikoEn);
        QCOMPARE(ids(r.json.value(u"subscriptions").toArray()), QStringList{QStringLiteral("2-100102-101")}); // what is left
        QCOMPARE(status(1, kBrand, 7), QStringLiteral("stopped"));
        QCOMPARE(status(1, kRestock, 100102), QStringLiteral("active"));
        QCOMPARE(status(2, kBrand, 7), QStringLiteral("active")); // the other shopper's stays

        // Again: nothing changes, and the answer says so.
        const Reply again = stop(idToken, stopOne(QStringLiteral("1-7-101")));
        QCOMPARE(again.status, 200);
        QCOMPARE(again.json.value(u"result").toString(), QStringLiteral("not_active"));
        QVERIFY(again.json.value(u"stopped").toArray().isEmpty());
        QCOMPARE(ids(again.json.value(u"subscriptions").toArray()), QStringList{QStringLiteral("2-100102-101")});
        QCOMPARE(count(QStringLiteral("SELECT count(*) FROM subscription WHERE status = 'active'")), 2);
        QVERIFY(list(idToken).body.contains("2-100102-101"));
    }

    void anotherShoppersSubscriptionIsNotFoundAndStaysActive()
    {
        subscribe(1, kBrand, 3);
        subscribe(2, kBrand, 7);
        const QString idToken = idTokenFor(servicetesting::lineUserId(1));
        for (const QString &id : {QStringLiteral("1-7-101"), QStringLiteral("1-12345-101"), QStringLiteral("1-3-102")}) {
            const Reply r = stop(idToken, stopOne(id));
            QCOMPARE(r.status, 404);
            QCOMPARE(r.json.value(u"error").toString(), QStringLiteral("not_found"));
            QVERIFY(!r.json.contains(u"subscriptions"));
        }
        QCOMPARE(status(2, kBrand, 7), QStringLiteral("active"));
        QCOMPARE(status(1, kBrand, 3), QStringLiteral("active"));
    }

    void stoppingAllStopsEveryOneOfThisShopperAndListsThem()
    {
        subscribe(1, kBrand, 7);
        subscribe(1, kBrand, 3);
        subscribe(1, kRestock, 100102);
        subscribe(1, kBrand, 7, kBareStoreId);
        subscribe(2, kBrand, 7);
        const QString idToken = idTokenFor(servicetesting::lineUserId(1));

        const Reply r = stop(idToken, stopEverything());
        QCOMPARE(r.status, 200);
        QCOMPARE(r.json.value(u"result").toString(), QStringLiteral("stopped"));
        QStringList stopped = ids(r.json.value(u"stopped").toArray());
        stopped.sort();
        QCOMPARE(stopped, (QStringList{QStringLiteral("1-3-101"), QStringLiteral("1-7-101"), QStringLiteral("1-7-102"),
                                       QStringLiteral("2-100102-101")}));
        QCOMPARE(byId(r.json.value(u"stopped").toArray(), QStringLiteral("2-100102-101")).value(u"target").toObject()
                     .value(u"nameEn").toString(),
                 kShirtEn);
        QVERIFY(r.json.value(u"subscriptions").toArray().isEmpty());
        QCOMPARE(count(QStringLiteral("SELECT count(*) FROM subscription WHERE status = 'stopped'")), 4);
        QCOMPARE(status(2, kBrand, 7), QStringLiteral("active"));

        const Reply again = stop(idToken, stopEverything());
        QCOMPARE(again.status, 200);
        QCOMPARE(again.json.value(u"result").toString(), QStringLiteral("none"));
        QVERIFY(again.json.value(u"stopped").toArray().isEmpty());
        QCOMPARE(status(2, kBrand, 7), QStringLiteral("active"));
    }

    void aStoppedSubscriptionClaimedAgainIsListedAgain()
    {
        const QString user = servicetesting::lineUserId(1);
        QCOMPARE(claim(user, RegistrationKind::BrandInterest, 7), 200);
        QCOMPARE(stop(idTokenFor(user), stopOne(QStringLiteral("1-7-101"))).json.value(u"result").toString(),
                 QStringLiteral("stopped"));
        QVERIFY(list(idTokenFor(user)).json.value(u"subscriptions").toArray().isEmpty());
        QCOMPARE(claim(user, RegistrationKind::BrandInterest, 7), 200);
        QCOMPARE(ids(list(idTokenFor(user)).json.value(u"subscriptions").toArray()), QStringList{QStringLiteral("1-7-101")});
    }

    void theManagePageIsServedWithTheLiffIdUnderTheClaimPagesCsp()
    {
        const Reply page = servicetesting::httpRequest(m_network, "GET", url(QStringLiteral("/m")));
        const Reply claimPage = servicetesting::httpRequest(m_network, "GET", url(QStringLiteral("/")));
        QCOMPARE(page.status, 200);
        QVERIFY(page.headers.value("content-type").startsWith("text/html"));
        QVERIFY(page.body.contains("liffId: \"" + kLiffId.toUtf8() + "\""));
        QVERIFY(!page.body.contains("@LIFF_"));
        QVERIFY(page.body.contains("/v1/me/subscriptions"));
        QVERIFY(page.headers.value("content-security-policy").startsWith("default-src 'none';"));
        QCOMPARE(page.headers.value("content-security-policy"), claimPage.headers.value("content-security-policy"));
        QCOMPARE(page.headers.value("cache-control"), QByteArray("no-store"));
    }
};

QTEST_GUILESS_MAIN(SubscriptionsApiTest)
#include "subscriptionsapitest.moc"
