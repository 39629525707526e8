// A shopper taps a passive POP sticker (https://liff.line.me/{liffId}/p/{popId}) and claims it
// end to end: the delivery service in-process over real HTTP, LINE played by the emulator (ID
// token verify, push, webhooks). Runs on SQLite, and on PostgreSQL when POPTAP_TEST_DATABASE
// names one.
#include "chains.h"
#include "deviceregistry.h"
#include "emulatedservice.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkReply>
#include <QSqlError>
#include <QSqlQuery>
#include <QTest>

#include <algorithm>

using namespace poptap;
using namespace poptap::delivery;
using lineemu::LineEndpoint;

namespace {

using Reply = servicetesting::HttpReply;

constexpr std::int64_t kJingumae = servicetesting::kDemoStoreId;
constexpr std::int64_t kUmeda = 102;
constexpr std::int64_t kChain = 1;
// The demo catalog's POPs: 7001 "入口テーブル" → brand 9 Hanabi Denim, 7002 → brand 4 Kikyo Botanics.
constexpr std::uint32_t kEntrancePop = 7001;
constexpr std::uint32_t kHanabi = 9;
constexpr std::uint32_t kShelfPop = 7002;
// Umeda's own sticker: 8001 "レジ横" → brand 7 Yamabiko Mountain.
constexpr std::uint32_t kUmedaPop = 8001;
constexpr std::uint32_t kYamabiko = 7;

QJsonObject demoCatalog()
{
    QFile file(QStringLiteral(POPTAP_SOURCE_DIR "/resources/catalog/demo-catalog.json"));
    if (!file.open(QIODevice::ReadOnly))
        qFatal("no demo catalog");
    return QJsonDocument::fromJson(file.readAll()).object();
}

QByteArray toJson(const QJsonObject &catalog)
{
    return QJsonDocument(catalog).toJson();
}

// The demo catalog as store 102's, with `pops` as its stickers.
QJsonObject umedaCatalog(const QJsonArray &pops)
{
    QJsonObject catalog = demoCatalog();
    catalog.insert(QStringLiteral("store"), QJsonObject{{QStringLiteral("id"), qint64(kUmeda)},
                                                        {QStringLiteral("code"), QStringLiteral("umeda")},
                                                        {QStringLiteral("nameJa"), QStringLiteral("ソラマド 梅田店")},
                                                        {QStringLiteral("nameEn"), QStringLiteral("Soramado Umeda")}});
    catalog.insert(QStringLiteral("pops"), pops);
    return catalog;
}

QJsonObject pop(std::uint32_t id, std::uint32_t brandId, const QString &label)
{
    return {{QStringLiteral("id"), qint64(id)}, {QStringLiteral("brandId"), qint64(brandId)}, {QStringLiteral("label"), label}};
}

// `catalog` without the entries of `key` whose `field` is `value`.
QJsonObject without(QJsonObject catalog, const QString &key, const QString &field, qint64 value)
{
    QJsonArray kept;
    for (const QJsonValue &entry : catalog.value(key).toArray())
        if (entry.toObject().value(field).toInteger() != value)
            kept << entry;
    catalog.insert(key, kept);
    return catalog;
}

} // namespace

class PopClaimTest : public QObject, private servicetesting::EmulatedService
{
    Q_OBJECT

    QString m_chainKey;

    // What the claim page posts for a sticker: {pop, idToken}.
    Reply claimPop(const QJsonValue &popId, const QString &idToken)
    {
        const QJsonObject body{{QStringLiteral("pop"), popId}, {QStringLiteral("idToken"), idToken}};
        return post(body);
    }

    Reply post(const QJsonObject &body)
    {
        return servicetesting::httpRequest(m_network, "POST", url(QStringLiteral("/v1/claims")),
                                           QJsonDocument(body).toJson(QJsonDocument::Compact));
    }

    static QString result(const Reply &r) { return r.json.value(QLatin1String("result")).toString(); }

    // Nothing of a refused claim may be left behind: no user, claim, subscription or push.
    void verifyNothingStored()
    {
        for (const char *table : {"line_user", "registration_claim", "subscription", "push_outbox"})
            QVERIFY2(count(QStringLiteral("SELECT count(*) FROM %1").arg(QLatin1String(table))) == 0, table);
    }

    bool isFriend(const QString &user)
    {
        return count(QStringLiteral("SELECT is_friend FROM line_user WHERE user_id = '%1'").arg(user)) == 1;
    }

