#include "analyticstypes.h"

#include <QRegularExpression>

#include <algorithm>
#include <limits>
#include <tuple>

namespace poptap::delivery {
namespace {

struct FigureNames {
    const char *json;
    const char *csv;
};
constexpr std::array<FigureNames, kAnalyticsFigureCount> kFigureNames{{
    {"linksShown", "links_shown"},
    {"phoneReads", "phone_reads"},
    {"claims", "claims"},
    {"friendAdds", "friend_adds"},
    {"blocks", "blocks"},
    {"deliveries", "deliveries"},
    {"skippedUnfollowed", "skipped_unfollowed"},
    {"capped", "capped"},
    {"deferred", "deferred"},
    {"clicks", "clicks"},
}};

constexpr std::array<std::pair<AnalyticsDimension, const char *>, 5> kDimensionNames{{
    {AnalyticsDimension::Day, "day"},
    {AnalyticsDimension::Store, "store"},
    {AnalyticsDimension::Device, "device"},
    {AnalyticsDimension::Pop, "pop"},
    {AnalyticsDimension::Brand, "brand"},
}};

// Sort keys that put the unattributed after every real value.
constexpr std::uint64_t kLast = std::numeric_limits<std::uint64_t>::max();
std::uint64_t order(std::uint32_t id)
{
    return id == 0 ? kLast : id;
}

} // namespace

QString toString(AnalyticsDimension dimension)
{
    for (const auto &[d, name] : kDimensionNames)
        if (d == dimension)
            return QLatin1String(name);
    return {};
}

std::optional<QList<AnalyticsDimension>> parseDimensions(const QString &text, QString *error)
{
    QList<AnalyticsDimension> dimensions;
    for (const QString &word : text.split(u',', Qt::SkipEmptyParts)) {
        const QString name = word.trimmed().toLower();
        const auto found = std::find_if(kDimensionNames.begin(), kDimensionNames.end(),
                                        [&name](const auto &entry) { return name == QLatin1String(entry.second); });
        if (found == kDimensionNames.end()) {
            *error = QStringLiteral("unknown grouping '%1' (day, store, device, pop, brand)").arg(word.trimmed());
            return std::nullopt;
        }
        if (!dimensions.contains(found->first))
            dimensions << found->first;
    }
    return dimensions;
}

QString jsonName(AnalyticsFigure figure)
{
    return QLatin1String(kFigureNames[std::size_t(figure)].json);
}

QString csvName(AnalyticsFigure figure)
{
    return QLatin1String(kFigureNames[std::size_t(figure)].csv);
}

AnalyticsKey AnalyticsKey::only(const QList<AnalyticsDimension> &dimensions) const
{
    AnalyticsKey kept;
    if (dimensions.contains(AnalyticsDimension::Day))
        kept.day = day;
    if (dimensions.contains(AnalyticsDimension::Store)) {
        kept.storeScope = storeScope;
        kept.storeId = storeId;
    }
    if (dimensions.contains(AnalyticsDimension::Device))
        kept.deviceId = deviceId;
    if (dimensions.contains(AnalyticsDimension::Pop)) {
        kept.popStoreId = popStoreId;
        kept.popId = popId;
    }
    if (dimensions.contains(AnalyticsDimension::Brand))
        kept.brandId = brandId;
    return kept;
}

bool AnalyticsKey::operator<(const AnalyticsKey &other) const
{
    const auto tuple = [](const AnalyticsKey &k) {
        return std::make_tuple(k.day, int(k.storeScope), k.storeId, k.deviceId.isEmpty(), k.deviceId,
                               k.popId == 0, k.popStoreId, k.popId, order(k.brandId));
    };
    return tuple(*this) < tuple(other);
}

std::optional<QDate> parseDay(const QString &text)
{
    static const QRegularExpression shape(QStringLiteral("^\\d{4}-\\d{2}-\\d{2}$"));
    if (!shape.match(text).hasMatch())
        return std::nullopt;
    const QDate date = QDate::fromString(text, Qt::ISODate);
    return date.isValid() ? std::optional<QDate>(date) : std::nullopt;
}

std::optional<QDate> parseMonth(const QString &text)
{
    static const QRegularExpression shape(QStringLiteral("^\\d{4}-\\d{2}$"));
    if (!shape.match(text).hasMatch())
        return std::nullopt;
    const QDate first = QDate::fromString(text + QStringLiteral("-01"), Qt::ISODate);
    return first.isValid() ? std::optional<QDate>(first) : std::nullopt;
}

} // namespace poptap::delivery
