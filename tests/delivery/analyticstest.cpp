// A chain's analytics from a real database (SQLite, or PostgreSQL when POPTAP_TEST_DATABASE
// is set), filled the way the service fills it: kiosks enrolled, syncing intents and sending
// heartbeats through KioskLedger, shoppers claiming through ClaimService, LINE's follow and
// unfollow events through WebhookInbox. Only the fan-out's own tables (events, deliveries,
// batches, tracked links, clicks, usage) are written directly. Two days in Asia/Tokyo,
// 2026-03-10 and 2026-03-11, with events a minute either side of midnight; a second chain
// whose figures must never show in the first one's.
#include "analytics/analytics.h"
#include "analytics/analyticsformat.h"
#include "analyticsapi.h"
#include "chains.h"
#include "claimservice.h"
#include "guardedhttpserver.h"
#include "kioskledger.h"
#include "lineclient.h"
#include "registrationtoken.h"
#include "servicetesting.h"
#include "webhookevent.h"
#include "webhookinbox.h"

#include "wire/heartbeatwire.h"
#include "wire/registrationwire.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QTemporaryDir>
#include <QTest>

using namespace poptap;
using namespace poptap::delivery;

namespace {

constexpr std::int64_t kChain = 1;
constexpr std::int64_t kOtherChain = 2;
constexpr std::int64_t kJingumae = 101;  // chain 1, the demo catalog
constexpr std::int64_t kShibuya = 102;   // chain 1; its names have a comma and quotes
constexpr std::int64_t kOtherStore = 201; // chain 2
const QString kTimeZone = QStringLiteral("Asia/Tokyo");

// Demo catalog: brand 1 Kumo Tailors, 7 Yamabiko Mountain (variant 100301), 9 Hanabi Denim
// (POP 7001 "入口テーブル").
constexpr std::uint32_t kKumo = 1;
constexpr std::uint32_t kYamabiko = 7;
constexpr std::uint32_t kHanabi = 9;
constexpr std::uint32_t kYamabikoVariant = 100301;
constexpr std::uint32_t kEntrancePop = 7001;

QDateTime jst(const char *text)
{
    return QDateTime::fromString(QLatin1String(text) + QStringLiteral("+09:00"), Qt::ISODate).toUTC();
}

QString user(int n)
{
    return QStringLiteral("U%1").arg(n, 32, 16, QLatin1Char('0'));
}

// Figures in their printed order, readable when a comparison fails.
QString figures(const AnalyticsFigures &values)
{
    QStringList parts;
    for (int i = 0; i < kAnalyticsFigureCount; ++i)
        parts << jsonName(AnalyticsFigure(i)) + u'=' + QString::number(values[std::size_t(i)]);
    return parts.join(u' ');
}

QString figures(std::initializer_list<qint64> values)
{
    AnalyticsFigures all{};
    std::copy(values.begin(), values.end(), all.begin());
    return figures(all);
}

struct Kiosk {
    QString deviceId;
    wire::DeviceKey key;
    std::uint32_t sequence = 0;
};

} // namespace

