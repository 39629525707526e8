#include "catalog.h"
#include "catalogcache.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QSvgRenderer>
#include <QTemporaryDir>
#include <QTest>

using namespace poptap;

class CatalogTest : public QObject
{
    Q_OBJECT

    const QString demoDir = QStringLiteral(POPTAP_SOURCE_DIR "/resources/catalog");

    QByteArray demoJson() const
    {
        QFile f(demoDir + QStringLiteral("/demo-catalog.json"));
        if (!f.open(QIODevice::ReadOnly))
            qFatal("demo catalog missing");
        return f.readAll();
    }
    QJsonObject demoObject() const { return QJsonDocument::fromJson(demoJson()).object(); }

private Q_SLOTS:
    void demoCatalogIsValidWithAtLeast40Brands()
    {
        const CatalogParse parsed = parseCatalogJson(demoJson());
        QVERIFY2(parsed.errors.isEmpty(), qPrintable(parsed.errors.join(u'\n')));
        QVERIFY(parsed.catalog.brands.size() >= 40);
        QVERIFY(!parsed.catalog.store.nameJa.isEmpty());
        QCOMPARE(parsed.catalog.link.linkTemplate, QStringLiteral("liff"));
    }

    void everyDemoLogoExistsAndRenders()
    {
        const CatalogParse parsed = parseCatalogJson(demoJson());
        for (const Brand &b : parsed.catalog.brands) {
            const QString path = demoDir + QStringLiteral("/logos/") + b.logo;
            QSvgRenderer renderer(path);
            QVERIFY2(renderer.isValid(), qPrintable(path));
            QCOMPARE(renderer.viewBoxF(), QRectF(0, 0, 200, 200));
        }
        // No logo on disk that no brand uses.
        QCOMPARE(QDir(demoDir + QStringLiteral("/logos")).entryList({QStringLiteral("*.svg")}).size(),
                 parsed.catalog.brands.size());
    }

    void visibleBrandsAreEnabledOnesInDisplayOrder()
    {
        const Catalog c = parseCatalogJson(demoJson()).catalog;
        const QList<Brand> visible = c.visibleBrands();
        QCOMPARE(visible.size(), c.brands.size() - 3);
        for (qsizetype i = 1; i < visible.size(); ++i)
            QVERIFY(visible[i - 1].displayOrder <= visible[i].displayOrder);
        for (const Brand &b : visible)
            QVERIFY(b.enabled);
    }