    // Confirmations LINE took for `user` (replies, such as the stop keyword's, not counted).
    int pushesTo(const QString &user) const
    {
        const QList<lineemu::Delivery> all = m_line->deliveries(user);
        return int(std::count_if(all.cbegin(), all.cend(),
                                 [](const lineemu::Delivery &d) { return d.endpoint == QLatin1String("push"); }));
    }

    // The chain's analytics grouped by POP, store and brand, over the days around today.
    QJsonArray popRows()
    {
        const QDate today = QDate::currentDate();
        const QString path = QStringLiteral("/v1/analytics?from=%1&to=%2&groupBy=pop,store,brand")
                                 .arg(today.addDays(-1).toString(Qt::ISODate), today.addDays(1).toString(Qt::ISODate));
        const Reply r = servicetesting::httpRequest(m_network, "GET", url(path), {},
                                                    {{"Authorization", "Bearer " + m_chainKey.toUtf8()}});
        if (r.status != 200)
            qWarning() << "analytics answered" << r.status << r.body;
        return r.json.value(u"rows").toArray();
    }

    static QJsonObject rowOfPop(const QJsonArray &rows, std::uint32_t popId)
    {
        for (const QJsonValue &row : rows)
            if (row.toObject().value(u"pop").toObject().value(u"id").toInteger() == popId)
                return row.toObject();
        return {};
    }

private Q_SLOTS:
    void init()
    {
        QCOMPARE(startLine(), QString());
        QCOMPARE(startServer(), QString());
        // Two stores of one chain, each with its own stickers; no kiosk is needed for a sticker.
        ServiceDatabase &db = *m_server->database();
        QCOMPARE(servicetesting::addDemoStore(db), QString());
        DeviceRegistry registry(db);
        QCOMPARE(registry.addStore(kUmeda, QStringLiteral("umeda"), QStringLiteral("ソラマド 梅田店"), QStringLiteral("Soramado Umeda")),
                 QString());
        QCOMPARE(registry.setCatalog(kUmeda, toJson(umedaCatalog({pop(kUmedaPop, kYamabiko, QStringLiteral("レジ横"))}))),
                 QString());
        Chains chains(db);
        QCOMPARE(chains.add(kChain, QStringLiteral("soramado"), QStringLiteral("ソラマド"), QStringLiteral("Soramado")), QString());
        QCOMPARE(chains.assignStore(kJingumae, kChain), QString());
        QCOMPARE(chains.assignStore(kUmeda, kChain), QString());
        QCOMPARE(chains.issueApiKey(kChain, &m_chainKey), QString());
    }

    void cleanup() { stopAll(); }

    void aStickerSubscribesToItsBrandAtItsStoreAndConfirms()
    {
        const QString user = m_line->addUser({}).userId;
        const Reply r = claimPop(QStringLiteral("7001"), idTokenFor(user));
        QCOMPARE(r.status, 200);
        QCOMPARE(result(r), QStringLiteral("subscribed"));
        const QJsonObject target = r.json.value(u"target").toObject();
        QCOMPARE(target.value(u"kind").toString(), QStringLiteral("brand"));
        QCOMPARE(target.value(u"id").toInteger(), kHanabi);
        QCOMPARE(target.value(u"nameJa").toString(), QStringLiteral("ハナビ デニム"));
        QCOMPARE(target.value(u"nameEn").toString(), QStringLiteral("Hanabi Denim"));
        // The same subscription a brand claim at the kiosk gives; the claim remembers the POP.
        QCOMPARE(count(QStringLiteral("SELECT count(*) FROM subscription WHERE user_id = '%1' AND kind = 1 AND target = %2"
                                      " AND store_id = %3 AND status = 'active'")
                           .arg(user).arg(kHanabi).arg(kJingumae)),
                 1);
        QCOMPARE(count(QStringLiteral("SELECT count(*) FROM registration_claim WHERE user_id = '%1' AND kind = 3 AND target = %2"
                                      " AND store_id = %3")
                           .arg(user).arg(kEntrancePop).arg(kJingumae)),
                 1);
        QCOMPARE(m_line->requests(LineEndpoint::Verify).size(), 1); // the ID token, checked by LINE
        QTRY_COMPARE(m_line->deliveryCount(user), 1);
        QVERIFY2(confirmationTo(user).contains(QStringLiteral("ハナビ デニム")), qPrintable(confirmationTo(user)));
        QVERIFY2(confirmationTo(user).contains(QStringLiteral("Hanabi Denim")), qPrintable(confirmationTo(user)));
        QCOMPARE(stopButtonData(user), QStringLiteral("v=1&action=stop&kind=1&target=9&store=101"));

        // The other store's sticker: its own brand, at that store.
        const Reply umeda = claimPop(QStringLiteral("8001"), idTokenFor(user));
        QCOMPARE(result(umeda), QStringLiteral("subscribed"));
        QCOMPARE(umeda.json.value(u"target").toObject().value(u"nameEn").toString(), QStringLiteral("Yamabiko Mountain"));
        QCOMPARE(count(QStringLiteral("SELECT count(*) FROM subscription WHERE user_id = '%1' AND kind = 1 AND target = %2"
                                      " AND store_id = %3 AND status = 'active'")
                           .arg(user).arg(kYamabiko).arg(kUmeda)),
                 1);
        QTRY_COMPARE(m_line->deliveryCount(user), 2);
    }

