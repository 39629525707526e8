#include "analyticssources.h"

#include "registrationtoken.h"

#include <QSqlError>
#include <QSqlQuery>

namespace poptap::delivery {
namespace {

using Figure = AnalyticsFigure;
using Scope = AnalyticsKey::StoreScope;

// How far from a follow event a claim may be to be its cause: the follow can come first
// (DESIGN.md, "Races") and a shopper may confirm the LIFF page minutes after the tap.
constexpr qint64 kFollowMatchMs = 60 * 60 * 1000;

// The key a token was signed with, for claims whose intent the kiosk has not synced: the
// intent id starts with it in 8 hex digits (TokenClaims::intentId).
const QString kKeyOfUnsyncedClaim = QStringLiteral("CASE WHEN r.device_id IS NULL THEN substr(c.intent_id, 1, 8) END");

// The follows in the range (adds), and for each the same user's claim nearest in time, if
// one is near enough (nearest). Ties go to the earlier claim.
QString followsWithTheirClaim()
{
    return QStringLiteral(
               ", adds AS (SELECT f.event_id AS event_id, days.day AS day, f.user_id AS user_id, f.event_time AS event_time"
               " FROM webhook_event f JOIN days ON f.event_time >= days.start_ms AND f.event_time < days.end_ms"
               " WHERE f.type = 'follow' AND f.user_id IS NOT NULL AND f.event_time >= ? AND f.event_time < ?),"
               " nearest AS (SELECT event_id, intent_id FROM (SELECT a.event_id AS event_id, m.intent_id AS intent_id,"
               " row_number() OVER (PARTITION BY a.event_id"
               " ORDER BY abs(m.claimed_at - a.event_time), m.claimed_at, m.intent_id) AS nearness"
               " FROM adds a JOIN registration_claim m ON m.user_id = a.user_id"
               " AND m.claimed_at >= a.event_time - %1 AND m.claimed_at <= a.event_time + %1) ranked"
               " WHERE nearness = 1) ")
        .arg(kFollowMatchMs);
}

} // namespace

AnalyticsSources::AnalyticsSources(ServiceDatabase &db, AnalyticsCatalogs &catalogs)
    : m_db(db)
    , m_catalogs(catalogs)
    , m_registry(db)
{
}

QString AnalyticsSources::collect(std::int64_t chainId, const QList<AnalyticsCalendar::Day> &days, AnalyticsTally &tally)
{
    const Range range{chainId, AnalyticsCalendar::daysTable(days), days.first().startMs, days.last().endMs,
                      days.first().name, days.last().name};
    m_error.clear();
    const bool ok = linksShown(range, tally) && phoneReads(range, tally) && claims(range, tally)
        && friendAdds(range, tally) && blocks(range, tally) && deliveries(range, tally) && fanOutSkips(range, tally)
        && clicks(range, tally);
    return ok ? QString() : m_error;
}

bool AnalyticsSources::run(QSqlQuery &q, const QString &sql, const QVariantList &values)
{
    // Not forward-only: on PostgreSQL that streams rows, and the catalog and key look-ups made
    // while reading them would discard the rest.
    if (!q.prepare(sql)) {
        m_error = q.lastError().text();
        return false;
    }
    for (const QVariant &value : values)
        q.addBindValue(value);
    if (!q.exec()) {
        m_error = q.lastError().text();
        return false;
    }
    return true;
}

QString AnalyticsSources::deviceOfKey(const QString &keyHex)
{
    if (keyHex.isEmpty())
        return {};
    if (const auto known = m_keyDevices.constFind(keyHex); known != m_keyDevices.cend())
        return *known;
    bool ok = false;
    const std::uint32_t keyId = keyHex.toUInt(&ok, 16);
    const auto owner = ok ? m_registry.keyOwner(keyId) : std::nullopt;
    return *m_keyDevices.insert(keyHex, owner ? owner->deviceId : QString());
}

AnalyticsKey AnalyticsSources::registrationPlace(const QSqlQuery &q, int column)
{
    AnalyticsKey place;
    place.day = q.value(column).toString();
    place.storeScope = Scope::Store;
    place.storeId = q.value(column + 1).toLongLong();
    place.deviceId = q.value(column + 2).isNull() ? deviceOfKey(q.value(column + 3).toString())
                                                  : q.value(column + 2).toString();
    const int kind = q.value(column + 4).toInt();
    const auto target = std::uint32_t(q.value(column + 5).toLongLong());
    if (RegistrationKind(kind) == RegistrationKind::Pop) {
        place.popStoreId = place.storeId;
        place.popId = target;
    }
    place.brandId = m_catalogs.brandOf(place.storeId, kind, target);
    return place;
}

AnalyticsKey AnalyticsSources::eventPlace(const QSqlQuery &q)
{
    AnalyticsKey place;
    place.day = q.value(0).toString();
    if (q.value(1).isNull()) {
        place.storeScope = Scope::ChainWide;
    } else {
        place.storeScope = Scope::Store;
        place.storeId = q.value(1).toLongLong();
    }
    // Product event kinds are the subscription kinds they reach: 1 brand, 2 restock variant.
    place.brandId = m_catalogs.brandOf(place.storeId, q.value(2).toInt(), std::uint32_t(q.value(3).toLongLong()));
    return place;
}

// Links shown: every intent a kiosk issued is a QR code and NFC link on its screen.
bool AnalyticsSources::linksShown(const Range &range, AnalyticsTally &tally)
{
    QSqlQuery q(m_db.handle());
    if (!run(q,
             range.days
                 + QStringLiteral("SELECT days.day, d.store_id, r.device_id, NULL, r.kind, r.target, COUNT(*)"
                                  " FROM registration r"
                                  " JOIN days ON r.issued_at >= days.start_ms AND r.issued_at < days.end_ms"
                                  " JOIN device d ON d.id = r.device_id JOIN store s ON s.id = d.store_id"
                                  " WHERE s.chain_id = ? AND r.issued_at >= ? AND r.issued_at < ?"
                                  " GROUP BY days.day, d.store_id, r.device_id, r.kind, r.target"),
             {qint64(range.chainId), range.startMs, range.endMs}))
        return false;
    while (q.next())
        tally.add(Figure::LinksShown, registrationPlace(q), q.value(6).toLongLong());
    return true;
}

// Phone reads: what the kiosks' heartbeat counters grew by; per kiosk only (a read has no brand).
bool AnalyticsSources::phoneReads(const Range &range, AnalyticsTally &tally)
{
    QSqlQuery q(m_db.handle());
    if (!run(q,
             range.days
                 + QStringLiteral("SELECT days.day, d.store_id, c.device_id, CAST(SUM(c.increase) AS BIGINT)"
                                  " FROM device_counter c"
                                  " JOIN days ON c.slot_start >= days.start_ms AND c.slot_start < days.end_ms"
                                  " JOIN device d ON d.id = c.device_id JOIN store s ON s.id = d.store_id"
                                  " WHERE s.chain_id = ? AND c.counter = 'phoneReads'"
                                  " AND c.slot_start >= ? AND c.slot_start < ?"
                                  " GROUP BY days.day, d.store_id, c.device_id"),
             {qint64(range.chainId), range.startMs, range.endMs}))
        return false;
    while (q.next()) {
        AnalyticsKey place;
        place.day = q.value(0).toString();
        place.storeScope = Scope::Store;
        place.storeId = q.value(1).toLongLong();
        place.deviceId = q.value(2).toString();
        tally.add(Figure::PhoneReads, place, q.value(3).toLongLong());
    }
    return true;
}

bool AnalyticsSources::claims(const Range &range, AnalyticsTally &tally)
{
    QSqlQuery q(m_db.handle());
    if (!run(q,
             range.days + QStringLiteral("SELECT days.day, c.store_id, r.device_id, ") + kKeyOfUnsyncedClaim
                 + QStringLiteral(", c.kind, c.target, COUNT(*) FROM registration_claim c"
                                  " JOIN days ON c.claimed_at >= days.start_ms AND c.claimed_at < days.end_ms"
                                  " JOIN store s ON s.id = c.store_id"
                                  " LEFT JOIN registration r ON r.intent_id = c.intent_id"
                                  " WHERE s.chain_id = ? AND c.claimed_at >= ? AND c.claimed_at < ?"
                                  " GROUP BY 1, 2, 3, 4, 5, 6"),
             {qint64(range.chainId), range.startMs, range.endMs}))
        return false;
    while (q.next())
        tally.add(Figure::Claims, registrationPlace(q), q.value(6).toLongLong());
    return true;
}

// Friend adds: a follow counts where the same shopper's nearest claim (within an hour either
// way) was made. One with no such claim is the chain's, unattributed, when the shopper ever
// claimed at one of its stores; a shopper who never did is no chain's to report.
bool AnalyticsSources::friendAdds(const Range &range, AnalyticsTally &tally)
{
    QSqlQuery q(m_db.handle());
    if (!run(q,
             range.days + followsWithTheirClaim() + QStringLiteral("SELECT a.day, c.store_id, r.device_id, ")
                 + kKeyOfUnsyncedClaim
                 + QStringLiteral(", c.kind, c.target, COUNT(*) FROM adds a JOIN nearest n ON n.event_id = a.event_id"
                                  " JOIN registration_claim c ON c.intent_id = n.intent_id"
                                  " JOIN store s ON s.id = c.store_id"
                                  " LEFT JOIN registration r ON r.intent_id = c.intent_id"
                                  " WHERE s.chain_id = ? GROUP BY 1, 2, 3, 4, 5, 6"),
             {range.startMs, range.endMs, qint64(range.chainId)}))
        return false;
    while (q.next())
        tally.add(Figure::FriendAdds, registrationPlace(q), q.value(6).toLongLong());

    QSqlQuery unmatched(m_db.handle());
    if (!run(unmatched,
             range.days + followsWithTheirClaim()
                 + QStringLiteral("SELECT a.day, COUNT(*) FROM adds a"
                                  " WHERE NOT EXISTS (SELECT 1 FROM nearest n WHERE n.event_id = a.event_id) AND EXISTS"
                                  " (SELECT 1 FROM registration_claim c JOIN store s ON s.id = c.store_id"
                                  " WHERE c.user_id = a.user_id AND s.chain_id = ?) GROUP BY a.day"),
             {range.startMs, range.endMs, qint64(range.chainId)}))
        return false;
    while (unmatched.next()) {
        AnalyticsKey place;
        place.day = unmatched.value(0).toString();
        tally.add(Figure::FriendAdds, place, unmatched.value(1).toLongLong());
    }
    return true;
}

// Blocks: an unfollow counts for each store, kiosk, POP and brand the shopper had subscribed
// to by then (whatever the subscription's state now), once in each row and once in the totals.
// A subscription a POP sticker activated (ClaimService::claimPop) counts at that POP too: its
// source is the sticker's claim, which names the POP.
bool AnalyticsSources::blocks(const Range &range, AnalyticsTally &tally)
{
    QSqlQuery q(m_db.handle());
    if (!run(q,
             range.days
                 + QStringLiteral("SELECT days.day, c.store_id, r.device_id,"
                                  " CASE WHEN r.device_id IS NULL THEN substr(c.source_intent_id, 1, 8) END,"
                                  " COALESCE(p.kind, c.kind), COALESCE(p.target, c.target), u.event_id, c.kind, c.target"
                                  " FROM webhook_event u"
                                  " JOIN days ON u.event_time >= days.start_ms AND u.event_time < days.end_ms"
                                  " JOIN subscription c ON c.user_id = u.user_id AND c.created_at <= u.event_time"
                                  " JOIN store s ON s.id = c.store_id"
                                  " LEFT JOIN registration r ON r.intent_id = c.source_intent_id"
                                  " LEFT JOIN registration_claim p ON p.intent_id = c.source_intent_id AND p.kind = ?"
                                  " WHERE u.type = 'unfollow' AND s.chain_id = ? AND u.event_time >= ? AND u.event_time < ?"),
             {int(RegistrationKind::Pop), qint64(range.chainId), range.startMs, range.endMs}))
        return false;
    while (q.next()) {
        AnalyticsKey place = registrationPlace(q);
        // The brand is the subscription's, even if the sticker has been given another brand since.
        place.brandId = m_catalogs.brandOf(place.storeId, q.value(7).toInt(), std::uint32_t(q.value(8).toLongLong()));
        tally.addOnce(Figure::Blocks, place, q.value(6).toString());
    }
    return true;
}

// Deliveries: the recipients of every multicast or push LINE accepted, on the day it did.
bool AnalyticsSources::deliveries(const Range &range, AnalyticsTally &tally)
{
    QSqlQuery q(m_db.handle());
    if (!run(q,
             range.days
                 + QStringLiteral("SELECT days.day, e.store_id, e.kind, e.target, CAST(SUM(b.recipients) AS BIGINT)"
                                  " FROM delivery_batch b"
                                  " JOIN days ON b.sent_at >= days.start_ms AND b.sent_at < days.end_ms"
                                  " JOIN product_event e ON e.id = b.event_id"
                                  " WHERE b.state = 'sent' AND e.chain_id = ? AND b.sent_at >= ? AND b.sent_at < ?"
                                  " GROUP BY 1, 2, 3, 4"),
             {qint64(range.chainId), range.startMs, range.endMs}))
        return false;
    while (q.next())
        tally.add(Figure::Deliveries, eventPlace(q), q.value(4).toLongLong());
    return true;
}

// Subscribers an event did not send to, on the day the fan-out decided it (rows carry no time
// of their own). 'deferred' is what waits now: once sent, it counts as a delivery instead.
bool AnalyticsSources::fanOutSkips(const Range &range, AnalyticsTally &tally)
{
    QSqlQuery q(m_db.handle());
    if (!run(q,
             range.days
                 + QStringLiteral("SELECT days.day, e.store_id, e.kind, e.target, d.state, COUNT(*) FROM product_event e"
                                  " JOIN days ON COALESCE(e.expanded_at, e.received_at) >= days.start_ms"
                                  " AND COALESCE(e.expanded_at, e.received_at) < days.end_ms"
                                  " JOIN delivery d ON d.event_id = e.id"
                                  " WHERE e.chain_id = ? AND d.state IN ('unfollowed', 'capped', 'deferred')"
                                  " GROUP BY 1, 2, 3, 4, 5"),
             {qint64(range.chainId)}))
        return false;
    while (q.next()) {
        const QString state = q.value(4).toString();
        const Figure figure = state == QLatin1String("unfollowed") ? Figure::SkippedUnfollowed
            : state == QLatin1String("capped")                      ? Figure::Capped
                                                                    : Figure::Deferred;
        tally.add(figure, eventPlace(q), q.value(5).toLongLong());
    }
    return true;
}

// Clicks are counted per local day as they happen; a link names its store and brand, or its
// event does.
bool AnalyticsSources::clicks(const Range &range, AnalyticsTally &tally)
{
    QSqlQuery q(m_db.handle());
    if (!run(q,
             QStringLiteral("SELECT l.day, COALESCE(t.store_id, e.store_id), e.kind, e.target, t.brand_id,"
                            " CAST(SUM(l.clicks) AS BIGINT) FROM link_click l JOIN tracked_link t ON t.id = l.link_id"
                            " LEFT JOIN product_event e ON e.id = t.event_id"
                            " WHERE COALESCE(t.chain_id, e.chain_id) = ? AND l.day >= ? AND l.day <= ?"
                            " GROUP BY 1, 2, 3, 4, 5"),
             {qint64(range.chainId), range.firstDay, range.lastDay}))
        return false;
    while (q.next()) {
        AnalyticsKey place = eventPlace(q);
        if (const qint64 brand = q.value(4).toLongLong(); brand > 0) // 0 or NULL: the link names none
            place.brandId = std::uint32_t(brand);
        tally.add(Figure::Clicks, place, q.value(5).toLongLong());
    }
    return true;
}

} // namespace poptap::delivery
