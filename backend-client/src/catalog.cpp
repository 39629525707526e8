#include "catalog.h"

#include "deeplink.h"

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
        if (!v.isDouble() || d != double(qint64(d)) || d < 1 || d > double(kMaxId)) {
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

namespace {

// `pops` is optional (catalogs from before POP stickers have none); each one names a brand
// of this catalog, so that the staff screen can group it and the service can resolve it.
void readPops(const QJsonObject &root, Catalog &c, Reader &read, QStringList &errors)
{
    const QJsonValue popsValue = root.value(QLatin1String("pops"));
    if (popsValue.isUndefined() || popsValue.isNull())
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
        if (!label.isUndefined() && !label.isNull() && !label.isString())
            errors << QStringLiteral("%1.label: a string is required").arg(where);
        p.label = label.toString().trimmed();
        if (p.label.size() > 80)
            errors << QStringLiteral("%1.label: longer than 80 characters").arg(where);
        if (p.id && ids.contains(p.id))
            errors << QStringLiteral("%1.id: %2 is used twice").arg(where).arg(p.id);
        if (p.brandId && !c.brand(p.brandId))
            errors << QStringLiteral("%1.brandId: no brand %2 in this catalog").arg(where).arg(p.brandId);
        ids.insert(p.id);
        c.pops.append(p);
    }
}

} // namespace

CatalogParse parseCatalogJson(const QByteArray &json)
{
    static const QRegularExpression slugPattern(QStringLiteral("^[a-z0-9][a-z0-9-]{0,63}$"));
    static const QRegularExpression logoPattern(QStringLiteral("^[A-Za-z0-9][A-Za-z0-9._-]{0,95}\\.(svg|png)$"));

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
    QSet<std::uint32_t> ids;
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
    readPops(root, c, read, errors);
    if (errors.isEmpty() && c.visibleBrands().isEmpty())
        errors << QStringLiteral("brands: at least one brand must be enabled");
    if (!errors.isEmpty())
        result.catalog = Catalog{};
    return result;
}

} // namespace poptap