    void everyShopperMayClaimTheStickerAndTheSameOneTwiceIsAlreadySubscribed()
    {
        QStringList users;
        for (int i = 0; i < 3; ++i) {
            users << m_line->addUser({}).userId;
            QCOMPARE(result(claimPop(QStringLiteral("7001"), idTokenFor(users.last()))), QStringLiteral("subscribed"));
        }
        const Reply again = claimPop(QStringLiteral("7001"), idTokenFor(users.first()));
        QCOMPARE(again.status, 200);
        QCOMPARE(result(again), QStringLiteral("already_subscribed"));
        QCOMPARE(again.json.value(u"target").toObject().value(u"nameJa").toString(), QStringLiteral("ハナビ デニム"));
        for (const QString &user : std::as_const(users))
            QTRY_COMPARE(m_line->deliveryCount(user), 1);
        QTest::qWait(300);
        QCOMPARE(m_line->deliveryCount(users.first()), 1); // the repeat sent nothing
        QCOMPARE(count(QStringLiteral("SELECT count(*) FROM subscription WHERE status = 'active'")), 3);
        QCOMPARE(count(QStringLiteral("SELECT count(*) FROM registration_claim")), 3);
        QCOMPARE(count(QStringLiteral("SELECT count(*) FROM push_outbox")), 3);
    }

    // A phone that sends its claim twice at once (a double tap): one subscription, one push.
    void twoClaimsAtOnceConfirmOnce()
    {
        const QString user = m_line->addUser({}).userId;
        const QByteArray body = QJsonDocument(QJsonObject{{QStringLiteral("pop"), QStringLiteral("7001")},
                                                          {QStringLiteral("idToken"), idTokenFor(user)}})
                                    .toJson(QJsonDocument::Compact);
        QNetworkRequest request(url(QStringLiteral("/v1/claims")));
        request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
        QNetworkReply *first = m_network.post(request, body);
        QNetworkReply *second = m_network.post(request, body);
        QTRY_VERIFY(first->isFinished() && second->isFinished());
        QStringList results{QJsonDocument::fromJson(first->readAll()).object().value(u"result").toString(),
                            QJsonDocument::fromJson(second->readAll()).object().value(u"result").toString()};
        results.sort();
        QCOMPARE(results, (QStringList{QStringLiteral("already_subscribed"), QStringLiteral("subscribed")}));
        first->deleteLater();
        second->deleteLater();
        QCOMPARE(count(QStringLiteral("SELECT count(*) FROM push_outbox")), 1);
        QTRY_COMPARE(m_line->deliveryCount(user), 1);
    }

    // Stopped with the confirmation's button, then the sticker again: subscribed again.
    void aStickerActivatesAStoppedSubscriptionAgain()
    {
        const QString user = m_line->addUser({}).userId;
        QCOMPARE(result(claimPop(QStringLiteral("7001"), idTokenFor(user))), QStringLiteral("subscribed"));
        QTRY_COMPARE(m_line->deliveryCount(user), 1);
        QCOMPARE(sendPostback(user, stopButtonData(user)).status, 200);
        QTRY_COMPARE(count(QStringLiteral("SELECT count(*) FROM subscription WHERE status = 'stopped'")), 1);

        const Reply again = claimPop(QStringLiteral("7001"), idTokenFor(user));
        QCOMPARE(result(again), QStringLiteral("subscribed"));
        QCOMPARE(count(QStringLiteral("SELECT count(*) FROM subscription WHERE status = 'active'")), 1);
        QCOMPARE(count(QStringLiteral("SELECT count(*) FROM registration_claim")), 1); // still one shopper of this POP
        // A second confirmation; the stop was answered by a reply, which may come before or after it.
        QTRY_COMPARE(pushesTo(user), 2);
        QTRY_COMPARE(m_line->deliveryCount(user), 3);
    }

