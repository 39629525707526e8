// The shopper's LIFF "my subscriptions" page (/m) in real headless Chromium. The delivery
// service (in-process, fresh SQLite file) serves the page and its API; the LINE platform
// emulator plays LINE: the LIFF SDK double and ID token verify. One fresh browser per case;
// every case also checks that the page kept to its CSP and threw nothing.
#include "deliveryserver.h"
#include "emulatedservice.h"
#include "headlesschromium.h"
#include "liffpagefixture.h"
#include "lineemulator.h"
#include "pageprobe.h"
#include "servicedatabase.h"
#include "servicetesting.h"

#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>
#include <QUrlQuery>

#include <memory>

using namespace poptap;
using namespace poptap::delivery;
using lineemu::LineEmulator;
using lineemu::LineEndpoint;

namespace {

constexpr std::int64_t kStoreId = servicetesting::kDemoStoreId;
constexpr int kBrand = 1;
constexpr int kRestock = 2;
// In the demo catalog (resources/catalog/README.md).
constexpr int kYamabiko = 7;
constexpr int kNorthPine = 3;
constexpr int kNavyShirtM = 100102;

// One line of the list as the shopper sees it.
struct Item {
    QString id; // li[data-subscription-id]
    QString text;
};

} // namespace

class ManagePageTest : public QObject, private LiffPageFixture
{
    Q_OBJECT


    // Shopper n (servicetesting::lineUserId) is the LINE user on the phone under test.
    void onThePhone(int n, bool loggedIn = true)
    {
        const QString error = m_line->liff().setSession({m_liffId, servicetesting::lineUserId(n), loggedIn});
        QVERIFY2(error.isEmpty(), qPrintable(error));
    }

    void subscribe(int n, int kind, std::int64_t target)
    {
        QCOMPARE(servicetesting::subscribeUsers(*m_server->database(), n, 1, kind, target, kStoreId), QString());
    }

    QString status(int n, int kind, std::int64_t target)
    {
        QSqlQuery q(m_server->database()->handle());
        q.prepare(QStringLiteral("SELECT status FROM subscription WHERE user_id = ? AND kind = ? AND target = ? AND store_id = ?"));
        q.addBindValue(servicetesting::lineUserId(n));
        q.addBindValue(kind);
        q.addBindValue(qint64(target));
        q.addBindValue(qint64(kStoreId));
        return q.exec() && q.next() ? q.value(0).toString() : QStringLiteral("(none)");
    }

    // The value of a JavaScript expression in the page (JSON-serialisable values only).
    QJsonValue evaluate(const QString &expression)
    {
        const HeadlessChromium::Reply reply =
            m_browser->call(QStringLiteral("Runtime.evaluate"),
                            {{QStringLiteral("expression"), expression}, {QStringLiteral("returnByValue"), true}});
        if (!reply.ok())
            qWarning().noquote() << "Runtime.evaluate:" << reply.error;
        return reply.result.value(u"result").toObject().value(u"value");
    }

    // The shopper taps the element; false when the page has no such element.
    bool tap(const QString &selector)
    {
        const QString quoted = QString::fromUtf8(QJsonDocument(QJsonArray{selector}).toJson(QJsonDocument::Compact));
        return evaluate(QStringLiteral("(function (e) { if (!e) return false; e.click(); return true; })"
                                       "(document.querySelector(%1[0]))")
                            .arg(quoted))
            .toBool();
    }

    // The page's outcome after a tap: body[data-result] is absent while its request is under way.
    QString resultAfterTap()
    {
        QString result;
        const bool settled = QTest::qWaitFor([&] {
            result = evaluate(QStringLiteral("document.body.getAttribute('data-result') || ''")).toString();
            return !result.isEmpty();
        }, kOutcomeTimeoutMs);
        return settled ? result : QStringLiteral("(no outcome within the timeout)");
    }

    // Rendered text with paragraph gaps folded to one line break.
    static QString lines(const QString &innerText) { return QString(innerText).replace(QRegularExpression(QStringLiteral("\n+")), QStringLiteral("\n")); }
    QString pageText() { return lines(evaluate(QStringLiteral("document.body.innerText")).toString()); }
    bool visible(const QString &id) { return evaluate(QStringLiteral("!document.getElementById('%1').hidden").arg(id)).toBool(); }

    QList<Item> items()
    {
        QList<Item> found;
        const QJsonArray listed = evaluate(QStringLiteral(
            "Array.from(document.querySelectorAll('#subscriptions li'))"
            ".map(function (li) { return { id: li.getAttribute('data-subscription-id'), text: li.innerText }; })")).toArray();
        for (const QJsonValue &item : listed)
            found << Item{item.toObject().value(u"id").toString(), lines(item.toObject().value(u"text").toString())};
        return found;
    }

