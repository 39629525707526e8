#pragma once

#include <QDate>
#include <QList>
#include <QString>

#include <array>
#include <cstdint>
#include <optional>
#include <utility>

namespace poptap::delivery {

// What a report is broken down by: ?groupBy=store,brand,day.
enum class AnalyticsDimension { Day, Store, Device, Pop, Brand };
QString toString(AnalyticsDimension dimension);
// "store,brand,day" -> those dimensions, each once, in the order given; an empty text is no
// grouping (totals only). nullopt, with `error` naming the word, for an unknown dimension.
std::optional<QList<AnalyticsDimension>> parseDimensions(const QString &text, QString *error);

// The figures of a row, in the order they are printed.
enum class AnalyticsFigure {
    LinksShown,        // registration intents the chain's kiosks issued (QR code and NFC link on screen)
    PhoneReads,        // phones that read a kiosk's link over NFC
    Claims,            // tokens claimed by a LINE user
    FriendAdds,        // follow events
    Blocks,            // unfollow events
    Deliveries,        // recipients of product-event messages LINE accepted
    SkippedUnfollowed, // subscribers a product event skipped: not friends any more
    Capped,            // subscribers a product event dropped: over the chain's daily cap
    Deferred,          // subscribers a product event holds back for a later day (cap policy defer)
    Clicks,            // clicks on tracked links in those messages
};
inline constexpr int kAnalyticsFigureCount = 10;
using AnalyticsFigures = std::array<qint64, kAnalyticsFigureCount>;
QString jsonName(AnalyticsFigure figure); // "linksShown"
QString csvName(AnalyticsFigure figure);  // "links_shown"

// Where a figure is counted. What a figure cannot tell (phone reads per brand, a friend add
// with no claim near it, the kiosk of a delivery) stays unattributed: an empty day or device,
// a zero POP or brand id, StoreScope::Unattributed. Catalog ids start at 1.
struct AnalyticsKey {
    enum class StoreScope { Store, ChainWide, Unattributed };

    QString day; // YYYY-MM-DD in the service's time zone
    StoreScope storeScope = StoreScope::Unattributed;
    std::int64_t storeId = 0;
    QString deviceId;
    std::int64_t popStoreId = 0; // POP ids are ids of one store's catalog
    std::uint32_t popId = 0;
    std::uint32_t brandId = 0;

    // The same place seen through a grouping: the other dimensions cleared.
    AnalyticsKey only(const QList<AnalyticsDimension> &dimensions) const;
    // Day, store, device, POP, brand; unattributed last in each.
    bool operator<(const AnalyticsKey &other) const;
    bool operator==(const AnalyticsKey &other) const = default;
};

struct AnalyticsRow {
    AnalyticsKey key;
    QString storeCode;
    QString storeNameJa;
    QString storeNameEn;
    QString deviceName;
    QString popLabel; // where staff put the POP; may be empty
    QString brandNameJa;
    QString brandNameEn;
    AnalyticsFigures figures{};
};

struct AnalyticsChain {
    std::int64_t id = 0;
    QString code;
    QString nameJa;
    QString nameEn;
};

struct AnalyticsReport {
    AnalyticsChain chain;
    QDate from;
    QDate to; // inclusive
    QString timeZone;
    QList<AnalyticsDimension> groupBy;
    QList<AnalyticsRow> rows;
    AnalyticsFigures totals{}; // each event once, even where rows count it in several places
};

// LINE bills per recipient: what a chain's messages used, per month.
struct UsageReport {
    AnalyticsChain chain;
    QString from; // YYYY-MM
    QString to;   // YYYY-MM, inclusive
    QList<std::pair<QString, qint64>> months; // every month of the range, oldest first
    qint64 total = 0;
};

// Strict YYYY-MM-DD and YYYY-MM (a month gives its first day); nullopt for anything else.
std::optional<QDate> parseDay(const QString &text);
std::optional<QDate> parseMonth(const QString &text);

} // namespace poptap::delivery