    void anUnknownOrMalformedPopIsInvalidAndStoresNothing_data()
    {
        QTest::addColumn<QString>("popId");
        QTest::newRow("in no catalog") << QStringLiteral("9999");
        QTest::newRow("not a number") << QStringLiteral("abc");
        QTest::newRow("zero") << QStringLiteral("0");
        QTest::newRow("leading zeros") << QStringLiteral("007001");
        QTest::newRow("negative") << QStringLiteral("-7001");
        QTest::newRow("trailing space") << QStringLiteral("7001 ");
        QTest::newRow("fullwidth digits") << QStringLiteral("７００１");
        QTest::newRow("2^32") << QStringLiteral("4294967296");
        QTest::newRow("huge") << QStringLiteral("99999999999999999999999999");
        QTest::newRow("path") << QStringLiteral("../r/7001");
        QTest::newRow("empty") << QString();
        QTest::newRow("long") << QStringLiteral("7").repeated(4000);
    }
    void anUnknownOrMalformedPopIsInvalidAndStoresNothing()
    {
        QFETCH(QString, popId);
        const Reply r = claimPop(popId, idTokenFor(m_line->addUser({}).userId));
        QCOMPARE(r.status, 400);
        QCOMPARE(result(r), QStringLiteral("invalid"));
        QVERIFY(!r.json.contains(QLatin1String("target")));
        QVERIFY(m_line->requests(LineEndpoint::Verify).isEmpty()); // refused before asking LINE
        verifyNothingStored();
    }