    void invalidCatalogsAreRefusedWhole_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<QString>("expected");
        QJsonObject root = demoObject();
        const auto variant = [&](auto change) {
            QJsonObject copy = root;
            change(copy);
            return QJsonDocument(copy).toJson();
        };
        const auto brandChange = [&](int index, const char *key, const QJsonValue &value) {
            return variant([=](QJsonObject &o) {
                QJsonArray brands = o.value(QLatin1String("brands")).toArray();
                QJsonObject b = brands.at(index).toObject();
                b.insert(QLatin1String(key), value);
                brands.replace(index, b);
                o.insert(QLatin1String("brands"), brands);
            });
        };
        QTest::newRow("not json") << QByteArray("{\"brands\": [") << "not JSON";
        QTest::newRow("array") << QByteArray("[]") << "JSON object";
        QTest::newRow("schema") << variant([](QJsonObject &o) { o.insert(QLatin1String("schemaVersion"), 2); }) << "schemaVersion";
        QTest::newRow("duplicate id") << brandChange(1, "id", 1) << "brands[1].id: 1 is used twice";
        QTest::newRow("negative id") << brandChange(0, "id", -3) << "brands[0].id";
        QTest::newRow("fractional id") << brandChange(0, "id", 1.5) << "brands[0].id";
        QTest::newRow("id too large") << brandChange(0, "id", 4294967296.0) << "brands[0].id";
        QTest::newRow("empty name") << brandChange(2, "nameJa", QString()) << "brands[2].nameJa";
        QTest::newRow("slug") << brandChange(0, "slug", QStringLiteral("Bad Slug")) << "brands[0].slug";
        QTest::newRow("logo path") << brandChange(0, "logo", QStringLiteral("../../etc/passwd.svg")) << "brands[0].logo";
        QTest::newRow("template") << variant([](QJsonObject &o) {
            o.insert(QLatin1String("link"), QJsonObject{{QStringLiteral("template"), QStringLiteral("http://x.test/{token}")}});
        }) << "link.template";
        QTest::newRow("no brands") << variant([](QJsonObject &o) { o.remove(QLatin1String("brands")); }) << "brands: an array";
        const auto popsChange = [&](auto change) {
            return variant([=](QJsonObject &o) {
                QJsonArray pops = o.value(QLatin1String("pops")).toArray();
                change(pops);
                o.insert(QLatin1String("pops"), pops);
            });
        };
        const auto popChange = [&](int index, const char *key, const QJsonValue &value) {
            return popsChange([=](QJsonArray &pops) {
                QJsonObject p = pops.at(index).toObject();
                p.insert(QLatin1String(key), value);
                pops.replace(index, p);
            });
        };
        QTest::newRow("pops not an array") << variant([](QJsonObject &o) { o.insert(QLatin1String("pops"), 7001); })
                                           << "pops: an array";
        QTest::newRow("pop of an unknown brand") << popChange(1, "brandId", 999) << "pops[1].brandId: no brand 999";
        QTest::newRow("pop without a brand") << popsChange([](QJsonArray &pops) { pops.append(QJsonObject{{QStringLiteral("id"), 7100}}); })
                                             << "pops[5].brandId";
        QTest::newRow("duplicate pop id") << popChange(2, "id", 7001) << "pops[2].id: 7001 is used twice";
        QTest::newRow("pop id zero") << popChange(0, "id", 0) << "pops[0].id";
        QTest::newRow("pop label not text") << popChange(0, "label", 12) << "pops[0].label: a string";
        QTest::newRow("pop label too long") << popChange(0, "label", QString(81, u'x')) << "pops[0].label: longer than 80";
        QTest::newRow("all disabled") << variant([](QJsonObject &o) {
            QJsonArray brands = o.value(QLatin1String("brands")).toArray();
            for (qsizetype i = 0; i < brands.size(); ++i) {
                QJsonObject b = brands.at(i).toObject();
                b.insert(QLatin1String("enabled"), false);
                brands.replace(i, b);
            }
            o.insert(QLatin1String("brands"), brands);
        }) << "at least one brand";
    }
    void invalidCatalogsAreRefusedWhole()
    {
        QFETCH(QByteArray, json);
        QFETCH(QString, expected);
        const CatalogParse parsed = parseCatalogJson(json);
        QVERIFY2(parsed.errors.join(u'\n').contains(expected), qPrintable(parsed.errors.join(u'\n')));
        QVERIFY(parsed.catalog.brands.isEmpty()); // nothing half-applied
    }

    void demoCatalogHasPopsOfItsBrands()
    {
        const Catalog c = parseCatalogJson(demoJson()).catalog;
        QCOMPARE(c.pops.size(), 5);
        for (const Pop &p : c.pops)
            QVERIFY2(c.brand(p.brandId), qPrintable(QString::number(p.id)));
        QCOMPARE(c.pop(7001)->brandId, 9u);
        QCOMPARE(c.pop(7001)->label, QStringLiteral("入口テーブル"));
        QCOMPARE(c.pop(7005)->label, QString()); // the label is optional
        QVERIFY(!c.pop(1));
    }

    void popsAreOptional()
    {
        QJsonObject root = demoObject();
        root.remove(QLatin1String("pops"));
        const CatalogParse without = parseCatalogJson(QJsonDocument(root).toJson());
        QVERIFY2(without.errors.isEmpty(), qPrintable(without.errors.join(u'\n')));
        QVERIFY(without.catalog.pops.isEmpty());
        root.insert(QLatin1String("pops"), QJsonValue::Null);
        QVERIFY(parseCatalogJson(QJsonDocument(root).toJson()).errors.isEmpty());
    }

    void cacheRoundTripsTheCatalog()
    {
        QTemporaryDir dir;
        const Catalog demo = parseCatalogJson(demoJson()).catalog;
        CatalogCache cache;
        QVERIFY(cache.open(dir.filePath(QStringLiteral("catalog.db"))).error.isEmpty());
        QVERIFY(!cache.load().has_value());
        QCOMPARE(cache.apply(demo, CatalogCache::Source::Seed), QString());
        QCOMPARE(*cache.load(), demo);
        QCOMPARE(*cache.source(), CatalogCache::Source::Seed);
        QCOMPARE(cache.etag(), QByteArray());

        // A second catalog replaces the first completely, with the service's ETag.
        Catalog smaller = demo;
        smaller.version = QStringLiteral("service-2");
        smaller.brands = smaller.brands.mid(0, 5);
        smaller.pops = {{7005, 2, {}}, {7000, 1, QStringLiteral("レジ横")}}; // not in id order: kept as received
        QCOMPARE(cache.apply(smaller, CatalogCache::Source::Service, "\"v2-abc\""), QString());
        QCOMPARE(*cache.load(), smaller);
        QCOMPARE(*cache.source(), CatalogCache::Source::Service);
        QCOMPARE(cache.etag(), QByteArray("\"v2-abc\""));
    }

    void cacheKeepsTheOldCatalogWhenANewOneCannotBeStored()
    {
        QTemporaryDir dir;
        const Catalog demo = parseCatalogJson(demoJson()).catalog;
        CatalogCache cache;
        QVERIFY(cache.open(dir.filePath(QStringLiteral("catalog.db"))).error.isEmpty());
        QCOMPARE(cache.apply(demo, CatalogCache::Source::Seed), QString());
        Catalog broken = demo;
        broken.brands[1].slug = broken.brands[0].slug; // violates UNIQUE in the middle of the write
        QVERIFY(!cache.apply(broken, CatalogCache::Source::Service, "\"broken\"").isEmpty());
        QCOMPARE(*cache.load(), demo);
        QCOMPARE(cache.etag(), QByteArray()); // the ETag belongs to the catalog: rolled back with it
    }

    // A kiosk updated from catalog schema 1 (no POPs) keeps its cached catalog, and asks
    // the service for the whole catalog again: its ETag stood for a body whose POPs the
    // old kiosk dropped, and would otherwise be answered with 304 for ever.
    void cacheFromBeforePopsIsMigrated()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("catalog.db"));
        {
            QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("v1"));
            db.setDatabaseName(path);
            QVERIFY(db.open());
            QSqlQuery q(db);
            for (const char *statement : {
                     "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
                     "CREATE TABLE store (id INTEGER PRIMARY KEY, code TEXT NOT NULL, name_ja TEXT NOT NULL, name_en TEXT NOT NULL)",
                     "CREATE TABLE link_settings (id INTEGER PRIMARY KEY CHECK (id = 1), liff_id TEXT NOT NULL,"
                     " basic_id TEXT NOT NULL, template TEXT NOT NULL)",
                     "CREATE TABLE brand (id INTEGER PRIMARY KEY, slug TEXT NOT NULL UNIQUE, name_ja TEXT NOT NULL,"
                     " name_en TEXT NOT NULL, logo TEXT NOT NULL, display_order INTEGER NOT NULL, enabled INTEGER NOT NULL)",
                     "CREATE TABLE product (id INTEGER PRIMARY KEY, brand_id INTEGER NOT NULL REFERENCES brand(id),"
                     " name_ja TEXT NOT NULL, name_en TEXT NOT NULL, image TEXT, price_yen INTEGER)",
                     "CREATE TABLE variant (id INTEGER PRIMARY KEY, product_id INTEGER NOT NULL REFERENCES product(id),"
                     " color TEXT, size TEXT, gtin TEXT UNIQUE, in_stock INTEGER NOT NULL DEFAULT 1)",
                     "CREATE INDEX variant_product ON variant(product_id)",
                     "INSERT INTO meta VALUES ('version', 'service-1'), ('source', 'service'), ('etag', '\"v1\"')",
                     "INSERT INTO store VALUES (101, 'jingumae', 'ソラマド 神宮前店', 'Soramado Jingumae')",
                     "INSERT INTO link_settings VALUES (1, '2001234567-PopTapDm', '@poptap-demo', 'liff')",
                     "INSERT INTO brand VALUES (9, 'hanabi-denim', 'ハナビ デニム', 'Hanabi Denim', 'hanabi-denim.svg', 90, 1)",
                     "PRAGMA user_version=1",
                 })
                QVERIFY2(q.exec(QString::fromUtf8(statement)), qPrintable(q.lastError().text()));
            db.close();
        }
        QSqlDatabase::removeDatabase(QStringLiteral("v1"));

        CatalogCache cache;
        const SqliteDatabase::OpenResult opened = cache.open(path);
        QVERIFY2(opened.error.isEmpty(), qPrintable(opened.error));
        const std::optional<Catalog> kept = cache.load();
        QVERIFY(kept);
        QCOMPARE(kept->version, QStringLiteral("service-1"));
        QCOMPARE(kept->brands.size(), 1);
        QVERIFY(kept->pops.isEmpty());
        QCOMPARE(*cache.source(), CatalogCache::Source::Service);
        QCOMPARE(cache.etag(), QByteArray()); // the next refresh is unconditional

        Catalog withPops = *kept;
        withPops.pops = {{7001, 9, QStringLiteral("入口テーブル")}};
        QCOMPARE(cache.apply(withPops, CatalogCache::Source::Service, "\"v2\""), QString());
        QCOMPARE(*cache.load(), withPops);
    }
};

QTEST_MAIN(CatalogTest)
#include "catalogtest.moc"
