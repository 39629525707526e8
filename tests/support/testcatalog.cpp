#include "testcatalog.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>

namespace poptap::test {

QString demoCatalogPath()
{
    return QStringLiteral(POPTAP_DEMO_CATALOG);
}

QJsonObject demoCatalog()
{
    QFile file(demoCatalogPath());
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return QJsonDocument::fromJson(file.readAll()).object();
}

QJsonObject generatedCatalog(int brandCount)
{
    QJsonObject catalog = demoCatalog();
    const QJsonArray demoBrands = catalog.value(QLatin1String("brands")).toArray();
    if (demoBrands.isEmpty())
        return {};
    QJsonArray brands;
    for (int i = 0; i < brandCount; ++i) {
        const QJsonObject demo = demoBrands.at(i % demoBrands.size()).toObject();
        const int id = i + 1;
        // Names within the catalog's 40-character limit, in both languages.
        brands.append(QJsonObject{
            {QStringLiteral("id"), id},
            {QStringLiteral("slug"), QStringLiteral("brand-%1").arg(id)},
            {QStringLiteral("nameJa"), QStringLiteral("%1 %2").arg(demo.value(QLatin1String("nameJa")).toString().left(30)).arg(id)},
            {QStringLiteral("nameEn"), QStringLiteral("%1 %2").arg(demo.value(QLatin1String("nameEn")).toString().left(30)).arg(id)},
            {QStringLiteral("logo"), demo.value(QLatin1String("logo"))},
            {QStringLiteral("displayOrder"), (id * 7919) % (brandCount * 10 + 1)},
            {QStringLiteral("enabled"), true},
        });
    }
    catalog.insert(QStringLiteral("catalogVersion"), QStringLiteral("generated-%1").arg(brandCount));
    catalog.insert(QStringLiteral("brands"), brands);
    return catalog;
}

QString writeGeneratedCatalog(const QString &path, int brandCount)
{
    const QJsonObject catalog = generatedCatalog(brandCount);
    if (catalog.isEmpty())
        return QStringLiteral("the demo catalog %1 could not be read").arg(demoCatalogPath());
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate))
        return QStringLiteral("cannot write %1: %2").arg(path, file.errorString());
    file.write(QJsonDocument(catalog).toJson());
    return file.flush() ? QString() : QStringLiteral("cannot write %1: %2").arg(path, file.errorString());
}

} // namespace poptap::test