class AnalyticsTest : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    QString m_database = servicetesting::testDatabase();
    std::unique_ptr<ServiceDatabase> m_db;
    QDateTime m_now; // the clock of every real path
    std::unique_ptr<KioskLedger> m_ledger;
    std::unique_ptr<LineClient> m_line;
    std::unique_ptr<ClaimService> m_claims;
    std::unique_ptr<WebhookInbox> m_inbox;
    std::unique_ptr<Analytics> m_analytics;
    QHash<QString, Kiosk> m_kiosks;
    QString m_chainKey;
    QString m_otherChainKey;
    std::unique_ptr<GuardedHttpServer> m_http;
    quint16 m_port = 0;
    QNetworkAccessManager m_network;

    bool addStore(std::int64_t id, const QString &code, const QString &nameJa, const QString &nameEn)
    {
        DeviceRegistry registry(*m_db);
        QFile demo(QStringLiteral(POPTAP_SOURCE_DIR "/resources/catalog/demo-catalog.json"));
        if (!demo.open(QIODevice::ReadOnly))
            return false;
        QByteArray catalog = demo.readAll().replace("\"id\": 101", "\"id\": " + QByteArray::number(id));
        if (id != kJingumae) { // a POP id names one sticker in the whole service (popdirectory.h)
            QJsonObject withoutPops = QJsonDocument::fromJson(catalog).object();
            withoutPops.remove(QStringLiteral("pops"));
            catalog = QJsonDocument(withoutPops).toJson();
        }
        return registry.addStore(id, code, nameJa, nameEn).isEmpty() && registry.setCatalog(id, catalog).isEmpty();
    }

    void enroll(const QString &name, std::int64_t storeId, std::uint32_t localKeyId)
    {
        QString error;
        const auto code = m_ledger->createEnrollmentCode(storeId, 1, &error);
        QVERIFY2(code, qPrintable(error));
        const auto enrolled = m_ledger->enroll({*code, {localKeyId, QByteArray(32, char('a' + m_kiosks.size()))}, name,
                                                QStringLiteral("0.1.0")});
        QVERIFY(enrolled.response);
        m_kiosks.insert(name, {enrolled.response->deviceId, enrolled.response->deviceKey, 0});
    }

    // A kiosk issues an intent at `at` (its QR code and link on screen) and, unless told not to,
    // syncs it. Returns its token.
    QString issue(const QString &kiosk, RegistrationKind kind, std::uint32_t target, const QDateTime &at, bool sync = true)
    {
        Kiosk &k = m_kiosks[kiosk];
        TokenClaims claims;
        claims.keyId = k.key.keyId;
        claims.epoch = 1;
        claims.sequence = ++k.sequence;
        claims.kind = kind;
        claims.target = target;
        claims.issuedAt = at;
        const QString token = RegistrationToken::issue(claims, k.key.secret);
        if (sync) {
            wire::RegistrationBatch batch;
            batch.intents = {{claims.intentId(), token, kind, target, at}};
            const KioskLedger::Ingested ingested = m_ledger->ingest(k.deviceId, wire::newIdempotencyKey(), batch.toJson());
            if (ingested.httpStatus != 200 || !ingested.body.contains("accepted"))
                qWarning() << "intent not accepted:" << ingested.body;
        }
        return token;
    }

    bool claim(const QString &token, int shopper, const QDateTime &at)
    {
        m_now = at;
        return m_claims->claimForUser(token, user(shopper), false).outcome == ClaimOutcome::Subscribed;
    }

    // LINE tells of a follow or unfollow, through the inbox as the webhook stores it.
    bool friendship(const char *type, int shopper, const QDateTime &at)
    {
        static int events = 0;
        QJsonObject event{{QStringLiteral("type"), QLatin1String(type)},
                          {QStringLiteral("mode"), QStringLiteral("active")},
                          {QStringLiteral("timestamp"), at.toMSecsSinceEpoch()},
                          {QStringLiteral("source"), QJsonObject{{QStringLiteral("type"), QStringLiteral("user")},
                                                                 {QStringLiteral("userId"), user(shopper)}}},
                          {QStringLiteral("webhookEventId"), QStringLiteral("01HANALYTICS%1").arg(++events, 14, 10, QLatin1Char('0'))},
                          {QStringLiteral("deliveryContext"), QJsonObject{{QStringLiteral("isRedelivery"), false}}}};
        if (QLatin1String(type) == QLatin1String("follow"))
            event.insert(QStringLiteral("replyToken"), QStringLiteral("r%1").arg(events));
        const QJsonObject body{{QStringLiteral("destination"), user(0)}, {QStringLiteral("events"), QJsonArray{event}}};
        const WebhookParse parsed = parseWebhookBody(QJsonDocument(body).toJson(QJsonDocument::Compact));
        return parsed.ok() && parsed.events.size() == 1 && m_inbox->store(parsed.events).added == 1
            && m_inbox->processPending() == 1;
    }

    bool heartbeat(const QString &kiosk, const QDateTime &at, qint64 uptimeSeconds, qint64 phoneReads)
    {
        m_now = at;
        wire::Heartbeat beat;
        beat.version = QStringLiteral("0.1.0");
        beat.uptimeSeconds = uptimeSeconds;
        beat.counters.insert(QStringLiteral("phoneReads"), phoneReads);
        beat.counters.insert(QStringLiteral("registrations"), 1000 - phoneReads); // not a figure: ignored
        return m_ledger->recordHeartbeat(m_kiosks[kiosk].deviceId, beat.toJson()).isEmpty();
    }

    bool exec(const QString &sql, const QVariantList &values)
    {
        QSqlQuery q(m_db->handle());
        q.prepare(sql);
        for (const QVariant &value : values)
            q.addBindValue(value);
        if (!q.exec())
            qWarning() << sql << q.lastError().text();
        return q.lastError().type() == QSqlError::NoError;
    }

    // A product event the fan-out expanded at `expandedAt`, as its tables then read.
    bool productEvent(const QString &id, std::int64_t chain, int kind, std::uint32_t target, const QVariant &store,
                      const QDateTime &expandedAt)
    {
        return exec(QStringLiteral("INSERT INTO product_event (id, chain_id, merchant_event_id, kind, target, store_id, body,"
                                   " state, received_at, expanded_at) VALUES (?, ?, ?, ?, ?, ?, '{}', 'expanded', ?, ?)"),
                    {id, qint64(chain), id, kind, qint64(target), store, expandedAt.toMSecsSinceEpoch() - 1000,
                     expandedAt.toMSecsSinceEpoch()});
    }

    // `recipients` delivery rows of `state` (queued ones in batch `batch`), for shoppers from `firstShopper` on.
    bool deliveries(const QString &event, const char *state, int recipients, int firstShopper, const QVariant &batch = {})
    {
        for (int i = 0; i < recipients; ++i)
            if (!exec(QStringLiteral("INSERT INTO delivery (event_id, user_id, state, batch_no) VALUES (?, ?, ?, ?)"),
                      {event, user(firstShopper + i), QLatin1String(state), batch.isValid() ? batch : QVariant(QMetaType::fromType<int>())}))
                return false;
        return true;
    }

    bool batch(const QString &event, int number, int recipients, const char *state, const QVariant &sentAt)
    {
        return exec(QStringLiteral("INSERT INTO delivery_batch (event_id, batch_no, retry_key, recipients, state, next_attempt_at,"
                                   " created_at, sent_at) VALUES (?, ?, ?, ?, ?, 0, 0, ?)"),
                    {event, number, event + u'-' + QString::number(number), recipients, QLatin1String(state), sentAt});
    }

    bool clicks(const QString &link, const QString &event, std::int64_t chain, const QVariant &store, std::uint32_t brand,
                const QList<std::pair<QString, int>> &perDay)
    {
        if (!exec(QStringLiteral("INSERT INTO tracked_link (id, event_id, chain_id, store_id, brand_id, target_url, created_at)"
                                 " VALUES (?, ?, ?, ?, ?, 'https://shop.example/p', 0)"),
                  {link, event, qint64(chain), store, qint64(brand)}))
            return false;
        for (const auto &[day, count] : perDay)
            if (!exec(QStringLiteral("INSERT INTO link_click (link_id, day, clicks) VALUES (?, ?, ?)"), {link, day, qint64(count)}))
                return false;
        return true;
    }

    AnalyticsReport report(const char *from, const char *to, const QString &groupBy, std::int64_t chain = kChain)
    {
        QString error;
        const auto outcome = m_analytics->report(chain, *parseDay(QLatin1String(from)), *parseDay(QLatin1String(to)),
                                                 *parseDimensions(groupBy, &error));
        if (!outcome.value)
            qWarning() << "no report:" << outcome.message;
        return outcome.value.value_or(AnalyticsReport{});
    }

    // The figures of the row `matches` picks; "missing" when no row does.
    template <typename Match>
    QString rowOf(const AnalyticsReport &report, Match matches)
    {
        for (const AnalyticsRow &row : report.rows)
            if (matches(row.key))
                return figures(row.figures);
        return QStringLiteral("missing");
    }

    servicetesting::HttpReply get(const QString &pathAndQuery, const QString &key,
                                  QList<std::pair<QByteArray, QByteArray>> headers = {})
    {
        if (!key.isEmpty())
            headers.append({"Authorization", "Bearer " + key.toUtf8()});
        return servicetesting::httpRequest(m_network, "GET", QUrl(QStringLiteral("http://127.0.0.1:%1").arg(m_port) + pathAndQuery),
                                           {}, headers);
    }