    QStringList itemIds()
    {
        QStringList ids;
        for (const Item &item : items())
            ids << item.id;
        return ids;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY2(chromiumMissing().isEmpty(), qPrintable(chromiumMissing()));
        QVERIFY(m_dir.isValid());
    }

    void init()
    {
        QCOMPARE(startService(QStringLiteral("-manageE2")), QString());
        QCOMPARE(startBrowser(), QString());
    }

    void cleanup() { checkPageAndStop(); }

    void theListShowsTheShoppersSubscriptionsNamedInBothLanguages()
    {
        subscribe(1, kBrand, kYamabiko);
        subscribe(1, kRestock, kNavyShirtM);
        subscribe(2, kBrand, kNorthPine); // another shopper's
        onThePhone(1);
        const QString shown = showPage(pageUrl(QStringLiteral("/m")));
        QVERIFY2(shown.isEmpty(), qPrintable(shown));

        QCOMPARE(outcome().result, QStringLiteral("listed"));
        QCOMPARE(outcome().title, QStringLiteral("お届け中のお知らせ"));
        QVERIFY2(outcome().text.contains(QStringLiteral("Notifications you get on LINE")), qPrintable(outcome().text));
        const QList<Item> listed = items();
        QCOMPARE(listed.size(), 2);
        QStringList ids{listed.at(0).id, listed.at(1).id};
        ids.sort();
        QCOMPARE(ids, (QStringList{QStringLiteral("1-7-101"), QStringLiteral("2-100102-101")}));
        const Item yamabiko = listed.at(0).id == u"1-7-101" ? listed.at(0) : listed.at(1);
        const Item shirt = listed.at(0).id == u"1-7-101" ? listed.at(1) : listed.at(0);
        // Japanese first, English under it, and the store.
        QVERIFY2(yamabiko.text.startsWith(QStringLiteral("ヤマビコ マウンテンの新着\nNew arrivals from Yamabiko Mountain")),
                 qPrintable(yamabiko.text));
        QVERIFY2(yamabiko.text.contains(QStringLiteral("ソラマド 神宮前店 / Soramado Jingumae")), qPrintable(yamabiko.text));
        QVERIFY2(shirt.text.startsWith(QStringLiteral("クモ テーラーズ オックスフォードシャツ（ネイビー / M）の再入荷\n"
                                                      "Kumo Tailors Oxford Shirt (Navy / M) back in stock")),
                 qPrintable(shirt.text));
        QVERIFY(!outcome().text.contains(QStringLiteral("ノースパイン")));
        QVERIFY(!outcome().text.contains(QStringLiteral("North Pine")));

        // One request for the list, and the ID token it carried is the one LINE verified.
        QCOMPARE(m_probe->requestsTo(QStringLiteral("/v1/me/subscriptions")).size(), 1);
        const auto verifies = m_line->requests(LineEndpoint::Verify);
        QCOMPARE(verifies.size(), 1);
        QCOMPARE(verifies.first().status, 200);
        QVERIFY(m_line->liff().logins().isEmpty());
    }

    void anotherShoppersSubscriptionsAreNeverShown()
    {
        subscribe(2, kBrand, kYamabiko);
        subscribe(2, kRestock, kNavyShirtM);
        onThePhone(1);
        const QString shown = showPage(pageUrl(QStringLiteral("/m")));
        QVERIFY2(shown.isEmpty(), qPrintable(shown));

        QCOMPARE(outcome().result, QStringLiteral("empty"));
        QCOMPARE(outcome().title, QStringLiteral("お届け中のお知らせはありません"));
        QVERIFY2(outcome().text.contains(QStringLiteral("店頭の端末からいつでも登録できます。")), qPrintable(outcome().text));
        QVERIFY(outcome().text.contains(QStringLiteral("You can sign up at the kiosk in the store any time.")));
        QVERIFY(items().isEmpty());
        QVERIFY(!outcome().text.contains(QStringLiteral("ヤマビコ")));
        QVERIFY(!visible(QStringLiteral("all")));
    }

