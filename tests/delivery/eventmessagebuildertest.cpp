// A product event's message as the fan-out gets it (messages/eventmessagebuilder.h): names
// from the stores' catalogs, a tracked link stored with the event, the chain's template, and
// a template that is checked when a chain sets it. Runs on SQLite, and on PostgreSQL when
// POPTAP_TEST_DATABASE names one.
#include "chains.h"
#include "deviceregistry.h"
#include "messages/chaintemplates.h"
#include "messages/eventmessagebuilder.h"
#include "messages/trackedlinks.h"
#include "servicetesting.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QSet>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

using namespace poptap;
using namespace poptap::delivery;

namespace {

constexpr std::int64_t kChainId = 1;
constexpr std::int64_t kStoreId = servicetesting::kDemoStoreId; // 101, with the demo catalog
constexpr std::int64_t kEmptyStoreId = 100;                     // in the chain, no catalog yet
constexpr std::int64_t kOtherChainStoreId = 300;
const QString kPublicUrl = QStringLiteral("https://poptap.example.jp");

ProductEvent restock(std::uint32_t variant)
{
    ProductEvent e;
    e.merchantEventId = QStringLiteral("restock-1");
    e.kind = ProductEvent::Kind::Restock;
    e.target = variant;
    e.storeId = kStoreId;
    e.productNameJa = QStringLiteral("オックスフォードシャツ");
    e.productNameEn = QStringLiteral("Oxford Shirt");
    e.imageUrl = QUrl(QStringLiteral("https://cdn.example.jp/1001.jpg"));
    e.priceYen = 12100;
    e.productUrl = QUrl(QStringLiteral("https://shop.example.jp/products/1001"));
    return e;
}

ProductEvent chainWideNewArrival(std::uint32_t brand)
{
    ProductEvent e = restock(0);
    e.merchantEventId = QStringLiteral("new-1");
    e.kind = ProductEvent::Kind::NewArrival;
    e.target = brand;
    e.storeId.reset();
    return e;
}

QString buttonUri(const QJsonArray &messages)
{
    return messages.first().toObject().value(QLatin1String("contents")).toObject().value(QLatin1String("footer")).toObject()
        .value(QLatin1String("contents")).toArray().first().toObject().value(QLatin1String("action")).toObject()
        .value(QLatin1String("uri")).toString();
}

} // namespace

class EventMessageBuilderTest : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    QString m_database = servicetesting::testDatabase();
    std::unique_ptr<ServiceDatabase> m_db;

    qint64 count(const QString &sql)
    {
        QSqlQuery q(m_db->handle());
        return q.exec(sql) && q.next() ? q.value(0).toLongLong() : -1;
    }

    Chains::Chain chain() { return *Chains(*m_db).byId(kChainId); }