private Q_SLOTS:
    void initTestCase();

    void figuresPerDayFollowTheShopsMidnight()
    {
        const AnalyticsReport byDay = report("2026-03-10", "2026-03-11", QStringLiteral("day"));
        QCOMPARE(byDay.rows.size(), 2);
        // links, reads, claims, adds, blocks, deliveries, skipped, capped, deferred, clicks
        QCOMPARE(rowOf(byDay, [](const AnalyticsKey &k) { return k.day == QLatin1String("2026-03-10"); }),
                 figures({3, 7, 2, 1, 0, 3, 2, 0, 1, 4}));
        QCOMPARE(rowOf(byDay, [](const AnalyticsKey &k) { return k.day == QLatin1String("2026-03-11"); }),
                 figures({3, 5, 4, 3, 2, 3, 0, 1, 0, 3}));
        QCOMPARE(figures(byDay.totals), figures({6, 12, 6, 4, 2, 6, 2, 1, 1, 7}));

        // The second day alone: what happened at 23:59 JST belongs to the first.
        const AnalyticsReport secondDay = report("2026-03-11", "2026-03-11", QStringLiteral("day"));
        QCOMPARE(secondDay.rows.size(), 1);
        QCOMPARE(figures(secondDay.totals), figures({3, 5, 4, 3, 2, 3, 0, 1, 0, 3}));
        QVERIFY(report("2026-03-12", "2026-03-31", QStringLiteral("day")).rows.isEmpty());
    }

    void figuresPerStore()
    {
        const AnalyticsReport byStore = report("2026-03-10", "2026-03-11", QStringLiteral("store"));
        using Scope = AnalyticsKey::StoreScope;
        const auto store = [](std::int64_t id) {
            return [id](const AnalyticsKey &k) { return k.storeScope == Scope::Store && k.storeId == id; };
        };
        QCOMPARE(rowOf(byStore, store(kJingumae)), figures({5, 12, 5, 3, 2, 1, 0, 1, 0, 2}));
        QCOMPARE(rowOf(byStore, store(kShibuya)), figures({1, 0, 1, 0, 1, 0, 0, 0, 0, 0}));
        // A chain-wide new arrival is no store's.
        QCOMPARE(rowOf(byStore, [](const AnalyticsKey &k) { return k.storeScope == Scope::ChainWide; }),
                 figures({0, 0, 0, 0, 0, 5, 2, 0, 1, 5}));
        // A friend add two hours after the shopper's claim is the chain's, but no store's.
        QCOMPARE(rowOf(byStore, [](const AnalyticsKey &k) { return k.storeScope == Scope::Unattributed; }),
                 figures({0, 0, 0, 1, 0, 0, 0, 0, 0, 0}));
        QCOMPARE(byStore.rows.size(), 4);
        // A shopper who blocked with subscriptions in both stores counts in each, once in the total.
        QCOMPARE(byStore.totals[std::size_t(AnalyticsFigure::Blocks)], 2);
        const AnalyticsRow &first = byStore.rows.first();
        QCOMPARE(first.storeCode, QStringLiteral("jingumae"));
        QCOMPARE(first.storeNameJa, QStringLiteral("ソラマド 神宮前店"));
    }

    void figuresPerKioskIncludeClaimsItsIntentsHaveNotSynced()
    {
        const AnalyticsReport byDevice = report("2026-03-10", "2026-03-11", QStringLiteral("device"));
        const auto device = [this](const char *name) {
            return [id = m_kiosks.value(QLatin1String(name)).deviceId](const AnalyticsKey &k) { return k.deviceId == id; };
        };
        QCOMPARE(rowOf(byDevice, device("entrance")), figures({4, 12, 4, 3, 2, 0, 0, 0, 0, 0}));
        // Its claim's token was signed by this kiosk's key; the kiosk never synced the intent.
        QCOMPARE(rowOf(byDevice, device("fitting room")), figures({1, 0, 1, 0, 0, 0, 0, 0, 0, 0}));
        QCOMPARE(rowOf(byDevice, device("shibuya")), figures({1, 0, 1, 0, 1, 0, 0, 0, 0, 0}));
        QCOMPARE(rowOf(byDevice, [](const AnalyticsKey &k) { return k.deviceId.isEmpty(); }),
                 figures({0, 0, 0, 1, 0, 6, 2, 1, 1, 7}));
        QCOMPARE(byDevice.rows.size(), 4);
        QVERIFY(std::any_of(byDevice.rows.cbegin(), byDevice.rows.cend(),
                            [](const AnalyticsRow &r) { return r.deviceName == QLatin1String("fitting room"); }));
    }

    void figuresPerBrandResolveVariantsAndPopsThroughTheCatalog()
    {
        const AnalyticsReport byBrand = report("2026-03-10", "2026-03-11", QStringLiteral("brand"));
        const auto brand = [](std::uint32_t id) { return [id](const AnalyticsKey &k) { return k.brandId == id; }; };
        QCOMPARE(rowOf(byBrand, brand(kKumo)), figures({3, 0, 3, 2, 2, 5, 2, 0, 1, 5}));
        QCOMPARE(rowOf(byBrand, brand(kYamabiko)), figures({2, 0, 1, 0, 0, 1, 0, 1, 0, 2}));
        QCOMPARE(rowOf(byBrand, brand(kHanabi)), figures({1, 0, 2, 1, 1, 0, 0, 0, 0, 0}));
        // Phone reads are counted per kiosk only: never a brand's.
        QCOMPARE(rowOf(byBrand, brand(0)), figures({0, 12, 0, 1, 0, 0, 0, 0, 0, 0}));
        for (const AnalyticsRow &row : byBrand.rows)
            if (row.key.brandId == kYamabiko) {
                QCOMPARE(row.brandNameJa, QStringLiteral("ヤマビコ マウンテン"));
                QCOMPARE(row.brandNameEn, QStringLiteral("Yamabiko Mountain"));
            }
    }

    void figuresPerPop()
    {
        const AnalyticsReport byPop = report("2026-03-10", "2026-03-11", QStringLiteral("pop,store"));
        QCOMPARE(rowOf(byPop, [](const AnalyticsKey &k) { return k.popId == kEntrancePop && k.popStoreId == kJingumae; }),
                 figures({1, 0, 1, 1, 1, 0, 0, 0, 0, 0}));
        for (const AnalyticsRow &row : byPop.rows)
            if (row.key.popId == kEntrancePop)
                QCOMPARE(row.popLabel, QStringLiteral("入口テーブル"));
    }

    void groupingsCombine()
    {
        const AnalyticsReport report = this->report("2026-03-10", "2026-03-11", QStringLiteral("store,brand,day"));
        QStringList groupBy;
        for (AnalyticsDimension dimension : report.groupBy)
            groupBy << toString(dimension);
        QCOMPARE(groupBy, QStringList({QStringLiteral("store"), QStringLiteral("brand"), QStringLiteral("day")}));
        // The 23:59 intent and the one at 00:00 of the same kiosk fall on either side.
        QCOMPARE(rowOf(report, [](const AnalyticsKey &k) {
                     return k.storeId == kJingumae && k.brandId == kKumo && k.day == QLatin1String("2026-03-10");
                 }),
                 figures({2, 0, 2, 1, 0, 0, 0, 0, 0, 0}));
        QCOMPARE(rowOf(report, [](const AnalyticsKey &k) {
                     return k.storeId == kJingumae && k.brandId == kYamabiko && k.day == QLatin1String("2026-03-11");
                 }),
                 figures({1, 0, 1, 0, 0, 1, 0, 1, 0, 2}));
        // Rows come sorted: day first.
        for (qsizetype i = 1; i < report.rows.size(); ++i)
            QVERIFY(!(report.rows[i].key < report.rows[i - 1].key));
        QCOMPARE(report.rows.first().key.day, QStringLiteral("2026-03-10"));
    }

    void anotherChainSeesOnlyItsOwn()
    {
        const AnalyticsReport other = report("2026-03-10", "2026-03-11", QStringLiteral("store"), kOtherChain);
        QCOMPARE(other.rows.size(), 1);
        QCOMPARE(other.rows.first().key.storeId, kOtherStore);
        QCOMPARE(figures(other.totals), figures({1, 50, 1, 1, 1, 10, 0, 0, 0, 9}));
    }

    void messageUsagePerMonth()
    {
        const auto usage = m_analytics->usage(kChain, QDate(2026, 1, 1), QDate(2026, 3, 1));
        QVERIFY(usage.value);
        QCOMPARE(usage.value->months, (QList<std::pair<QString, qint64>>{{QStringLiteral("2026-01"), 0},
                                                                         {QStringLiteral("2026-02"), 120},
                                                                         {QStringLiteral("2026-03"), 6}}));
        QCOMPARE(usage.value->total, 126);
        QCOMPARE(m_analytics->usage(kOtherChain, QDate(2026, 3, 1), QDate(2026, 3, 1)).value->total, 10);
    }

    void rangesAreBounded()
    {
        const auto tooLong = m_analytics->report(kChain, QDate(2025, 1, 1), QDate(2026, 1, 2), {});
        QCOMPARE(tooLong.problem, Analytics::Problem::BadRange);
        QVERIFY(tooLong.message.contains(QLatin1String("367 days")));
        QVERIFY(m_analytics->report(kChain, QDate(2025, 1, 2), QDate(2026, 1, 2), {}).value); // 366 days
        QCOMPARE(m_analytics->report(kChain, QDate(2026, 3, 11), QDate(2026, 3, 10), {}).problem, Analytics::Problem::BadRange);
        QCOMPARE(m_analytics->usage(kChain, QDate(2023, 1, 1), QDate(2026, 1, 1)).problem, Analytics::Problem::BadRange);
        QCOMPARE(m_analytics->report(99, QDate(2026, 3, 10), QDate(2026, 3, 10), {}).problem, Analytics::Problem::UnknownChain);
    }

    void httpJsonReport()
    {
        const auto reply = get(QStringLiteral("/v1/analytics?from=2026-03-10&to=2026-03-11&groupBy=store,brand,day"), m_chainKey);
        QCOMPARE(reply.status, 200);
        QCOMPARE(reply.headers.value("content-type"), QByteArray("application/json"));
        QCOMPARE(reply.json.value(QLatin1String("timeZone")).toString(), kTimeZone);
        QCOMPARE(reply.json.value(QLatin1String("chain")).toObject().value(QLatin1String("code")).toString(),
                 QStringLiteral("soramado"));
        const QJsonObject totals = reply.json.value(QLatin1String("totals")).toObject();
        QCOMPARE(totals.value(QLatin1String("linksShown")).toInt(), 6);
        QCOMPARE(totals.value(QLatin1String("blocks")).toInt(), 2);
        bool chainWideSeen = false;
        for (const QJsonValue &value : reply.json.value(QLatin1String("rows")).toArray()) {
            const QJsonObject row = value.toObject();
            QVERIFY(row.contains(QLatin1String("day")) && row.contains(QLatin1String("brand")) && !row.contains(QLatin1String("device")));
            const QJsonObject store = row.value(QLatin1String("store")).toObject();
            if (store.value(QLatin1String("chainWide")).toBool()) {
                chainWideSeen = true;
                QVERIFY(store.value(QLatin1String("id")).isNull());
            }
        }
        QVERIFY(chainWideSeen);
        // Without groupBy, per day.
        const auto perDay = get(QStringLiteral("/v1/analytics?from=2026-03-10&to=2026-03-11"), m_chainKey);
        QCOMPARE(perDay.json.value(QLatin1String("groupBy")).toArray(), QJsonArray{QStringLiteral("day")});
        QCOMPARE(perDay.json.value(QLatin1String("rows")).toArray().size(), 2);
    }

    void httpCsvQuotesNamesAndKeepsJapanese()
    {
        for (const bool byAccept : {false, true}) {
            const auto reply = byAccept
                ? get(QStringLiteral("/v1/analytics?from=2026-03-10&to=2026-03-11&groupBy=store"), m_chainKey,
                      {{"Accept", "text/csv"}})
                : get(QStringLiteral("/v1/analytics?from=2026-03-10&to=2026-03-11&groupBy=store&format=csv"), m_chainKey);
            QCOMPARE(reply.status, 200);
            QVERIFY(reply.headers.value("content-type").startsWith("text/csv; charset=utf-8"));
            QVERIFY(reply.headers.value("content-disposition").contains("poptap-soramado-2026-03-10_2026-03-11.csv"));
            QVERIFY(reply.body.startsWith("\xEF\xBB\xBF")); // so spreadsheet programs read UTF-8
            const QStringList lines = QString::fromUtf8(reply.body.mid(3)).split(QStringLiteral("\r\n"));
            QCOMPARE(lines.size(), 6); // header, four rows, and the empty rest after the last CRLF
            QCOMPARE(lines[0], QStringLiteral("store_id,store_code,store_name_ja,store_name_en,links_shown,phone_reads,claims,"
                                              "friend_adds,blocks,deliveries,skipped_unfollowed,capped,deferred,clicks"));
            QCOMPARE(lines[1], QStringLiteral("101,jingumae,ソラマド 神宮前店,Soramado Jingumae,5,12,5,3,2,1,0,1,0,2"));
            QCOMPARE(lines[2], QStringLiteral("102,shibuya,\"ソラマド, 渋谷店\",\"Soramado \"\"Shibuya\"\", 2F\",1,0,1,0,1,0,0,0,0,0"));
            QCOMPARE(lines[3], QStringLiteral("chain-wide,chain-wide,全店舗,All stores,0,0,0,0,0,5,2,0,1,5"));
            QCOMPARE(lines[4], QStringLiteral("unattributed,,,,0,0,0,1,0,0,0,0,0,0"));
            QCOMPARE(lines[5], QString());
        }
    }

    void httpUsage()
    {
        const auto reply = get(QStringLiteral("/v1/usage?from=2026-02&to=2026-03"), m_chainKey);
        QCOMPARE(reply.status, 200);
        QCOMPARE(reply.json.value(QLatin1String("total")).toInt(), 126);
        const QJsonArray months = reply.json.value(QLatin1String("months")).toArray();
        QCOMPARE(months.size(), 2);
        QCOMPARE(months[1].toObject().value(QLatin1String("month")).toString(), QStringLiteral("2026-03"));
        QCOMPARE(months[1].toObject().value(QLatin1String("recipients")).toInt(), 6);
        const auto csv = get(QStringLiteral("/v1/usage?from=2026-02&to=2026-03&format=csv"), m_chainKey);
        QCOMPARE(csv.body, QByteArray("\xEF\xBB\xBFmonth,recipients\r\n2026-02,120\r\n2026-03,6\r\n"));
        // Without a range: the twelve months up to this one.
        const auto recent = get(QStringLiteral("/v1/usage"), m_otherChainKey);
        QCOMPARE(recent.status, 200);
        QCOMPARE(recent.json.value(QLatin1String("months")).toArray().size(), 12);
    }

    void httpChainIsolation()
    {
        const auto other = get(QStringLiteral("/v1/analytics?from=2026-03-10&to=2026-03-11&groupBy=store,device"), m_otherChainKey);
        QCOMPARE(other.status, 200);
        // Its kiosk's figures, and its event's (no kiosk's): all of its one store.
        const QJsonArray rows = other.json.value(QLatin1String("rows")).toArray();
        QCOMPARE(rows.size(), 2);
        for (const QJsonValue &row : rows)
            QCOMPARE(row[QLatin1String("store")][QLatin1String("id")].toInt(), int(kOtherStore));
        QCOMPARE(rows[0][QLatin1String("device")][QLatin1String("name")].toString(), QStringLiteral("other chain"));
        QCOMPARE(rows[0][QLatin1String("linksShown")].toInt(), 1);
        QVERIFY(rows[1][QLatin1String("device")].isNull());
        QCOMPARE(rows[1][QLatin1String("deliveries")].toInt(), 10);
        QVERIFY(!other.body.contains("jingumae") && !other.body.contains(m_kiosks.value(QStringLiteral("entrance")).deviceId.toUtf8()));
        const auto usage = get(QStringLiteral("/v1/usage?from=2026-02&to=2026-03"), m_otherChainKey);
        QCOMPARE(usage.json.value(QLatin1String("total")).toInt(), 10);
    }

    void httpRefusals_data()
    {
        QTest::addColumn<QString>("path");
        QTest::addColumn<QByteArray>("authorization");
        QTest::addColumn<int>("status");
        QTest::addColumn<QString>("message");
        const QString good = QStringLiteral("/v1/analytics?from=2026-03-10&to=2026-03-11");
        const QByteArray key = "Bearer " + m_chainKey.toUtf8();
        QTest::newRow("no key") << good << QByteArray() << 401 << "API key";
        QTest::newRow("wrong key") << good << QByteArray("Bearer ptk_notakey") << 401 << "API key";
        QTest::newRow("not bearer") << good << QByteArray("Basic " + m_chainKey.toUtf8()) << 401 << "API key";
        QTest::newRow("usage without key") << QStringLiteral("/v1/usage") << QByteArray() << 401 << "API key";
        QTest::newRow("no from") << QStringLiteral("/v1/analytics?to=2026-03-11") << key << 400 << "YYYY-MM-DD";
        QTest::newRow("day not padded") << QStringLiteral("/v1/analytics?from=2026-3-10&to=2026-03-11") << key << 400
                                        << "YYYY-MM-DD";
        QTest::newRow("no such day") << QStringLiteral("/v1/analytics?from=2026-02-30&to=2026-03-11") << key << 400
                                     << "YYYY-MM-DD";
        QTest::newRow("backwards") << QStringLiteral("/v1/analytics?from=2026-03-11&to=2026-03-10") << key << 400
                                   << "later day";
        QTest::newRow("over a year") << QStringLiteral("/v1/analytics?from=2025-01-01&to=2026-03-10") << key << 400
                                     << "at most 366";
        QTest::newRow("unknown grouping") << good + QStringLiteral("&groupBy=store,colour") << key << 400 << "'colour'";
        QTest::newRow("unknown format") << good + QStringLiteral("&format=xlsx") << key << 400 << "json or csv";
        QTest::newRow("unknown parameter") << good + QStringLiteral("&group_by=store") << key << 400 << "'group_by'";
        QTest::newRow("repeated parameter") << good + QStringLiteral("&from=2026-03-01") << key << 400 << "more than once";
        QTest::newRow("bad month") << QStringLiteral("/v1/usage?from=2026-13&to=2026-12") << key << 400 << "YYYY-MM";
        QTest::newRow("usage over 3 years") << QStringLiteral("/v1/usage?from=2020-01&to=2026-03") << key << 400 << "at most 36";
    }

    void httpRefusals()
    {
        QFETCH(QString, path);
        QFETCH(QByteArray, authorization);
        QFETCH(int, status);
        QFETCH(QString, message);
        QList<std::pair<QByteArray, QByteArray>> headers;
        if (!authorization.isEmpty())
            headers.append({"Authorization", authorization});
        const auto reply = get(path, {}, headers);
        QCOMPARE(reply.status, status);
        QCOMPARE(reply.json.value(QLatin1String("error")).toString(),
                 status == 401 ? QStringLiteral("unauthorized") : QStringLiteral("invalid_parameter"));
        QVERIFY2(reply.json.value(QLatin1String("message")).toString().contains(message), reply.body.constData());
        if (status == 401)
            QVERIFY(reply.headers.value("www-authenticate").startsWith("Bearer"));
    }

    void cleanupTestCase()
    {
        m_http.reset();
        m_analytics.reset();
        m_claims.reset();
        m_inbox.reset();
        m_ledger.reset();
        m_db.reset();
    }
};