    void stoppingOneRemovesItFromTheListAndTheDatabase()
    {
        subscribe(1, kBrand, kYamabiko);
        subscribe(1, kRestock, kNavyShirtM);
        subscribe(2, kBrand, kYamabiko);
        onThePhone(1);
        const QString shown = showPage(pageUrl(QStringLiteral("/m")));
        QVERIFY2(shown.isEmpty(), qPrintable(shown));
        QCOMPARE(outcome().result, QStringLiteral("listed"));

        QVERIFY(tap(QStringLiteral("li[data-subscription-id='1-7-101'] button")));
        QCOMPARE(resultAfterTap(), QStringLiteral("stopped"));
        QCOMPARE(itemIds(), QStringList{QStringLiteral("2-100102-101")});
        const QString text = pageText();
        QVERIFY2(text.contains(QStringLiteral("「ヤマビコ マウンテンの新着」を停止しました。")), qPrintable(text));
        QVERIFY2(text.contains(QStringLiteral("Stopped: New arrivals from Yamabiko Mountain.")), qPrintable(text));

        const QList<PageProbe::SentRequest> stops = m_probe->requestsTo(QStringLiteral("/v1/me/subscriptions/stop"));
        QCOMPARE(stops.size(), 1);
        QCOMPARE(QJsonDocument::fromJson(stops.first().body).object(),
                 (QJsonObject{{QStringLiteral("subscriptionId"), QStringLiteral("1-7-101")}}));
        QCOMPARE(status(1, kBrand, kYamabiko), QStringLiteral("stopped"));
        QCOMPARE(status(1, kRestock, kNavyShirtM), QStringLiteral("active"));
        QCOMPARE(status(2, kBrand, kYamabiko), QStringLiteral("active"));

        // The last one too: the list is empty and says so.
        QVERIFY(tap(QStringLiteral("li[data-subscription-id='2-100102-101'] button")));
        QCOMPARE(resultAfterTap(), QStringLiteral("stopped"));
        QVERIFY(items().isEmpty());
        QVERIFY(visible(QStringLiteral("empty")));
        QVERIFY(pageText().contains(QStringLiteral("お届け中のお知らせはありません。")));
        QCOMPARE(status(1, kRestock, kNavyShirtM), QStringLiteral("stopped"));
    }

    void stopAllAsksFirstThenStopsEveryOneOfThisShopper()
    {
        subscribe(1, kBrand, kYamabiko);
        subscribe(1, kBrand, kNorthPine);
        subscribe(1, kRestock, kNavyShirtM);
        subscribe(2, kBrand, kYamabiko);
        onThePhone(1);
        const QString shown = showPage(pageUrl(QStringLiteral("/m")));
        QVERIFY2(shown.isEmpty(), qPrintable(shown));
        QCOMPARE(items().size(), 3);

        // The first tap only asks; cancelling leaves everything as it was.
        QVERIFY(tap(QStringLiteral("#stop-all")));
        QVERIFY(visible(QStringLiteral("confirm-all")));
        QVERIFY(pageText().contains(QStringLiteral("すべてのお知らせを停止しますか？\nStop all notifications?")));
        QVERIFY(tap(QStringLiteral("#cancel-stop-all")));
        QVERIFY(!visible(QStringLiteral("confirm-all")));
        QVERIFY(m_probe->requestsTo(QStringLiteral("/v1/me/subscriptions/stop")).isEmpty());
        QCOMPARE(status(1, kBrand, kYamabiko), QStringLiteral("active"));

        QVERIFY(tap(QStringLiteral("#stop-all")));
        QVERIFY(tap(QStringLiteral("#confirm-stop-all")));
        QCOMPARE(resultAfterTap(), QStringLiteral("stopped"));
        QVERIFY(items().isEmpty());
        const QString text = pageText();
        QVERIFY2(text.contains(QStringLiteral("3件のお知らせを停止しました。")), qPrintable(text));
        QVERIFY2(text.contains(QStringLiteral("Notifications stopped: 3.")), qPrintable(text));
        QVERIFY(visible(QStringLiteral("empty")));
        const QList<PageProbe::SentRequest> stops = m_probe->requestsTo(QStringLiteral("/v1/me/subscriptions/stop"));
        QCOMPARE(stops.size(), 1);
        QCOMPARE(QJsonDocument::fromJson(stops.first().body).object(), (QJsonObject{{QStringLiteral("all"), true}}));
        QCOMPARE(status(1, kBrand, kYamabiko), QStringLiteral("stopped"));
        QCOMPARE(status(1, kBrand, kNorthPine), QStringLiteral("stopped"));
        QCOMPARE(status(1, kRestock, kNavyShirtM), QStringLiteral("stopped"));
        QCOMPARE(status(2, kBrand, kYamabiko), QStringLiteral("active"));
    }

