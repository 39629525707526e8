#include "catalog.h"

#include "deeplink.h"
#include "gtin.h"

#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QSet>

#include <algorithm>

namespace poptap {
namespace {

constexpr qint64 kMaxId = 0xffffffffll;

class Reader
{
public:
    explicit Reader(QStringList &errors) : m_errors(errors) {}

    QString text(const QJsonObject &o, const char *key, const QString &where, int maxLength = 200)
    {
        const QJsonValue v = o.value(QLatin1String(key));
        if (!v.isString() || v.toString().trimmed().isEmpty()) {
            m_errors << QStringLiteral("%1.%2: a non-empty string is required").arg(where, QLatin1String(key));
            return {};
        }
        if (v.toString().size() > maxLength)
            m_errors << QStringLiteral("%1.%2: longer than %3 characters").arg(where, QLatin1String(key)).arg(maxLength);
        return v.toString().trimmed();
    }

    std::uint32_t id(const QJsonObject &o, const char *key, const QString &where)
    {
        const QJsonValue v = o.value(QLatin1String(key));
        const double d = v.toDouble(-1);
        // Range first: converting a double beyond qint64 (1e300) to an integer is undefined.
        if (!v.isDouble() || d < 1 || d > double(kMaxId) || d != double(qint64(d))) {
            m_errors << QStringLiteral("%1.%2: an integer id from 1 to %3 is required").arg(where, QLatin1String(key)).arg(kMaxId);
            return 0;
        }
        return std::uint32_t(qint64(d));
    }

private:
    QStringList &m_errors;
};

} // namespace

QList<Brand> Catalog::visibleBrands() const
{
    QList<Brand> visible;
    std::copy_if(brands.begin(), brands.end(), std::back_inserter(visible), [](const Brand &b) { return b.enabled; });
    std::stable_sort(visible.begin(), visible.end(),
                     [](const Brand &a, const Brand &b) { return a.displayOrder < b.displayOrder; });
    return visible;
}

const Brand *Catalog::brand(std::uint32_t id) const
{
    const auto it = std::find_if(brands.begin(), brands.end(), [id](const Brand &b) { return b.id == id; });
    return it == brands.end() ? nullptr : &*it;
}

const Pop *Catalog::pop(std::uint32_t id) const
{
    const auto it = std::find_if(pops.begin(), pops.end(), [id](const Pop &p) { return p.id == id; });
    return it == pops.end() ? nullptr : &*it;
}

const Product *Catalog::product(std::uint32_t id) const
{
    const auto it = std::find_if(products.begin(), products.end(), [id](const Product &p) { return p.id == id; });
    return it == products.end() ? nullptr : &*it;
}

VariantRef Catalog::variant(std::uint32_t id) const
{
    for (const Product &p : products) {
        for (const Variant &v : p.variants) {
            if (v.id == id)
                return {&p, &v};
        }
    }
    return {};
}

namespace {

// A valid code as the number its GTIN-14 form spells: 14 digits fit 47 bits.
quint64 gtinNumber(QStringView validCode)
{
    quint64 n = 0;
    for (QChar c : validCode)
        n = n * 10 + (c.unicode() - u'0');
    return n;
}

} // namespace

VariantCodeIndex::VariantCodeIndex(const QList<Product> &products)
    : m_products(products)
{
    for (qsizetype i = 0; i < products.size(); ++i) {
        const QList<Variant> &variants = products.at(i).variants;
        for (qsizetype j = 0; j < variants.size(); ++j) {
            if (gtin::isValid(variants.at(j).gtin))
                m_entries.append({gtinNumber(variants.at(j).gtin), quint32(i), quint32(j)});
        }
    }
    // Stable: of two variants with one code (only in a catalog built by hand), the first wins,
    // as it does without the index.
    std::stable_sort(m_entries.begin(), m_entries.end(), [](const Entry &a, const Entry &b) { return a.gtin14 < b.gtin14; });
}

bool VariantCodeIndex::describes(const QList<Product> &products) const
{
    return products.constData() == m_products.constData() && products.size() == m_products.size();
}

std::pair<qsizetype, qsizetype> VariantCodeIndex::find(quint64 gtin14) const
{
    const auto it = std::lower_bound(m_entries.cbegin(), m_entries.cend(), gtin14,
                                     [](const Entry &e, quint64 wanted) { return e.gtin14 < wanted; });
    if (it == m_entries.cend() || it->gtin14 != gtin14)
        return {-1, -1};
    return {it->product, it->variant};
}

VariantRef Catalog::variantByCode(QStringView code) const
{
    if (!gtin::isValid(code))
        return {};
    if (codeIndex.describes(products)) {
        const auto [p, v] = codeIndex.find(gtinNumber(code));
        return p < 0 ? VariantRef{} : VariantRef{&products[p], &products[p].variants[v]};
    }
    // Without the index: reading every variant of the largest catalog takes nearly 1 ms (see catalogtest).
    const quint64 wanted = gtinNumber(code);
    for (const Product &p : products) {
        for (const Variant &v : p.variants) {
            // The number first, as the cheaper test; only a valid code's number means anything.
            if (v.gtin.size() >= 8 && v.gtin.size() <= 14 && gtinNumber(v.gtin) == wanted && gtin::isValid(v.gtin))
                return {&p, &v};
        }
    }
    return {};
}

QList<const Product *> Catalog::productsOf(std::uint32_t brandId) const
{
    QList<const Product *> found;
    for (const Product &p : products) {
        if (p.brandId == brandId)
            found.append(&p);
    }
    return found;
}

namespace {

bool isAbsent(const QJsonValue &v)
{
    return v.isUndefined() || v.isNull();
}

// `pops` is optional (catalogs from before POP stickers have none); each one names a brand
// of this catalog (`brandIds`), so that the staff screen can group it and the service can resolve it.
void readPops(const QJsonObject &root, const QSet<std::uint32_t> &brandIds, Catalog &c, Reader &read, QStringList &errors)
{
    const QJsonValue popsValue = root.value(QLatin1String("pops"));
    if (isAbsent(popsValue))
        return;
    if (!popsValue.isArray()) {
        errors << QStringLiteral("pops: an array is required");
        return;
    }
    const QJsonArray pops = popsValue.toArray();
    if (pops.size() > Catalog::kMaxPops)
        errors << QStringLiteral("pops: more than %1").arg(Catalog::kMaxPops);
    QSet<std::uint32_t> ids;
    for (qsizetype i = 0; i < pops.size() && i < Catalog::kMaxPops; ++i) {
        const QString where = QStringLiteral("pops[%1]").arg(i);
        const QJsonObject o = pops.at(i).toObject();
        Pop p;
        p.id = read.id(o, "id", where);
        p.brandId = read.id(o, "brandId", where);
        const QJsonValue label = o.value(QLatin1String("label"));
        if (!isAbsent(label) && !label.isString())
            errors << QStringLiteral("%1.label: a string is required").arg(where);
        p.label = label.toString().trimmed();
        if (p.label.size() > 80)
            errors << QStringLiteral("%1.label: longer than 80 characters").arg(where);
        if (p.id && ids.contains(p.id))
            errors << QStringLiteral("%1.id: %2 is used twice").arg(where).arg(p.id);
        if (p.brandId && !brandIds.contains(p.brandId))
            errors << QStringLiteral("%1.brandId: no brand %2 in this catalog").arg(where).arg(p.brandId);
        ids.insert(p.id);
        c.pops.append(p);
    }
}

// A plain file name, so that a catalog can never point the kiosk at another directory.
const QRegularExpression &imageNamePattern()
{
    static const QRegularExpression pattern(QStringLiteral("^[A-Za-z0-9][A-Za-z0-9._-]{0,95}\\.(svg|png)$"));
    return pattern;
}

// What is wrong with a code that gtin::isValid refuses, for the error message.
QString gtinProblem(const QString &code)
{
    if (!gtin::isWellFormed(code)) {
        const QString shown = code.size() > 20 ? code.left(20) + u'…' : code; // the message stays short
        return QStringLiteral("'%1' must be 8, 12, 13 or 14 digits (EAN-8, UPC-A, JAN/EAN-13, GTIN-14)").arg(shown);
    }
    return QStringLiteral("'%1' has a wrong check digit (%2 would be right)")
        .arg(code)
        .arg(gtin::checkDigit(QStringView(code).chopped(1)));
}

struct SeenVariants {
    QSet<std::uint32_t> ids;
    QHash<QString, QString> gtins; // GTIN-14 -> where it was first seen
};

Variant readVariant(const QJsonObject &o, const QString &where, SeenVariants &seen, Reader &read, QStringList &errors)
{
    Variant v;
    v.id = read.id(o, "id", where);
    v.colorJa = read.text(o, "colorJa", where, 40);
    v.colorEn = read.text(o, "colorEn", where, 40);
    v.size = read.text(o, "size", where, 16);
    if (v.id && seen.ids.contains(v.id))
        errors << QStringLiteral("%1.id: %2 is used twice").arg(where).arg(v.id);
    seen.ids.insert(v.id);

    const QJsonValue code = o.value(QLatin1String("gtin"));
    if (!isAbsent(code)) {
        if (!code.isString()) {
            errors << QStringLiteral("%1.gtin: a string of digits is required").arg(where);
        } else if (const std::optional<QString> gtin14 = gtin::toGtin14(code.toString()); !gtin14) {
            errors << QStringLiteral("%1.gtin: %2").arg(where, gtinProblem(code.toString()));
        } else if (const auto first = seen.gtins.constFind(*gtin14); first != seen.gtins.constEnd()) {
            errors << QStringLiteral("%1.gtin: %2 is also the code of %3").arg(where, code.toString(), *first);
        } else {
            seen.gtins.insert(*gtin14, where);
            v.gtin = code.toString();
        }
    }
    const QJsonValue inStock = o.value(QLatin1String("inStock"));
    if (!isAbsent(inStock) && !inStock.isBool())
        errors << QStringLiteral("%1.inStock: true or false is required").arg(where);
    v.inStock = inStock.toBool(true);
    return v;
}

// `products` is optional (no restock requests without it). Variant ids and codes are unique
// across the whole catalog: a restock token names a variant by id, a scan by its code.
void readProducts(const QJsonObject &root, const QSet<std::uint32_t> &brandIds, Catalog &c, Reader &read,
                  QStringList &errors)
{
    const QJsonValue productsValue = root.value(QLatin1String("products"));
    if (isAbsent(productsValue))
        return;
    if (!productsValue.isArray()) {
        errors << QStringLiteral("products: an array is required");
        return;
    }
    const QJsonArray products = productsValue.toArray();
    if (products.size() > Catalog::kMaxProducts)
        errors << QStringLiteral("products: more than %1").arg(Catalog::kMaxProducts);
    QSet<std::uint32_t> ids;
    SeenVariants seen;
    for (qsizetype i = 0; i < products.size() && i < Catalog::kMaxProducts; ++i) {
        const QString where = QStringLiteral("products[%1]").arg(i);
        const QJsonObject o = products.at(i).toObject();
        Product p;
        p.id = read.id(o, "id", where);
        p.brandId = read.id(o, "brandId", where);
        p.nameJa = read.text(o, "nameJa", where, 80);
        p.nameEn = read.text(o, "nameEn", where, 80);
        if (p.id && ids.contains(p.id))
            errors << QStringLiteral("%1.id: %2 is used twice").arg(where).arg(p.id);
        ids.insert(p.id);
        if (p.brandId && !brandIds.contains(p.brandId))
            errors << QStringLiteral("%1.brandId: no brand %2 in this catalog").arg(where).arg(p.brandId);

        const QJsonValue image = o.value(QLatin1String("image"));
        if (!isAbsent(image)) {
            p.image = image.toString();
            if (!image.isString() || !imageNamePattern().match(p.image).hasMatch())
                errors << QStringLiteral("%1.image: '%2' must be a plain .svg or .png file name")
                              .arg(where, image.isString() ? p.image.left(100) : QStringLiteral("(not a string)"));
        }
        const QJsonValue price = o.value(QLatin1String("priceYen"));
        if (!isAbsent(price)) {
            const double d = price.toDouble(-1);
            if (!price.isDouble() || d < 0 || d > Catalog::kMaxPriceYen || d != double(qint64(d)))
                errors << QStringLiteral("%1.priceYen: an integer from 0 to %2 is required").arg(where).arg(Catalog::kMaxPriceYen);
            else
                p.priceYen = int(d);
        }

        const QJsonValue variantsValue = o.value(QLatin1String("variants"));
        const QJsonArray variants = variantsValue.toArray();
        if (!variantsValue.isArray() || variants.isEmpty()) {
            errors << QStringLiteral("%1.variants: an array of at least one variant is required").arg(where);
            continue;
        }
        if (variants.size() > Catalog::kMaxVariantsPerProduct)
            errors << QStringLiteral("%1.variants: more than %2").arg(where).arg(Catalog::kMaxVariantsPerProduct);
        for (qsizetype j = 0; j < variants.size() && j < Catalog::kMaxVariantsPerProduct; ++j) {
            const QString variantWhere = QStringLiteral("%1.variants[%2]").arg(where).arg(j);
            p.variants.append(readVariant(variants.at(j).toObject(), variantWhere, seen, read, errors));
        }
        c.products.append(p);
    }
}

} // namespace

CatalogParse parseCatalogJson(const QByteArray &json)
{
    static const QRegularExpression slugPattern(QStringLiteral("^[a-z0-9][a-z0-9-]{0,63}$"));
    const QRegularExpression &logoPattern = imageNamePattern();

    CatalogParse result;
    QStringList &errors = result.errors;
    Reader read(errors);
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(json, &parseError);
    if (parseError.error != QJsonParseError::NoError) {
        errors << QStringLiteral("catalog is not JSON: %1 at byte %2").arg(parseError.errorString()).arg(parseError.offset);
        return result;
    }
    if (!doc.isObject()) {
        errors << QStringLiteral("catalog must be a JSON object");
        return result;
    }
    const QJsonObject root = doc.object();
    if (root.value(QLatin1String("schemaVersion")).toInt(-1) != Catalog::kSchemaVersion) {
        errors << QStringLiteral("schemaVersion must be %1").arg(Catalog::kSchemaVersion);
        return result;
    }
    Catalog &c = result.catalog;
    c.version = read.text(root, "catalogVersion", QStringLiteral("catalog"), 100);

    const QJsonObject store = root.value(QLatin1String("store")).toObject();
    c.store.id = read.id(store, "id", QStringLiteral("store"));
    c.store.code = read.text(store, "code", QStringLiteral("store"), 64);
    c.store.nameJa = read.text(store, "nameJa", QStringLiteral("store"), 100);
    c.store.nameEn = read.text(store, "nameEn", QStringLiteral("store"), 100);

    const QJsonObject link = root.value(QLatin1String("link")).toObject();
    c.link.liffId = link.value(QLatin1String("liffId")).toString().trimmed();
    c.link.basicId = link.value(QLatin1String("basicId")).toString().trimmed();
    c.link.linkTemplate = link.value(QLatin1String("template")).toString(QStringLiteral("liff")).trimmed();
    QString templateError;
    if (!DeepLinkTemplate::parse(c.link.linkTemplate, &templateError).isValid())
        errors << QStringLiteral("link.template: %1").arg(templateError);

    const QJsonValue brandsValue = root.value(QLatin1String("brands"));
    if (!brandsValue.isArray()) {
        errors << QStringLiteral("brands: an array is required");
        return result;
    }
    const QJsonArray brands = brandsValue.toArray();
    if (brands.size() > Catalog::kMaxBrands)
        errors << QStringLiteral("brands: more than %1").arg(Catalog::kMaxBrands);
    QSet<std::uint32_t> ids; // Catalog::brand() would search all brands for every POP and product
    QSet<QString> slugs;
    for (qsizetype i = 0; i < brands.size() && i < Catalog::kMaxBrands; ++i) {
        const QString where = QStringLiteral("brands[%1]").arg(i);
        const QJsonObject o = brands.at(i).toObject();
        Brand b;
        b.id = read.id(o, "id", where);
        b.slug = read.text(o, "slug", where, 64);
        b.nameJa = read.text(o, "nameJa", where, 40);
        b.nameEn = read.text(o, "nameEn", where, 40);
        b.logo = read.text(o, "logo", where, 100);
        b.displayOrder = o.value(QLatin1String("displayOrder")).toInt(0);
        b.enabled = o.value(QLatin1String("enabled")).toBool(true);
        if (b.id && ids.contains(b.id))
            errors << QStringLiteral("%1.id: %2 is used twice").arg(where).arg(b.id);
        if (!b.slug.isEmpty() && !slugPattern.match(b.slug).hasMatch())
            errors << QStringLiteral("%1.slug: '%2' must be lowercase letters, digits and '-'").arg(where, b.slug);
        if (slugs.contains(b.slug))
            errors << QStringLiteral("%1.slug: '%2' is used twice").arg(where, b.slug);
        if (!b.logo.isEmpty() && !logoPattern.match(b.logo).hasMatch())
            errors << QStringLiteral("%1.logo: '%2' must be a plain .svg or .png file name").arg(where, b.logo);
        ids.insert(b.id);
        slugs.insert(b.slug);
        c.brands.append(b);
    }
    readPops(root, ids, c, read, errors);
    readProducts(root, ids, c, read, errors);
    if (errors.isEmpty() && c.visibleBrands().isEmpty())
        errors << QStringLiteral("brands: at least one brand must be enabled");
    if (!errors.isEmpty())
        result.catalog = Catalog{};
    else
        result.catalog.indexCodes();
    return result;
}

} // namespace poptap
