#include "catalogcache.h"

#include <QHash>
#include <QSqlError>
#include <QSqlQuery>
#include <QVariant>

namespace poptap {
namespace {

const std::vector<SqliteDatabase::Migration> &migrations()
{
    static const std::vector<SqliteDatabase::Migration> all{
        {1,
         {
             QStringLiteral("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)"),
             QStringLiteral("CREATE TABLE store (id INTEGER PRIMARY KEY, code TEXT NOT NULL, name_ja TEXT NOT NULL,"
                            " name_en TEXT NOT NULL)"),
             QStringLiteral("CREATE TABLE link_settings (id INTEGER PRIMARY KEY CHECK (id = 1), liff_id TEXT NOT NULL,"
                            " basic_id TEXT NOT NULL, template TEXT NOT NULL)"),
             QStringLiteral("CREATE TABLE brand (id INTEGER PRIMARY KEY, slug TEXT NOT NULL UNIQUE,"
                            " name_ja TEXT NOT NULL, name_en TEXT NOT NULL, logo TEXT NOT NULL,"
                            " display_order INTEGER NOT NULL, enabled INTEGER NOT NULL)"),
             QStringLiteral("CREATE TABLE product (id INTEGER PRIMARY KEY, brand_id INTEGER NOT NULL REFERENCES brand(id),"
                            " name_ja TEXT NOT NULL, name_en TEXT NOT NULL, image TEXT, price_yen INTEGER)"),
             QStringLiteral("CREATE TABLE variant (id INTEGER PRIMARY KEY,"
                            " product_id INTEGER NOT NULL REFERENCES product(id), color TEXT, size TEXT,"
                            " gtin TEXT UNIQUE, in_stock INTEGER NOT NULL DEFAULT 1)"),
             QStringLiteral("CREATE INDEX variant_product ON variant(product_id)"),
         }},
        // Migrations only ever append: a kiosk may skip versions, and a database newer than
        // the kiosk is refused (SqliteDatabase), so each step must work from the one before.
        {2,
         {
             QStringLiteral("CREATE TABLE pop (id INTEGER PRIMARY KEY, brand_id INTEGER NOT NULL REFERENCES brand(id),"
                            " label TEXT NOT NULL, position INTEGER NOT NULL)"),
             // A service catalog cached by a version-1 kiosk lost its POPs on the way in; its
             // ETag would make the service answer 304 for ever. Without it the next refresh
             // fetches the whole catalog again. (A seed is compared in full at every start.)
             QStringLiteral("DELETE FROM meta WHERE key = 'etag'"),
         }},
        // Products as the catalog has them: colour in both languages (the unused `color` of
        // version 1 stays), and positions so that brands, products and variants load in the
        // order received. Existing brands keep the id order they loaded in before.
        {3,
         {
             QStringLiteral("ALTER TABLE brand ADD COLUMN position INTEGER NOT NULL DEFAULT 0"),
             QStringLiteral("UPDATE brand SET position = id"),
             QStringLiteral("ALTER TABLE product ADD COLUMN position INTEGER NOT NULL DEFAULT 0"),
             QStringLiteral("ALTER TABLE variant ADD COLUMN color_ja TEXT NOT NULL DEFAULT ''"),
             QStringLiteral("ALTER TABLE variant ADD COLUMN color_en TEXT NOT NULL DEFAULT ''"),
             QStringLiteral("ALTER TABLE variant ADD COLUMN position INTEGER NOT NULL DEFAULT 0"),
             // As in version 2: a version-2 kiosk dropped the products of a service catalog,
             // and its ETag would keep them away for ever.
             QStringLiteral("DELETE FROM meta WHERE key = 'etag'"),
         }},
    };
    return all;
}

// A null QString binds as NULL, which NOT NULL columns refuse.
QString notNull(const QString &s)
{
    return s.isNull() ? QStringLiteral("") : s;
}

// What a statement that failed says, never empty.
QString errorOf(const QSqlQuery &failed)
{
    const QString text = failed.lastError().text();
    return text.isEmpty() ? QStringLiteral("catalog cache write failed") : text;
}

// Returns an empty string, or the error of the statement that failed.
QString insertProducts(const QSqlDatabase &db, const QList<Product> &products)
{
    QSqlQuery productInsert(db);
    QSqlQuery variantInsert(db);
    if (!productInsert.prepare(QStringLiteral("INSERT INTO product (id, brand_id, name_ja, name_en, image, price_yen,"
                                              " position) VALUES (?, ?, ?, ?, ?, ?, ?)")))
        return errorOf(productInsert);
    if (!variantInsert.prepare(QStringLiteral("INSERT INTO variant (id, product_id, color_ja, color_en, size, gtin,"
                                              " in_stock, position) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")))
        return errorOf(variantInsert);
    for (qsizetype i = 0; i < products.size(); ++i) {
        const Product &p = products.at(i);
        productInsert.addBindValue(qint64(p.id));
        productInsert.addBindValue(qint64(p.brandId));
        productInsert.addBindValue(notNull(p.nameJa));
        productInsert.addBindValue(notNull(p.nameEn));
        productInsert.addBindValue(notNull(p.image));
        productInsert.addBindValue(p.priceYen);
        productInsert.addBindValue(qint64(i));
        if (!productInsert.exec())
            return errorOf(productInsert);
        for (qsizetype j = 0; j < p.variants.size(); ++j) {
            const Variant &v = p.variants.at(j);
            variantInsert.addBindValue(qint64(v.id));
            variantInsert.addBindValue(qint64(p.id));
            variantInsert.addBindValue(notNull(v.colorJa));
            variantInsert.addBindValue(notNull(v.colorEn));
            variantInsert.addBindValue(notNull(v.size));
            // NULL, not '': variants without a code must not collide on gtin's UNIQUE.
            variantInsert.addBindValue(v.gtin.isEmpty() ? QVariant(QMetaType::fromType<QString>()) : QVariant(v.gtin));
            variantInsert.addBindValue(v.inStock ? 1 : 0);
            variantInsert.addBindValue(qint64(j));
            if (!variantInsert.exec())
                return errorOf(variantInsert);
        }
    }
    return {};
}

// Products with their variants, in the order they were received.
std::optional<QList<Product>> loadProducts(const QSqlDatabase &db)
{
    QSqlQuery q(db);
    if (!q.exec(QStringLiteral("SELECT id, brand_id, name_ja, name_en, image, price_yen FROM product ORDER BY position")))
        return std::nullopt;
    QList<Product> products;
    QHash<std::uint32_t, qsizetype> indexOf;
    while (q.next()) {
        Product p;
        p.id = std::uint32_t(q.value(0).toLongLong());
        p.brandId = std::uint32_t(q.value(1).toLongLong());
        p.nameJa = q.value(2).toString();
        p.nameEn = q.value(3).toString();
        p.image = q.value(4).toString();
        p.priceYen = q.value(5).toInt();
        indexOf.insert(p.id, products.size());
        products.append(p);
    }
    if (!q.exec(QStringLiteral("SELECT id, product_id, color_ja, color_en, size, gtin, in_stock FROM variant"
                               " ORDER BY product_id, position")))
        return std::nullopt;
    while (q.next()) {
        const auto product = indexOf.constFind(std::uint32_t(q.value(1).toLongLong()));
        if (product == indexOf.constEnd())
            return std::nullopt; // REFERENCES keeps this from happening
        products[*product].variants.append({std::uint32_t(q.value(0).toLongLong()), q.value(2).toString(),
                                            q.value(3).toString(), q.value(4).toString(), q.value(5).toString(),
                                            q.value(6).toBool()});
    }
    return products;
}

} // namespace

CatalogCache::CatalogCache()
    : m_db(QStringLiteral("poptap-catalog"))
{
}

SqliteDatabase::OpenResult CatalogCache::open(const QString &path)
{
    return m_db.open(path, migrations());
}

QString CatalogCache::apply(const Catalog &catalog, Source source, const QByteArray &etag)
{
    QSqlDatabase db = m_db.handle();
    if (!db.transaction())
        return db.lastError().text();
    QSqlQuery q(db);
    const auto fail = [&](const QSqlQuery &query) {
        const QString error = errorOf(query);
        db.rollback();
        return error;
    };
    for (const char *table : {"pop", "variant", "product", "brand", "store", "link_settings", "meta"})
        if (!q.exec(QStringLiteral("DELETE FROM %1").arg(QLatin1String(table))))
            return fail(q);

    q.prepare(QStringLiteral("INSERT INTO store (id, code, name_ja, name_en) VALUES (?, ?, ?, ?)"));
    q.addBindValue(qint64(catalog.store.id));
    q.addBindValue(catalog.store.code);
    q.addBindValue(catalog.store.nameJa);
    q.addBindValue(catalog.store.nameEn);
    if (!q.exec())
        return fail(q);
    q.prepare(QStringLiteral("INSERT INTO link_settings (id, liff_id, basic_id, template) VALUES (1, ?, ?, ?)"));
    q.addBindValue(catalog.link.liffId);
    q.addBindValue(catalog.link.basicId);
    q.addBindValue(catalog.link.linkTemplate);
    if (!q.exec())
        return fail(q);
    q.prepare(QStringLiteral("INSERT INTO brand (id, slug, name_ja, name_en, logo, display_order, enabled, position)"
                             " VALUES (?, ?, ?, ?, ?, ?, ?, ?)"));
    for (qsizetype i = 0; i < catalog.brands.size(); ++i) {
        const Brand &b = catalog.brands.at(i);
        q.addBindValue(qint64(b.id));
        q.addBindValue(b.slug);
        q.addBindValue(b.nameJa);
        q.addBindValue(b.nameEn);
        q.addBindValue(b.logo);
        q.addBindValue(b.displayOrder);
        q.addBindValue(b.enabled ? 1 : 0);
        q.addBindValue(qint64(i));
        if (!q.exec())
            return fail(q);
    }
    q.prepare(QStringLiteral("INSERT INTO pop (id, brand_id, label, position) VALUES (?, ?, ?, ?)"));
    for (qsizetype i = 0; i < catalog.pops.size(); ++i) {
        const Pop &p = catalog.pops.at(i);
        q.addBindValue(qint64(p.id));
        q.addBindValue(qint64(p.brandId));
        q.addBindValue(notNull(p.label));
        q.addBindValue(qint64(i));
        if (!q.exec())
            return fail(q);
    }
    if (const QString error = insertProducts(db, catalog.products); !error.isEmpty()) {
        db.rollback();
        return error;
    }
    q.prepare(QStringLiteral("INSERT INTO meta (key, value) VALUES (?, ?)"));
    for (const auto &[key, value] : {std::pair{QStringLiteral("version"), catalog.version},
                                     std::pair{QStringLiteral("source"),
                                               source == Source::Seed ? QStringLiteral("seed") : QStringLiteral("service")},
                                     std::pair{QStringLiteral("etag"), QString::fromLatin1(etag)}}) {
        if (value.isEmpty()) // no ETag: the next refresh asks unconditionally
            continue;
        q.addBindValue(key);
        q.addBindValue(value);
        if (!q.exec())
            return fail(q);
    }
    if (!db.commit())
        return fail(q);
    return {};
}

std::optional<CatalogCache::Source> CatalogCache::source() const
{
    QSqlQuery q(m_db.handle());
    if (!q.exec(QStringLiteral("SELECT value FROM meta WHERE key = 'source'")) || !q.next())
        return std::nullopt;
    return q.value(0).toString() == QLatin1String("seed") ? Source::Seed : Source::Service;
}

QByteArray CatalogCache::etag() const
{
    QSqlQuery q(m_db.handle());
    if (!q.exec(QStringLiteral("SELECT value FROM meta WHERE key = 'etag'")) || !q.next())
        return {};
    return q.value(0).toString().toLatin1();
}

std::optional<Catalog> CatalogCache::load() const
{
    QSqlQuery q(m_db.handle());
    Catalog c;
    if (!q.exec(QStringLiteral("SELECT value FROM meta WHERE key = 'version'")) || !q.next())
        return std::nullopt;
    c.version = q.value(0).toString();
    if (!q.exec(QStringLiteral("SELECT id, code, name_ja, name_en FROM store")) || !q.next())
        return std::nullopt;
    c.store = {std::uint32_t(q.value(0).toLongLong()), q.value(1).toString(), q.value(2).toString(),
               q.value(3).toString()};
    if (!q.exec(QStringLiteral("SELECT liff_id, basic_id, template FROM link_settings")) || !q.next())
        return std::nullopt;
    c.link = {q.value(0).toString(), q.value(1).toString(), q.value(2).toString()};
    if (!q.exec(QStringLiteral("SELECT id, slug, name_ja, name_en, logo, display_order, enabled FROM brand"
                               " ORDER BY position, id")))
        return std::nullopt;
    while (q.next())
        c.brands.append({std::uint32_t(q.value(0).toLongLong()), q.value(1).toString(), q.value(2).toString(),
                         q.value(3).toString(), q.value(4).toString(), q.value(5).toInt(), q.value(6).toBool()});
    if (!q.exec(QStringLiteral("SELECT id, brand_id, label FROM pop ORDER BY position")))
        return std::nullopt;
    while (q.next())
        c.pops.append({std::uint32_t(q.value(0).toLongLong()), std::uint32_t(q.value(1).toLongLong()), q.value(2).toString()});
    std::optional<QList<Product>> products = loadProducts(m_db.handle());
    if (!products)
        return std::nullopt;
    c.products = std::move(*products);
    c.indexCodes();
    return c;
}

} // namespace poptap