private Q_SLOTS:
    void init()
    {
        const QString sqlite = m_dir.filePath(QStringLiteral("delivery.db"));
        QCOMPARE(servicetesting::resetDatabase(m_database, sqlite), QString());
        m_db = std::make_unique<ServiceDatabase>(QStringLiteral("builder-test"));
        QCOMPARE(m_db->open(m_database, sqlite), QString());
        QCOMPARE(m_db->migrate(), QString());
        QCOMPARE(servicetesting::addDemoStore(*m_db), QString());
        DeviceRegistry registry(*m_db);
        QCOMPARE(registry.addStore(kEmptyStoreId, QStringLiteral("umeda"), QStringLiteral("ソラマド 梅田店"),
                                   QStringLiteral("Soramado Umeda")),
                 QString());
        QCOMPARE(registry.addStore(kOtherChainStoreId, QStringLiteral("other"), QStringLiteral("別の店"), QStringLiteral("Other")),
                 QString());
        Chains chains(*m_db);
        QCOMPARE(chains.add(kChainId, QStringLiteral("soramado"), QStringLiteral("ソラマド"), QStringLiteral("Soramado")), QString());
        QCOMPARE(chains.assignStore(kStoreId, kChainId), QString());
        QCOMPARE(chains.assignStore(kEmptyStoreId, kChainId), QString());
    }

    void cleanup() { m_db.reset(); }

    void aRestockIsNamedFromTheStoresCatalog()
    {
        QString error;
        const auto names = ProductEventNamer(*m_db).names(restock(100102), kChainId, &error);
        QVERIFY2(names, qPrintable(error));
        QCOMPARE(names->brandId, 1u);
        QCOMPARE(names->brand.ja, QStringLiteral("クモ テーラーズ"));
        QCOMPARE(names->colour.en, QStringLiteral("Navy"));
        QCOMPARE(names->size, QStringLiteral("M"));
        QCOMPARE(names->store.ja, QStringLiteral("ソラマド 神宮前店"));
    }

    // The chain's first store has no catalog yet; the brand is found in the next one, and a
    // chain-wide message names no store.
    void aChainWideNewArrivalIsNamedFromAnyOfTheChainsCatalogs()
    {
        QString error;
        const auto names = ProductEventNamer(*m_db).names(chainWideNewArrival(7), kChainId, &error);
        QVERIFY2(names, qPrintable(error));
        QCOMPARE(names->brand.ja, QStringLiteral("ヤマビコ マウンテン"));
        QVERIFY(names->store.isEmpty());
    }

    void whatNoCatalogKnowsCannotBeWorded_data()
    {
        QTest::addColumn<int>("kind");
        QTest::addColumn<int>("target");
        QTest::addColumn<qint64>("store"); // 0: chain-wide
        QTest::addColumn<QString>("error");
        QTest::addRow("unknown variant") << 2 << 999901 << qint64(kStoreId)
                                         << QStringLiteral("variant 999901 is not in the catalog of store 101");
        QTest::addRow("store without catalog") << 2 << 100102 << qint64(kEmptyStoreId) << QStringLiteral("store 100 has no catalog");
        QTest::addRow("unknown brand at a store") << 1 << 9999 << qint64(kStoreId)
                                                  << QStringLiteral("brand 9999 is not in the catalog of store 101");
        QTest::addRow("unknown brand chain-wide") << 1 << 9999 << qint64(0) << QStringLiteral("brand 9999 is in no catalog of chain 1");
    }

    void whatNoCatalogKnowsCannotBeWorded()
    {
        QFETCH(int, kind);
        QFETCH(int, target);
        QFETCH(qint64, store);
        QFETCH(QString, error);
        ProductEvent event = restock(std::uint32_t(target));
        event.kind = ProductEvent::Kind(kind);
        event.storeId = store > 0 ? std::optional<std::int64_t>(store) : std::nullopt;
        QString why;
        QVERIFY(!ProductEventNamer(*m_db).names(event, kChainId, &why));
        QCOMPARE(why, error);
        QVERIFY(EventMessageBuilder(*m_db, kPublicUrl).build(QStringLiteral("e1"), chain(), event, &why).isEmpty());
        QCOMPARE(count(QStringLiteral("SELECT count(*) FROM tracked_link")), 0);
    }

    // One tracked link per event: built again (a fan-out resumed after a crash), the message
    // carries the same link, so its clicks are counted together.
    void theMessageCarriesOneTrackedLinkPerEvent()
    {
        const EventMessageBuilder builder(*m_db, kPublicUrl);
        QString error;
        const QJsonArray first = builder.build(QStringLiteral("event-1"), chain(), restock(100102), &error);
        QVERIFY2(!first.isEmpty(), qPrintable(error));
        const QString uri = buttonUri(first);
        QVERIFY2(uri.startsWith(kPublicUrl + QStringLiteral("/c/")), qPrintable(uri));
        const QString id = uri.mid(kPublicUrl.size() + 3);
        QVERIFY(isTrackedLinkId(id));

        QSqlQuery q(m_db->handle());
        QVERIFY(q.exec(QStringLiteral("SELECT id, event_id, chain_id, store_id, brand_id, target_url FROM tracked_link")));
        QVERIFY(q.next());
        QCOMPARE(q.value(0).toString(), id);
        QCOMPARE(q.value(1).toString(), QStringLiteral("event-1"));
        QCOMPARE(q.value(2).toLongLong(), kChainId);
        QCOMPARE(q.value(3).toLongLong(), kStoreId);
        QCOMPARE(q.value(4).toLongLong(), 1); // the brand of the restocked product, for per-brand clicks
        QCOMPARE(q.value(5).toString(), QStringLiteral("https://shop.example.jp/products/1001"));
        q.finish();

        QCOMPARE(buttonUri(builder.build(QStringLiteral("event-1"), chain(), restock(100102), &error)), uri);
        QCOMPARE(count(QStringLiteral("SELECT count(*) FROM tracked_link")), 1);
        const QString other = buttonUri(builder.build(QStringLiteral("event-2"), chain(), chainWideNewArrival(7), &error));
        QVERIFY(other != uri);
        QCOMPARE(count(QStringLiteral("SELECT count(*) FROM tracked_link WHERE store_id IS NULL AND brand_id = 7")), 1);
    }

    // The link is written on the caller's connection: a fan-out that rolls back its
    // transaction leaves no link behind.
    void theLinkIsPartOfTheCallersTransaction()
    {
        QVERIFY(m_db->handle().transaction());
        QString error;
        QVERIFY(!EventMessageBuilder(*m_db, kPublicUrl).build(QStringLiteral("event-1"), chain(), restock(100102), &error).isEmpty());
        QVERIFY(m_db->handle().rollback());
        QCOMPARE(count(QStringLiteral("SELECT count(*) FROM tracked_link")), 0);
    }

    void linksForwardOnlyToWebPages()
    {
        for (const QString &target : {QStringLiteral("javascript:alert(1)"), QStringLiteral("ftp://shop.example.jp/a"),
                                      QStringLiteral("/products/1"), QStringLiteral("https://"),
                                      QStringLiteral("https://shop.example.jp/") + QStringLiteral("a").repeated(2000)}) {
            QString error;
            QVERIFY2(createTrackedLink(*m_db, QStringLiteral("e"), kChainId, kStoreId, 1, QUrl(target), &error).isEmpty(),
                     qPrintable(target));
            QVERIFY(error.startsWith(QStringLiteral("a tracked link forwards only to an http(s) URL")));
        }
        QCOMPARE(count(QStringLiteral("SELECT count(*) FROM tracked_link")), 0);
    }

    void linkIdsAreUnguessable()
    {
        QSet<QString> ids;
        for (int i = 0; i < 200; ++i) {
            QString error;
            const QString id = createTrackedLink(*m_db, QStringLiteral("event-%1").arg(i), kChainId, std::nullopt, 7,
                                                 QUrl(QStringLiteral("https://shop.example.jp/new")), &error);
            QVERIFY2(isTrackedLinkId(id), qPrintable(id + error));
            ids.insert(id);
        }
        QCOMPARE(ids.size(), 200);
    }

    void aChainsTemplateIsCheckedWhenSetAndWordsItsMessages()
    {
        Chains chains(*m_db);
        const QString bad = QStringLiteral("{\"language\": \"en\", \"texts\": {\"restock.title\": {\"en\": \"{colour} {colr}\"}}}");
        const QString refused = chains.setMessageTemplate(kChainId, bad);
        QCOMPARE(refused, QStringLiteral("the message template is not valid: texts.restock.title.en: unknown placeholder {colr}; "
                                         "this text may use {brand}, {product}, {price}, {store}, {colour}, {size}"));
        QVERIFY(chain().messageTemplate.isEmpty());
        QVERIFY(!chains.setMessageTemplate(kChainId, QStringLiteral("{\"accentColor\": \"blue\"}")).isEmpty());

        QCOMPARE(chains.setMessageTemplate(kChainId, QStringLiteral("{\"language\": \"en\"}")), QString());
        QString error;
        const QJsonArray messages = EventMessageBuilder(*m_db, kPublicUrl).build(QStringLiteral("e"), chain(), restock(100102), &error);
        QCOMPARE(messages.first().toObject().value(QLatin1String("altText")).toString(),
                 QStringLiteral("Kumo Tailors Oxford Shirt (Navy / M) is back at Soramado Jingumae ¥12,100"));

        // Confirmations and stop replies at the chain's stores speak its language too.
        const ChainTemplates templates(*m_db);
        using Family = MessageTemplate::Family;
        QCOMPARE(templates.ofStore(kStoreId).language(Family::Reply), Language::English);
        QCOMPARE(templates.ofStores({kStoreId, kEmptyStoreId}).language(Family::Reply), Language::English);
        QCOMPARE(templates.ofStore(kOtherChainStoreId).language(Family::Reply), Language::Both); // no chain: built in
        QCOMPARE(templates.ofStores({kStoreId, kOtherChainStoreId}).language(Family::Reply), Language::Both);

        QCOMPARE(chains.setMessageTemplate(kChainId, QString()), QString()); // back to the built-in one
        QCOMPARE(templates.ofStore(kStoreId).language(Family::Reply), Language::Both);
    }

    // A template stored before it was checked (or by hand) does not stop the messages.
    void aStoredTemplateThatNoLongerParsesFallsBackToTheBuiltInOne()
    {
        QSqlQuery q(m_db->handle());
        QVERIFY(q.exec(QStringLiteral("UPDATE chain SET message_template = '{\"language\": \"klingon\"}'")));
        QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("template of chain 1 is not usable.*language: must be")));
        QString error;
        const QJsonArray messages = EventMessageBuilder(*m_db, kPublicUrl).build(QStringLiteral("e"), chain(), restock(100102), &error);
        QCOMPARE(messages.first().toObject().value(QLatin1String("altText")).toString(),
                 QStringLiteral("クモ テーラーズ オックスフォードシャツ（ネイビー / M）がソラマド 神宮前店に再入荷しました ¥12,100"));
    }
};

QTEST_GUILESS_MAIN(EventMessageBuilderTest)
#include "eventmessagebuildertest.moc"
