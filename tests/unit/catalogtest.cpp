#include "catalog.h"
#include "catalogcache.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
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
};

QTEST_MAIN(CatalogTest)
#include "catalogtest.moc"
