#include "analyticsformat.h"

#include <QJsonArray>

namespace poptap::delivery {
namespace {

using Scope = AnalyticsKey::StoreScope;

const QString kUnattributed = QStringLiteral("unattributed");
const QString kChainWide = QStringLiteral("chain-wide");
const QString kChainWideJa = QStringLiteral("全店舗");
const QString kChainWideEn = QStringLiteral("All stores");

// The dimensions in the order columns and keys are written, whatever order they were asked in.
const QList<AnalyticsDimension> kColumnOrder{AnalyticsDimension::Day, AnalyticsDimension::Store,
                                             AnalyticsDimension::Device, AnalyticsDimension::Pop,
                                             AnalyticsDimension::Brand};

QJsonObject chainJson(const AnalyticsChain &chain)
{
    return {{QStringLiteral("id"), qint64(chain.id)},
            {QStringLiteral("code"), chain.code},
            {QStringLiteral("nameJa"), chain.nameJa},
            {QStringLiteral("nameEn"), chain.nameEn}};
}

QJsonObject figuresJson(const AnalyticsFigures &figures)
{
    QJsonObject json;
    for (int i = 0; i < kAnalyticsFigureCount; ++i)
        json.insert(jsonName(AnalyticsFigure(i)), figures[std::size_t(i)]);
    return json;
}

QJsonValue dimensionJson(AnalyticsDimension dimension, const AnalyticsRow &row)
{
    const AnalyticsKey &key = row.key;
    switch (dimension) {
    case AnalyticsDimension::Day: return key.day;
    case AnalyticsDimension::Store:
        if (key.storeScope == Scope::ChainWide)
            return QJsonObject{{QStringLiteral("id"), QJsonValue::Null}, {QStringLiteral("chainWide"), true},
                               {QStringLiteral("code"), kChainWide}, {QStringLiteral("nameJa"), kChainWideJa},
                               {QStringLiteral("nameEn"), kChainWideEn}};
        if (key.storeScope == Scope::Unattributed)
            return QJsonValue::Null;
        return QJsonObject{{QStringLiteral("id"), qint64(key.storeId)}, {QStringLiteral("code"), row.storeCode},
                           {QStringLiteral("nameJa"), row.storeNameJa}, {QStringLiteral("nameEn"), row.storeNameEn}};
    case AnalyticsDimension::Device:
        if (key.deviceId.isEmpty())
            return QJsonValue::Null;
        return QJsonObject{{QStringLiteral("id"), key.deviceId}, {QStringLiteral("name"), row.deviceName}};
    case AnalyticsDimension::Pop:
        if (key.popId == 0)
            return QJsonValue::Null;
        return QJsonObject{{QStringLiteral("id"), qint64(key.popId)}, {QStringLiteral("storeId"), qint64(key.popStoreId)},
                           {QStringLiteral("label"), row.popLabel}};
    case AnalyticsDimension::Brand:
        if (key.brandId == 0)
            return QJsonValue::Null;
        return QJsonObject{{QStringLiteral("id"), qint64(key.brandId)}, {QStringLiteral("nameJa"), row.brandNameJa},
                           {QStringLiteral("nameEn"), row.brandNameEn}};
    }
    return QJsonValue::Null;
}

QStringList headerOf(AnalyticsDimension dimension)
{
    switch (dimension) {
    case AnalyticsDimension::Day: return {QStringLiteral("day")};
    case AnalyticsDimension::Store:
        return {QStringLiteral("store_id"), QStringLiteral("store_code"), QStringLiteral("store_name_ja"),
                QStringLiteral("store_name_en")};
    case AnalyticsDimension::Device: return {QStringLiteral("device_id"), QStringLiteral("device_name")};
    case AnalyticsDimension::Pop: return {QStringLiteral("pop_id"), QStringLiteral("pop_store_id"), QStringLiteral("pop_label")};
    case AnalyticsDimension::Brand:
        return {QStringLiteral("brand_id"), QStringLiteral("brand_name_ja"), QStringLiteral("brand_name_en")};
    }
    return {};
}

QStringList cellsOf(AnalyticsDimension dimension, const AnalyticsRow &row)
{
    const AnalyticsKey &key = row.key;
    switch (dimension) {
    case AnalyticsDimension::Day: return {key.day.isEmpty() ? kUnattributed : key.day};
    case AnalyticsDimension::Store:
        if (key.storeScope == Scope::ChainWide)
            return {kChainWide, kChainWide, kChainWideJa, kChainWideEn};
        if (key.storeScope == Scope::Unattributed)
            return {kUnattributed, {}, {}, {}};
        return {QString::number(key.storeId), row.storeCode, row.storeNameJa, row.storeNameEn};
    case AnalyticsDimension::Device:
        return key.deviceId.isEmpty() ? QStringList{kUnattributed, {}} : QStringList{key.deviceId, row.deviceName};
    case AnalyticsDimension::Pop:
        if (key.popId == 0)
            return {kUnattributed, {}, {}};
        return {QString::number(key.popId), QString::number(key.popStoreId), row.popLabel};
    case AnalyticsDimension::Brand:
        if (key.brandId == 0)
            return {kUnattributed, {}, {}};
        return {QString::number(key.brandId), row.brandNameJa, row.brandNameEn};
    }
    return {};
}

QString csvField(const QString &field)
{
    if (!field.contains(u',') && !field.contains(u'"') && !field.contains(u'\n') && !field.contains(u'\r'))
        return field;
    return u'"' + QString(field).replace(u'"', QStringLiteral("\"\"")) + u'"';
}

} // namespace

QJsonObject toJson(const AnalyticsReport &report)
{
    QJsonArray groupBy;
    for (AnalyticsDimension dimension : report.groupBy)
        groupBy << toString(dimension);
    QJsonArray rows;
    for (const AnalyticsRow &row : report.rows) {
        QJsonObject json = figuresJson(row.figures);
        for (AnalyticsDimension dimension : kColumnOrder)
            if (report.groupBy.contains(dimension))
                json.insert(toString(dimension), dimensionJson(dimension, row));
        rows << json;
    }
    return {{QStringLiteral("chain"), chainJson(report.chain)},
            {QStringLiteral("from"), report.from.toString(Qt::ISODate)},
            {QStringLiteral("to"), report.to.toString(Qt::ISODate)},
            {QStringLiteral("timeZone"), report.timeZone},
            {QStringLiteral("groupBy"), groupBy},
            {QStringLiteral("rows"), rows},
            {QStringLiteral("totals"), figuresJson(report.totals)}};
}

QJsonObject toJson(const UsageReport &usage)
{
    QJsonArray months;
    for (const auto &[month, recipients] : usage.months)
        months << QJsonObject{{QStringLiteral("month"), month}, {QStringLiteral("recipients"), recipients}};
    return {{QStringLiteral("chain"), chainJson(usage.chain)},
            {QStringLiteral("from"), usage.from},
            {QStringLiteral("to"), usage.to},
            {QStringLiteral("months"), months},
            {QStringLiteral("total"), usage.total}};
}

QList<QStringList> toTable(const AnalyticsReport &report)
{
    QStringList header;
    for (AnalyticsDimension dimension : kColumnOrder)
        if (report.groupBy.contains(dimension))
            header << headerOf(dimension);
    for (int i = 0; i < kAnalyticsFigureCount; ++i)
        header << csvName(AnalyticsFigure(i));
    QList<QStringList> table{header};
    for (const AnalyticsRow &row : report.rows) {
        QStringList line;
        for (AnalyticsDimension dimension : kColumnOrder)
            if (report.groupBy.contains(dimension))
                line << cellsOf(dimension, row);
        for (qint64 figure : row.figures)
            line << QString::number(figure);
        table << line;
    }
    return table;
}

QList<QStringList> toTable(const UsageReport &usage)
{
    QList<QStringList> table{{QStringLiteral("month"), QStringLiteral("recipients")}};
    for (const auto &[month, recipients] : usage.months)
        table << QStringList{month, QString::number(recipients)};
    return table;
}

QByteArray toCsv(const QList<QStringList> &table)
{
    QString text(QChar(0xfeff));
    for (const QStringList &line : table) {
        QStringList fields;
        for (const QString &field : line)
            fields << csvField(field);
        text += fields.join(u',') + QStringLiteral("\r\n");
    }
    return text.toUtf8();
}

} // namespace poptap::delivery