void AnalyticsTest::initTestCase()
{
    QVERIFY(m_dir.isValid());
    QCOMPARE(servicetesting::resetDatabase(m_database, m_dir.filePath(QStringLiteral("delivery.db"))), QString());
    m_db = std::make_unique<ServiceDatabase>(QStringLiteral("analyticstest"));
    QCOMPARE(m_db->open(m_database, m_dir.filePath(QStringLiteral("delivery.db"))), QString());
    QCOMPARE(m_db->migrate(), QString());
    m_now = jst("2026-03-10T08:00:00");
    m_ledger = std::make_unique<KioskLedger>(*m_db, [this] { return m_now; });
    m_line = std::make_unique<LineClient>(QStringLiteral("http://127.0.0.1:9"), QStringLiteral("channel"), QStringLiteral("token"));
    m_claims = std::make_unique<ClaimService>(*m_db, *m_line, [this] { return m_now; });
    m_inbox = std::make_unique<WebhookInbox>(*m_db, [this] { return m_now.toMSecsSinceEpoch(); });
    m_analytics = std::make_unique<Analytics>(*m_db, kTimeZone, [] { return QDateTime::currentMSecsSinceEpoch(); });

    // Two chains with their stores, catalogs and kiosks, as operators set them up.
    Chains chains(*m_db);
    QCOMPARE(chains.add(kChain, QStringLiteral("soramado"), QStringLiteral("ソラマド"), QStringLiteral("Soramado")), QString());
    QCOMPARE(chains.add(kOtherChain, QStringLiteral("other"), QStringLiteral("アザー"), QStringLiteral("Other")), QString());
    QVERIFY(addStore(kJingumae, QStringLiteral("jingumae"), QStringLiteral("ソラマド 神宮前店"), QStringLiteral("Soramado Jingumae")));
    QVERIFY(addStore(kShibuya, QStringLiteral("shibuya"), QStringLiteral("ソラマド, 渋谷店"), QStringLiteral("Soramado \"Shibuya\", 2F")));
    QVERIFY(addStore(kOtherStore, QStringLiteral("elsewhere"), QStringLiteral("よそ"), QStringLiteral("Elsewhere")));
    QCOMPARE(chains.assignStore(kJingumae, kChain), QString());
    QCOMPARE(chains.assignStore(kShibuya, kChain), QString());
    QCOMPARE(chains.assignStore(kOtherStore, kOtherChain), QString());
    QCOMPARE(chains.issueApiKey(kChain, &m_chainKey), QString());
    QCOMPARE(chains.issueApiKey(kOtherChain, &m_otherChainKey), QString());
    enroll(QStringLiteral("entrance"), kJingumae, 0xa0000001);
    enroll(QStringLiteral("fitting room"), kJingumae, 0xa0000002);
    enroll(QStringLiteral("shibuya"), kShibuya, 0xa0000003);
    enroll(QStringLiteral("other chain"), kOtherStore, 0xa0000004);

    // Links shown: six in chain 1 (three each day), one in chain 2.
    const QString a1 = issue(QStringLiteral("entrance"), RegistrationKind::BrandInterest, kKumo, jst("2026-03-10T10:00:00"));
    const QString a2 = issue(QStringLiteral("entrance"), RegistrationKind::BrandInterest, kKumo, jst("2026-03-10T23:59:00"));
    const QString a3 = issue(QStringLiteral("entrance"), RegistrationKind::Restock, kYamabikoVariant, jst("2026-03-11T00:00:00"));
    const QString a4 = issue(QStringLiteral("entrance"), RegistrationKind::Pop, kEntrancePop, jst("2026-03-11T10:00:00"));
    issue(QStringLiteral("fitting room"), RegistrationKind::BrandInterest, kYamabiko, jst("2026-03-10T15:00:00"));
    const QString c1 = issue(QStringLiteral("shibuya"), RegistrationKind::BrandInterest, kKumo, jst("2026-03-11T09:00:00"));
    const QString x1 = issue(QStringLiteral("other chain"), RegistrationKind::BrandInterest, kKumo, jst("2026-03-10T11:00:00"));
    // Shown by the fitting-room kiosk, which has not synced it yet; claimed all the same.
    const QString unsynced = issue(QStringLiteral("fitting room"), RegistrationKind::BrandInterest, kHanabi,
                                   jst("2026-03-11T10:58:00"), false);

    // Claims, and LINE's follows around them: shopper 1 follows 6 s before claiming (DESIGN.md,
    // "Races"); shopper 2 claims at 23:59:30 and follows at 00:00:10; shopper 4 follows hours
    // later; shopper 6 claims in both stores and follows nearer the entrance POP's claim;
    // shopper 7 follows without ever claiming (no chain's figure).
    QVERIFY(friendship("follow", 1, jst("2026-03-10T10:04:54")));
    QVERIFY(claim(a1, 1, jst("2026-03-10T10:05:00")));
    QVERIFY(claim(a2, 2, jst("2026-03-10T23:59:30")));
    QVERIFY(friendship("follow", 2, jst("2026-03-11T00:00:10")));
    QVERIFY(claim(a3, 3, jst("2026-03-11T00:00:30")));
    QVERIFY(claim(unsynced, 4, jst("2026-03-11T11:00:00")));
    QVERIFY(friendship("follow", 4, jst("2026-03-11T13:30:00")));
    QVERIFY(claim(c1, 6, jst("2026-03-11T09:50:00")));
    QVERIFY(claim(a4, 6, jst("2026-03-11T10:01:00")));
    QVERIFY(friendship("follow", 6, jst("2026-03-11T10:40:00")));
    QVERIFY(friendship("follow", 7, jst("2026-03-10T12:00:00")));
    QVERIFY(claim(x1, 5, jst("2026-03-10T11:05:00")));
    QVERIFY(friendship("follow", 5, jst("2026-03-10T11:06:00")));
    // Blocks: shopper 1 (one subscription), shopper 6 (one in each store), shopper 5 (chain 2).
    QVERIFY(friendship("unfollow", 1, jst("2026-03-11T20:00:00")));
    QVERIFY(friendship("unfollow", 6, jst("2026-03-11T21:00:00")));
    QVERIFY(friendship("unfollow", 5, jst("2026-03-11T21:30:00")));

    // Phone reads at the entrance: 2 and 5 on the first day, 2 after midnight, a late resend
    // of an older heartbeat (ignored), then a restart that counts from zero: 3.
    QVERIFY(heartbeat(QStringLiteral("entrance"), jst("2026-03-10T09:00:00"), 3600, 2));
    QVERIFY(heartbeat(QStringLiteral("entrance"), jst("2026-03-10T23:50:00"), 3600 + 53400, 7));
    QVERIFY(heartbeat(QStringLiteral("entrance"), jst("2026-03-11T00:05:00"), 3600 + 54300, 9));
    QVERIFY(heartbeat(QStringLiteral("entrance"), jst("2026-03-11T00:06:00"), 3600 + 53400, 7));
    QVERIFY(heartbeat(QStringLiteral("entrance"), jst("2026-03-11T08:00:00"), 600, 3));
    QVERIFY(heartbeat(QStringLiteral("other chain"), jst("2026-03-10T18:00:00"), 7200, 50));

    // The fan-out's tables. E1: a chain-wide new arrival of Kumo Tailors, sent in batches at
    // 23:59:59 (3) and 00:00:00 (2), one still pending (4); two recipients skipped as
    // unfollowed, one deferred by the cap. E2: a restock at Jingumae, one sent, one capped.
    QVERIFY(productEvent(QStringLiteral("E1"), kChain, 1, kKumo, {}, jst("2026-03-10T20:00:00")));
    QVERIFY(batch(QStringLiteral("E1"), 0, 3, "sent", jst("2026-03-10T23:59:59").toMSecsSinceEpoch()));
    QVERIFY(batch(QStringLiteral("E1"), 1, 2, "sent", jst("2026-03-11T00:00:00").toMSecsSinceEpoch()));
    QVERIFY(batch(QStringLiteral("E1"), 2, 4, "pending", {}));
    QVERIFY(deliveries(QStringLiteral("E1"), "queued", 3, 100, 0) && deliveries(QStringLiteral("E1"), "queued", 2, 103, 1)
            && deliveries(QStringLiteral("E1"), "queued", 4, 105, 2) && deliveries(QStringLiteral("E1"), "unfollowed", 2, 110)
            && deliveries(QStringLiteral("E1"), "deferred", 1, 112));
    QVERIFY(productEvent(QStringLiteral("E2"), kChain, 2, kYamabikoVariant, qint64(kJingumae), jst("2026-03-11T12:00:00")));
    QVERIFY(batch(QStringLiteral("E2"), 0, 1, "sent", jst("2026-03-11T12:00:05").toMSecsSinceEpoch()));
    QVERIFY(deliveries(QStringLiteral("E2"), "queued", 1, 3, 0) && deliveries(QStringLiteral("E2"), "capped", 1, 120));
    QVERIFY(productEvent(QStringLiteral("E3"), kOtherChain, 1, kKumo, qint64(kOtherStore), jst("2026-03-10T09:00:00")));
    QVERIFY(batch(QStringLiteral("E3"), 0, 10, "sent", jst("2026-03-10T09:00:01").toMSecsSinceEpoch()));
    QVERIFY(deliveries(QStringLiteral("E3"), "queued", 10, 200, 0));
    QVERIFY(clicks(QStringLiteral("L1"), QStringLiteral("E1"), kChain, {}, kKumo,
                   {{QStringLiteral("2026-03-10"), 4}, {QStringLiteral("2026-03-11"), 1}}));
    QVERIFY(clicks(QStringLiteral("L2"), QStringLiteral("E2"), kChain, qint64(kJingumae), kYamabiko, {{QStringLiteral("2026-03-11"), 2}}));
    QVERIFY(clicks(QStringLiteral("L3"), QStringLiteral("E3"), kOtherChain, qint64(kOtherStore), kKumo, {{QStringLiteral("2026-03-10"), 9}}));
    for (const auto &[chain, month, recipients] : {std::tuple{kChain, "2026-02", 120}, std::tuple{kChain, "2026-03", 6},
                                                   std::tuple{kOtherChain, "2026-03", 10}})
        QVERIFY(exec(QStringLiteral("INSERT INTO message_usage (chain_id, month, recipients) VALUES (?, ?, ?)"),
                     {qint64(chain), QLatin1String(month), qint64(recipients)}));

    // The merchant API on loopback, behind the service's own request checks.
    m_http = std::make_unique<GuardedHttpServer>();
    AnalyticsApi::registerRoutes(m_http->routes(), std::make_shared<AnalyticsApi>(*m_db, kTimeZone));
    m_port = m_http->listen(QHostAddress::LocalHost, 0);
    QVERIFY(m_port != 0);
}

QTEST_GUILESS_MAIN(AnalyticsTest)
#include "analyticstest.moc"