    void bodiesThatAreNeitherATokenNorAPopClaimAreRefused_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::newRow("pop as a number") << QByteArray(R"({"pop":7001,"idToken":"x"})");
        QTest::newRow("pop and token") << QByteArray(R"({"pop":"7001","token":"abc","idToken":"x"})");
        QTest::newRow("no idToken") << QByteArray(R"({"pop":"7001"})");
        QTest::newRow("pop null") << QByteArray(R"({"pop":null,"idToken":"x"})");
        QTest::newRow("pop array") << QByteArray(R"({"pop":["7001"],"idToken":"x"})");
    }
    void bodiesThatAreNeitherATokenNorAPopClaimAreRefused()
    {
        QFETCH(QByteArray, body);
        const Reply r = servicetesting::httpRequest(m_network, "POST", url(QStringLiteral("/v1/claims")), body);
        QCOMPARE(r.status, 400);
        QCOMPARE(r.json.value(u"error").toString(), QStringLiteral("malformed_body"));
        QVERIFY(m_line->requests(LineEndpoint::Verify).isEmpty());
        verifyNothingStored();
    }

    void aPopTakenOutOfItsCatalogIsInvalid()
    {
        DeviceRegistry registry(*m_server->database());
        QCOMPARE(registry.setCatalog(kJingumae, toJson(without(demoCatalog(), QStringLiteral("pops"), QStringLiteral("id"), kShelfPop))),
                 QString());
        const QString user = m_line->addUser({}).userId;
        const Reply gone = claimPop(QStringLiteral("7002"), idTokenFor(user));
        QCOMPARE(gone.status, 400);
        QCOMPARE(result(gone), QStringLiteral("invalid"));
        verifyNothingStored();
        QCOMPARE(result(claimPop(QStringLiteral("7001"), idTokenFor(user))), QStringLiteral("subscribed")); // still there
    }

    void aPopWhoseBrandWasRemovedIsInvalid()
    {
        // Hanabi Denim leaves the store: its brand, products and sticker go from the catalog.
        QJsonObject catalog = without(demoCatalog(), QStringLiteral("brands"), QStringLiteral("id"), kHanabi);
        catalog = without(catalog, QStringLiteral("products"), QStringLiteral("brandId"), kHanabi);
        catalog = without(catalog, QStringLiteral("pops"), QStringLiteral("brandId"), kHanabi);
        QCOMPARE(DeviceRegistry(*m_server->database()).setCatalog(kJingumae, toJson(catalog)), QString());
        const Reply r = claimPop(QStringLiteral("7001"), idTokenFor(m_line->addUser({}).userId));
        QCOMPARE(r.status, 400);
        QCOMPARE(result(r), QStringLiteral("invalid"));
        QVERIFY(m_line->requests(LineEndpoint::Verify).isEmpty());
        verifyNothingStored();
    }

    // POP ids must name one sticker in the whole service: a catalog that reuses another store's
    // is refused where it enters the service, and nothing of it is stored.
    void aCatalogReusingAnotherStoresPopIdIsRefused()
    {
        DeviceRegistry registry(*m_server->database());
        const std::optional<QString> before = registry.catalogETag(kUmeda);
        const QString refused = registry.setCatalog(
            kUmeda, toJson(umedaCatalog({pop(kUmedaPop, kYamabiko, {}), pop(kEntrancePop, kYamabiko, QStringLiteral("入口"))})));
        QVERIFY2(refused.contains(QStringLiteral("POP 7001 is already in the catalog of store 101")), qPrintable(refused));
        QVERIFY2(refused.contains(QStringLiteral("unique across all stores")), qPrintable(refused));
        QCOMPARE(registry.catalogETag(kUmeda), before);
        // A store's own POPs never clash with its old catalog.
        QFile demo(QStringLiteral(POPTAP_SOURCE_DIR "/resources/catalog/demo-catalog.json"));
        QVERIFY(demo.open(QIODevice::ReadOnly));
        QCOMPARE(registry.setCatalog(kJingumae, demo.readAll()), QString());

        // Moving the sticker: out of Jingumae's catalog first, then into Umeda's; claims follow it.
        QCOMPARE(registry.setCatalog(kJingumae, toJson(without(demoCatalog(), QStringLiteral("pops"), QStringLiteral("id"), kEntrancePop))),
                 QString());
        QCOMPARE(registry.setCatalog(kUmeda, toJson(umedaCatalog({pop(kEntrancePop, kYamabiko, QStringLiteral("入口"))}))), QString());
        const QString user = m_line->addUser({}).userId;
        const Reply moved = claimPop(QStringLiteral("7001"), idTokenFor(user));
        QCOMPARE(result(moved), QStringLiteral("subscribed"));
        QCOMPARE(moved.json.value(u"target").toObject().value(u"nameEn").toString(), QStringLiteral("Yamabiko Mountain"));
        QCOMPARE(count(QStringLiteral("SELECT count(*) FROM subscription WHERE target = %1 AND store_id = %2").arg(kYamabiko).arg(kUmeda)),
                 1);
    }

    // Catalogs stored before POP ids had to be unique may share one: the sticker is refused,
    // never guessed to be one store's.
    void aPopIdInTwoStoredCatalogsIsRefusedNotGuessed()
    {
        QSqlQuery q(m_server->database()->handle());
        q.prepare(QStringLiteral("UPDATE store_catalog SET etag = 'stored-before-the-rule', body = ? WHERE store_id = ?"));
        q.addBindValue(QString::fromUtf8(toJson(umedaCatalog({pop(kEntrancePop, kYamabiko, {})}))));
        q.addBindValue(qint64(kUmeda));
        QVERIFY2(q.exec() && q.numRowsAffected() == 1, qPrintable(q.lastError().text()));
        const Reply r = claimPop(QStringLiteral("7001"), idTokenFor(m_line->addUser({}).userId));
        QCOMPARE(r.status, 400);
        QCOMPARE(result(r), QStringLiteral("invalid"));
        QVERIFY2(r.json.value(u"message").toString().contains(QStringLiteral("ambiguous")), r.body.constData());
        verifyNothingStored();
    }

    void idTokensLineRejectsAreRefusedAndStoreNothing()
    {
        const QString user = m_line->addUser({}).userId;
        const QStringList idTokens = idTokensLineRejects(user) << QStringLiteral("not.a.jwt") << QString()
                                                               << QStringLiteral("x").repeated(9000);
        for (const QString &idToken : idTokens) {
            const Reply r = claimPop(QStringLiteral("7001"), idToken);
            QCOMPARE(r.status, 401);
            QCOMPARE(result(r), QStringLiteral("id_token_rejected"));
        }
        QCOMPARE(m_line->requests(LineEndpoint::Verify).size(), 3); // empty and oversized ones never reach LINE
        verifyNothingStored();
    }

    void lineDownMeansTryAgainNotLost()
    {
        const QString user = m_line->addUser({}).userId;
        m_line->injectFault(LineEndpoint::Verify, {1, 503, 0, false, {}});
        const Reply down = claimPop(QStringLiteral("7001"), idTokenFor(user));
        QCOMPARE(down.status, 503);
        QCOMPARE(result(down), QStringLiteral("unavailable"));
        verifyNothingStored();
        QCOMPARE(result(claimPop(QStringLiteral("7001"), idTokenFor(user))), QStringLiteral("subscribed")); // the page's retry
    }

    // Claims, friend adds and blocks of stickers per POP in GET /v1/analytics?groupBy=pop. The
    // claim may come before the follow webhook (DESIGN.md, "Races") or after it.
    void analyticsCountStickerClaimsPerPop()
    {
        using Type = lineemu::WebhookEventSpec::Type;
        const QString claimsFirst = m_line->addUser({}).userId;
        const QString followsFirst = m_line->addUser({}).userId;
        const QString shelf = m_line->addUser({}).userId;
        const QString umeda = m_line->addUser({}).userId;

        QCOMPARE(result(claimPop(QStringLiteral("7001"), idTokenFor(claimsFirst))), QStringLiteral("subscribed"));
        QCOMPARE(sendEvent(Type::Follow, claimsFirst).status, 200);
        QTRY_VERIFY(isFriend(claimsFirst)); // the user the claim created is a friend now
        QCOMPARE(result(claimPop(QStringLiteral("7001"), idTokenFor(claimsFirst))), QStringLiteral("already_subscribed"));

        QCOMPARE(sendEvent(Type::Follow, followsFirst).status, 200);
        QTRY_VERIFY(isFriend(followsFirst));
        QCOMPARE(result(claimPop(QStringLiteral("7001"), idTokenFor(followsFirst))), QStringLiteral("subscribed"));

        QCOMPARE(result(claimPop(QStringLiteral("7002"), idTokenFor(shelf))), QStringLiteral("subscribed"));
        QCOMPARE(result(claimPop(QStringLiteral("8001"), idTokenFor(umeda))), QStringLiteral("subscribed"));
        QCOMPARE(sendEvent(Type::Unfollow, claimsFirst).status, 200);
        QTRY_VERIFY(!isFriend(claimsFirst));

        const QJsonArray rows = popRows();
        const QJsonObject entrance = rowOfPop(rows, kEntrancePop);
        QCOMPARE(entrance.value(u"pop").toObject().value(u"storeId").toInteger(), kJingumae);
        QCOMPARE(entrance.value(u"pop").toObject().value(u"label").toString(), QStringLiteral("入口テーブル"));
        QCOMPARE(entrance.value(u"store").toObject().value(u"code").toString(), QStringLiteral("jingumae"));
        QCOMPARE(entrance.value(u"brand").toObject().value(u"id").toInteger(), kHanabi);
        QCOMPARE(entrance.value(u"claims").toInteger(), 2); // two shoppers; the repeat is not a claim
        QCOMPARE(entrance.value(u"friendAdds").toInteger(), 2);
        QCOMPARE(entrance.value(u"blocks").toInteger(), 1);
        const QJsonObject shelfRow = rowOfPop(rows, kShelfPop);
        QCOMPARE(shelfRow.value(u"claims").toInteger(), 1);
        QCOMPARE(shelfRow.value(u"friendAdds").toInteger(), 0);
        QCOMPARE(shelfRow.value(u"brand").toObject().value(u"nameEn").toString(), QStringLiteral("Kikyo Botanics"));
        const QJsonObject umedaRow = rowOfPop(rows, kUmedaPop);
        QCOMPARE(umedaRow.value(u"pop").toObject().value(u"storeId").toInteger(), kUmeda);
        QCOMPARE(umedaRow.value(u"pop").toObject().value(u"label").toString(), QStringLiteral("レジ横"));
        QCOMPARE(umedaRow.value(u"claims").toInteger(), 1);
        qint64 claims = 0;
        for (const QJsonValue &row : rows)
            claims += row.toObject().value(u"claims").toInteger();
        QCOMPARE(claims, 4); // every sticker claim sits at its POP; none is unattributed
    }
};

QTEST_GUILESS_MAIN(PopClaimTest)
#include "popclaimtest.moc"
