#pragma once

#include "analyticscalendar.h"
#include "analyticscatalogs.h"
#include "analyticstypes.h"
#include "chains.h"

#include <functional>

namespace poptap::delivery {

// A chain's figures per store, kiosk, POP, brand and local day, and the LINE messages it used
// per month. Read-only, and a chain's report holds nothing of another chain's.
//
// Where each figure comes from, and how far it can be trusted:
// - links shown: intents as kiosks sync them, on the day they were issued. A kiosk that was
//   offline adds to past days when it syncs.
// - phone reads: the kiosks' heartbeat counter (heartbeatcounters.h): per kiosk only, never per
//   brand or POP; counted on the day the heartbeat arrived (every 5 minutes by default, so a read
//   just before midnight can count on the next day, and reads while offline count on the day
//   the kiosk is back); reads after a kiosk's last heartbeat before a crash are lost.
// - claims: on the day claimed, at the kiosk that synced the intent or else the one whose key
//   signed the token.
// - friend adds: at the place of the same shopper's claim nearest in time, within an hour either
//   way; otherwise unattributed (and only if the shopper ever claimed at one of the chain's stores).
// - blocks: at every place the shopper had subscribed to before blocking (once per row, once
//   in the totals, so rows of a grouping may add up to more than the total).
// - deliveries, skipped, capped, deferred, clicks: from the fan-out's tables; no kiosk or POP;
//   a chain-wide event's figures are under "chain-wide" instead of a store.
// - brands of restock variants and POPs come from today's catalogs.
class Analytics
{
public:
    using Clock = std::function<qint64()>; // ms since epoch
    Analytics(ServiceDatabase &db, const QString &timeZone, Clock now);

    static constexpr int kMaxDays = 366;
    static constexpr int kMaxMonths = 36;

    enum class Problem { None, BadRange, UnknownChain, Unavailable };
    template <typename T>
    struct Outcome {
        std::optional<T> value;
        Problem problem = Problem::None;
        QString message; // why not, for the caller to show
    };

    // `from` and `to` are local days, both included, at most kMaxDays of them.
    Outcome<AnalyticsReport> report(std::int64_t chainId, QDate from, QDate to,
                                    const QList<AnalyticsDimension> &groupBy);
    // Months are given by their first day; both included, at most kMaxMonths of them.
    Outcome<UsageReport> usage(std::int64_t chainId, QDate fromMonth, QDate toMonth);
    // This local month and the eleven before it: what "usage" shows without a range.
    std::pair<QDate, QDate> lastTwelveMonths() const;

private:
    std::optional<AnalyticsChain> chain(std::int64_t chainId) const;
    bool nameRows(const AnalyticsChain &chain, AnalyticsReport &report, QString *error);

    ServiceDatabase &m_db;
    AnalyticsCalendar m_calendar;
    Clock m_now;
    AnalyticsCatalogs m_catalogs;
};

} // namespace poptap::delivery