    void lineOutOfReachShowsFailed()
    {
        subscribe(1, kBrand, kYamabiko);
        onThePhone(1);
        m_line->injectFault(LineEndpoint::Verify, {1, 503, 0, false, {}});
        const QString shown = showPage(pageUrl(QStringLiteral("/m")));
        QVERIFY2(shown.isEmpty(), qPrintable(shown));
        QCOMPARE(outcome().result, QStringLiteral("failed")); // the service answered 503 "unavailable"
        QCOMPARE(outcome().title, QStringLiteral("ただいま表示できません"));
        QVERIFY(outcome().text.contains(QStringLiteral("We cannot show your notifications right now")));
        QVERIFY(outcome().text.contains(QStringLiteral("Try again")));
        QVERIFY(items().isEmpty());
        QVERIFY(!visible(QStringLiteral("empty"))); // not known to be empty
        QCOMPARE(m_line->requests(LineEndpoint::Verify).size(), 1);
    }

    void aServiceOutOfReachShowsFailed()
    {
        subscribe(1, kBrand, kYamabiko);
        onThePhone(1);
        const QString failing = m_probe->failRequests(QStringLiteral("*/v1/me/subscriptions"));
        QVERIFY2(failing.isEmpty(), qPrintable(failing));
        const QString shown = showPage(pageUrl(QStringLiteral("/m")));
        QVERIFY2(shown.isEmpty(), qPrintable(shown));
        QCOMPARE(outcome().result, QStringLiteral("failed"));
        QCOMPARE(outcome().title, QStringLiteral("ただいま表示できません"));
        QVERIFY(m_line->requests(LineEndpoint::Verify).isEmpty());
    }

    void aStopThatFailsKeepsTheListAndSaysSo()
    {
        subscribe(1, kBrand, kYamabiko);
        subscribe(1, kBrand, kNorthPine);
        onThePhone(1);
        const QString shown = showPage(pageUrl(QStringLiteral("/m")));
        QVERIFY2(shown.isEmpty(), qPrintable(shown));
        QCOMPARE(outcome().result, QStringLiteral("listed"));

        m_line->injectFault(LineEndpoint::Verify, {1, 503, 0, false, {}});
        QVERIFY(tap(QStringLiteral("li[data-subscription-id='1-7-101'] button")));
        QCOMPARE(resultAfterTap(), QStringLiteral("failed"));
        const QString text = pageText();
        QVERIFY2(text.contains(QStringLiteral("ただいま停止できません")), qPrintable(text));
        QVERIFY(text.contains(QStringLiteral("We cannot stop it right now")));
        QCOMPARE(items().size(), 2);
        QCOMPARE(status(1, kBrand, kYamabiko), QStringLiteral("active"));

        // LINE is back: the same button works.
        QVERIFY(tap(QStringLiteral("li[data-subscription-id='1-7-101'] button")));
        QCOMPARE(resultAfterTap(), QStringLiteral("stopped"));
        QCOMPARE(itemIds(), QStringList{QStringLiteral("1-3-101")});
        QCOMPARE(status(1, kBrand, kYamabiko), QStringLiteral("stopped"));
    }

    void aShopperNotLoggedInGoesThroughLineLoginAndBack()
    {
        subscribe(1, kBrand, kYamabiko);
        onThePhone(1, false);
        const QUrl url = pageUrl(QStringLiteral("/m"));
        const QString shown = showPage(url);
        QVERIFY2(shown.isEmpty(), qPrintable(shown));
        const QList<lineemu::LiffLogin> logins = m_line->liff().logins();
        QCOMPARE(logins.size(), 1);
        QCOMPARE(logins.first().redirectUri, url.toString());
        QCOMPARE(outcome().url, url);
        QCOMPARE(outcome().result, QStringLiteral("listed"));
        QCOMPARE(m_probe->requestsTo(QStringLiteral("/v1/me/subscriptions")).size(), 1); // none before the login
    }

    // The LIFF URL https://liff.line.me/{liffId}/m: LINE opens the endpoint with liff.state=/m.
    void theLiffUrlLeadsFromTheBareEndpointToThePage()
    {
        subscribe(1, kBrand, kYamabiko);
        onThePhone(1);
        QUrl url = pageUrl(QStringLiteral("/"));
        url.setQuery(QStringLiteral("liff.state=%2Fm"));
        const QString shown = showPage(url);
        QVERIFY2(shown.isEmpty(), qPrintable(shown));
        QCOMPARE(outcome().url, pageUrl(QStringLiteral("/m")));
        QCOMPARE(outcome().result, QStringLiteral("listed"));
        QCOMPARE(itemIds(), QStringList{QStringLiteral("1-7-101")});
        QVERIFY(m_probe->requestsTo(QStringLiteral("/v1/claims")).isEmpty());
    }
};

QTEST_GUILESS_MAIN(ManagePageTest)
#include "managepagetest.moc"
