// The shopper's LIFF claim page in real headless Chromium. The delivery service (in-process,
// fresh SQLite file) serves the page and the claim API; the LINE platform emulator plays LINE:
// the LIFF SDK double at /liff/sdk.js, ID token verify and the confirmation push. One fresh
// browser per case; every case also checks that the page kept to its CSP and threw nothing.
#include "deliveryserver.h"
#include "emulatedservice.h"
#include "deviceregistry.h"
#include "headlesschromium.h"
#include "liffpagefixture.h"
#include "lineemulator.h"
#include "pageprobe.h"
#include "registrationtoken.h"
#include "servicedatabase.h"
#include "servicetesting.h"

#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
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

const QByteArray kKeySecret(32, 'k');
constexpr std::uint32_t kKeyId = 0x1234abcd;
constexpr std::int64_t kStoreId = servicetesting::kDemoStoreId;
constexpr int kBrand = 7; // in the demo catalog
const QString kBrandJa = QStringLiteral("ヤマビコ マウンテン");
const QString kBrandEn = QStringLiteral("Yamabiko Mountain");

} // namespace

class ClaimPageTest : public QObject, private LiffPageFixture
{
    Q_OBJECT

    QNetworkAccessManager m_network;
    std::uint32_t m_sequence = 0;

    QString token(int brandId, const QDateTime &issued = QDateTime::currentDateTimeUtc(),
                  RegistrationKind kind = RegistrationKind::BrandInterest)
    {
        TokenClaims c;
        c.keyId = kKeyId;
        c.epoch = 1;
        c.sequence = ++m_sequence;
        c.kind = kind;
        c.target = std::uint32_t(brandId);
        c.issuedAt = QDateTime::fromSecsSinceEpoch(issued.toSecsSinceEpoch(), Qt::UTC);
        c.ttlHours = 24;
        return RegistrationToken::issue(c, kKeySecret);
    }

    // The LINE user on the phone under test, logged in to the LIFF app or not yet.
    QString shopper(bool loggedIn = true)
    {
        const QString userId = m_line->addUser({}).userId;
        const QString error = m_line->liff().setSession({m_liffId, userId, loggedIn});
        if (!error.isEmpty())
            qFatal("LIFF session: %s", qPrintable(error));
        return userId;
    }

    // A claim that reached the service before this page: an earlier scan, or another phone.
    int claimOutsideTheBrowser(const QString &registrationToken, const QString &userId)
    {
        lineemu::IdTokenClaims claims;
        claims.userId = userId;
        const QByteArray body = QJsonDocument(QJsonObject{{QStringLiteral("token"), registrationToken},
                                                          {QStringLiteral("idToken"), m_line->issueIdToken(claims)}})
                                    .toJson(QJsonDocument::Compact);
        return servicetesting::httpRequest(m_network, "POST", pageUrl(QStringLiteral("/v1/claims")), body).status;
    }

    qint64 count(const QString &sql)
    {
        QSqlQuery q(m_server->database()->handle());
        return q.exec(sql) && q.next() ? q.value(0).toLongLong() : -1;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY2(chromiumMissing().isEmpty(), qPrintable(chromiumMissing()));
        QVERIFY(m_dir.isValid());
    }

    void init()
    {
        QCOMPARE(startService(QStringLiteral("-claimE2E")), QString());
        DeviceRegistry registry(*m_server->database());
        QCOMPARE(registry.addDevice(QStringLiteral("kiosk-1"), kStoreId, QStringLiteral("entrance"), QByteArray(32, 'r')),
                 QString());
        QCOMPARE(registry.addKey(kKeyId, QStringLiteral("kiosk-1"), kKeySecret, QStringLiteral("local")), QString());
        QCOMPARE(startBrowser(), QString());
    }

    void cleanup() { checkPageAndStop(); }

    void subscribedShowsTheBrandInBothLanguagesAndConfirmsOnLine()
    {
        const QString user = shopper();
        const QString t = token(kBrand);
        const QString shown = showPage(pageUrl(QStringLiteral("/r/") + t));
        QVERIFY2(shown.isEmpty(), qPrintable(shown));

        QCOMPARE(outcome().result, QStringLiteral("subscribed"));
        QCOMPARE(outcome().title, QStringLiteral("登録が完了しました"));
        QVERIFY2(outcome().text.contains(kBrandJa + QStringLiteral("の新着をLINEでお届けします。")), qPrintable(outcome().text));
        QVERIFY2(outcome().text.contains(QStringLiteral("You will get new arrivals from ") + kBrandEn + QStringLiteral(" on LINE.")),
                 qPrintable(outcome().text));

        // The page sent the registration token and the ID token, and nothing else of the shopper's.
        const QList<PageProbe::SentRequest> claims = m_probe->requestsTo(QStringLiteral("/v1/claims"));
        QCOMPARE(claims.size(), 1);
        QCOMPARE(claims.first().method, QStringLiteral("POST"));
        const QJsonObject sent = QJsonDocument::fromJson(claims.first().body).object();
        QCOMPARE(sent.keys(), (QStringList{QStringLiteral("idToken"), QStringLiteral("token")}));
        QCOMPARE(sent.value(u"token").toString(), t);
        // ... and that ID token is the one the service had LINE verify.
        const auto verifies = m_line->requests(LineEndpoint::Verify);
        QCOMPARE(verifies.size(), 1);
        QCOMPARE(verifies.first().status, 200);
        QCOMPARE(verifies.first().body.toObject().value(u"id_token").toString(), sent.value(u"idToken").toString());

        QTRY_COMPARE(m_line->deliveryCount(user), 1);
        const QString confirmation =
            m_line->deliveries(user).first().messages.first().toObject().value(u"text").toString();
        QVERIFY2(confirmation.contains(kBrandJa), qPrintable(confirmation));
        QVERIFY(m_line->liff().logins().isEmpty());
    }

    void aRestockRequestSaysItWillTellWhenTheSizeIsBack()
    {
        shopper();
        // Kumo Tailors Oxford Shirt, Navy / M in the demo catalog (resources/catalog/README.md).
        const QString t = token(100102, QDateTime::currentDateTimeUtc(), RegistrationKind::Restock);
        const QString shown = showPage(pageUrl(QStringLiteral("/r/") + t));
        QVERIFY2(shown.isEmpty(), qPrintable(shown));
        QCOMPARE(outcome().result, QStringLiteral("subscribed"));
        QVERIFY2(outcome().text.contains(QStringLiteral("オックスフォードシャツ（ネイビー / M）が入荷したらLINEでお知らせします。")),
                 qPrintable(outcome().text));
        QVERIFY2(outcome().text.contains(QStringLiteral("when Kumo Tailors Oxford Shirt (Navy / M) is back in the store")),
                 qPrintable(outcome().text));
        QVERIFY(!outcome().text.contains(QStringLiteral("新着")));
    }

    void aSecondScanBySameShopperSaysAlreadySubscribed()
    {
        const QString user = shopper();
        const QString t = token(kBrand);
        QCOMPARE(claimOutsideTheBrowser(t, user), 200);
        const QString shown = showPage(pageUrl(QStringLiteral("/r/") + t));
        QVERIFY2(shown.isEmpty(), qPrintable(shown));

        QCOMPARE(outcome().result, QStringLiteral("already_subscribed"));
        QCOMPARE(outcome().title, QStringLiteral("登録済みです"));
        QVERIFY(outcome().text.contains(kBrandJa + QStringLiteral("の新着はすでにLINEでお届けしています。")));
        QVERIFY(outcome().text.contains(QStringLiteral("You are already subscribed to ") + kBrandEn));
        QCOMPARE(count(QStringLiteral("SELECT count(*) FROM push_outbox")), 1); // confirmed once, by the first claim
    }

    void anExpiredCodeSaysSoWithoutAskingLine()
    {
        shopper();
        const QString shown = showPage(pageUrl(QStringLiteral("/r/") + token(kBrand, QDateTime::currentDateTimeUtc().addDays(-2))));
        QVERIFY2(shown.isEmpty(), qPrintable(shown));
        QCOMPARE(outcome().result, QStringLiteral("expired"));
        QCOMPARE(outcome().title, QStringLiteral("このコードは期限切れです"));
        QVERIFY(outcome().text.contains(QStringLiteral("This code has expired.")));
        QVERIFY(m_line->requests(LineEndpoint::Verify).isEmpty());
        QCOMPARE(count(QStringLiteral("SELECT count(*) FROM subscription")), 0);
    }

    void aTamperedCodeIsNotValid()
    {
        shopper();
        QString t = token(kBrand);
        t[5] = t[5] == u'A' ? u'B' : u'A';
        const QString shown = showPage(pageUrl(QStringLiteral("/r/") + t));
        QVERIFY2(shown.isEmpty(), qPrintable(shown));
        QCOMPARE(outcome().result, QStringLiteral("invalid"));
        QCOMPARE(outcome().title, QStringLiteral("このコードは使えません"));
        QVERIFY(outcome().text.contains(QStringLiteral("This code is not valid.")));
        QCOMPARE(count(QStringLiteral("SELECT count(*) FROM subscription")), 0);
    }

    void aCodeClaimedByAnotherShopperIsRefused()
    {
        const QString first = m_line->addUser({}).userId;
        const QString t = token(kBrand);
        QCOMPARE(claimOutsideTheBrowser(t, first), 200);
        const QString second = shopper();
        const QString shown = showPage(pageUrl(QStringLiteral("/r/") + t));
        QVERIFY2(shown.isEmpty(), qPrintable(shown));

        QCOMPARE(outcome().result, QStringLiteral("claimed_by_another"));
        QCOMPARE(outcome().title, QStringLiteral("このコードは使用済みです"));
        QVERIFY(outcome().text.contains(QStringLiteral("This code was already used.")));
        QCOMPARE(count(QStringLiteral("SELECT count(*) FROM subscription")), 1);
        QCOMPARE(count(QStringLiteral("SELECT count(*) FROM push_outbox")), 1);
        QCOMPARE(m_line->deliveryCount(second), 0);
    }

    void aShopperNotLoggedInGoesThroughLineLoginAndBack()
    {
        const QString user = shopper(false);
        const QString t = token(kBrand);
        const QUrl url = pageUrl(QStringLiteral("/r/") + t);
        const QString shown = showPage(url);
        QVERIFY2(shown.isEmpty(), qPrintable(shown));

        const QList<lineemu::LiffLogin> logins = m_line->liff().logins();
        QCOMPARE(logins.size(), 1);
        QCOMPARE(logins.first().redirectUri, url.toString()); // back to this very code
        QCOMPARE(logins.first().outcome, QStringLiteral("logged-in"));
        QCOMPARE(outcome().url, url);
        QCOMPARE(outcome().result, QStringLiteral("subscribed"));
        QCOMPARE(m_probe->requestsTo(QStringLiteral("/v1/claims")).size(), 1); // none before the login
        QTRY_COMPARE(m_line->deliveryCount(user), 1);
    }

    void lineOpensTheBareEndpointWithLiffStateFirst()
    {
        shopper();
        const QString t = token(kBrand);
        QUrlQuery query;
        query.addQueryItem(QStringLiteral("liff.state"), QString::fromLatin1(QUrl::toPercentEncoding(QStringLiteral("/r/") + t)));
        QUrl url = pageUrl(QStringLiteral("/"));
        url.setQuery(query);
        const QString shown = showPage(url);
        QVERIFY2(shown.isEmpty(), qPrintable(shown));

        QCOMPARE(outcome().url, pageUrl(QStringLiteral("/r/") + t)); // liff.init() went on to the code's own URL
        QCOMPARE(outcome().result, QStringLiteral("subscribed"));
        const QList<PageProbe::SentRequest> claims = m_probe->requestsTo(QStringLiteral("/v1/claims"));
        QCOMPARE(claims.size(), 1); // the bare page claimed nothing
        QCOMPARE(QJsonDocument::fromJson(claims.first().body).object().value(u"token").toString(), t);
    }

    void aServiceOutOfReachShowsFailed()
    {
        shopper();
        const QString failing = m_probe->failRequests(QStringLiteral("*/v1/claims"));
        QVERIFY2(failing.isEmpty(), qPrintable(failing));
        const QString shown = showPage(pageUrl(QStringLiteral("/r/") + token(kBrand)));
        QVERIFY2(shown.isEmpty(), qPrintable(shown));
        QCOMPARE(outcome().result, QStringLiteral("failed"));
        QCOMPARE(outcome().title, QStringLiteral("ただいま登録できません"));
        QVERIFY(outcome().text.contains(QStringLiteral("We cannot register you right now.")));
        QCOMPARE(count(QStringLiteral("SELECT count(*) FROM subscription")), 0);
    }

    void aClaimLineCannotVerifyShowsFailed()
    {
        shopper();
        m_line->injectFault(LineEndpoint::Verify, {1, 503, 0, false, {}});
        const QString shown = showPage(pageUrl(QStringLiteral("/r/") + token(kBrand)));
        QVERIFY2(shown.isEmpty(), qPrintable(shown));
        QCOMPARE(outcome().result, QStringLiteral("failed")); // the service answered 503 "unavailable"
        QCOMPARE(outcome().title, QStringLiteral("ただいま登録できません"));
        QCOMPARE(m_line->requests(LineEndpoint::Verify).size(), 1);
        QCOMPARE(count(QStringLiteral("SELECT count(*) FROM subscription")), 0);
    }

    void anUnknownLiffAppFailsWithoutClaiming()
    {
        m_line->liff().reset(); // the LIFF app was deleted in the console
        const QString shown = showPage(pageUrl(QStringLiteral("/r/") + token(kBrand)));
        QVERIFY2(shown.isEmpty(), qPrintable(shown));
        QCOMPARE(outcome().result, QStringLiteral("failed"));
        QVERIFY(m_probe->requestsTo(QStringLiteral("/v1/claims")).isEmpty());
    }

    // A POP sticker's static link: the page sends the POP id, and the shopper reads the POP's brand.
    void aStickerLinkSubscribesToThePopsBrand()
    {
        const QString user = shopper();
        const QString shown = showPage(pageUrl(QStringLiteral("/p/7001"))); // demo catalog: 入口テーブル, Hanabi Denim
        QVERIFY2(shown.isEmpty(), qPrintable(shown));

        QCOMPARE(outcome().result, QStringLiteral("subscribed"));
        QCOMPARE(outcome().title, QStringLiteral("登録が完了しました"));
        QVERIFY2(outcome().text.contains(QStringLiteral("ハナビ デニムの新着をLINEでお届けします。")), qPrintable(outcome().text));
        QVERIFY2(outcome().text.contains(QStringLiteral("You will get new arrivals from Hanabi Denim on LINE.")),
                 qPrintable(outcome().text));
        const QList<PageProbe::SentRequest> claims = m_probe->requestsTo(QStringLiteral("/v1/claims"));
        QCOMPARE(claims.size(), 1);
        const QJsonObject sent = QJsonDocument::fromJson(claims.first().body).object();
        QCOMPARE(sent.keys(), (QStringList{QStringLiteral("idToken"), QStringLiteral("pop")}));
        QCOMPARE(sent.value(u"pop").toString(), QStringLiteral("7001"));
        QCOMPARE(count(QStringLiteral("SELECT count(*) FROM subscription WHERE kind = 1 AND target = 9 AND store_id = 101"
                                      " AND status = 'active'")),
                 1);
        QTRY_COMPARE(m_line->deliveryCount(user), 1);
    }

    void aSecondTapOfTheStickerSaysAlreadySubscribed()
    {
        const QString user = shopper();
        lineemu::IdTokenClaims claims;
        claims.userId = user;
        const QByteArray first = QJsonDocument(QJsonObject{{QStringLiteral("pop"), QStringLiteral("7001")},
                                                           {QStringLiteral("idToken"), m_line->issueIdToken(claims)}})
                                     .toJson(QJsonDocument::Compact);
        QCOMPARE(servicetesting::httpRequest(m_network, "POST", pageUrl(QStringLiteral("/v1/claims")), first).status, 200);
        const QString shown = showPage(pageUrl(QStringLiteral("/p/7001")));
        QVERIFY2(shown.isEmpty(), qPrintable(shown));
        QCOMPARE(outcome().result, QStringLiteral("already_subscribed"));
        QCOMPARE(outcome().title, QStringLiteral("登録済みです"));
        QVERIFY(outcome().text.contains(QStringLiteral("ハナビ デニムの新着はすでにLINEでお届けしています。")));
        QVERIFY(outcome().text.contains(QStringLiteral("You are already subscribed to Hanabi Denim")));
        QCOMPARE(count(QStringLiteral("SELECT count(*) FROM push_outbox")), 1); // confirmed once, by the first tap
    }

    void lineOpensAStickerLinkThroughLiffStateToo()
    {
        shopper();
        QUrlQuery query;
        query.addQueryItem(QStringLiteral("liff.state"), QString::fromLatin1(QUrl::toPercentEncoding(QStringLiteral("/p/7003"))));
        QUrl url = pageUrl(QStringLiteral("/"));
        url.setQuery(query);
        const QString shown = showPage(url);
        QVERIFY2(shown.isEmpty(), qPrintable(shown));
        QCOMPARE(outcome().url, pageUrl(QStringLiteral("/p/7003")));
        QCOMPARE(outcome().result, QStringLiteral("subscribed"));
        QVERIFY(outcome().text.contains(kBrandJa)); // 7003 ショーウィンドウ is a Yamabiko Mountain sticker
    }

    // A sticker taken out of the catalog, or a link no kiosk wrote: "ask staff", not "try the kiosk".
    void aStickerNotInUseSaysSoAndStoresNothing_data()
    {
        QTest::addColumn<QString>("path");
        QTest::addColumn<bool>("asksTheService");
        QTest::newRow("in no catalog") << QStringLiteral("/p/9999") << true;
        QTest::newRow("beyond any catalog id") << QStringLiteral("/p/4294967296") << true;
        QTest::newRow("not a number") << QStringLiteral("/p/abc") << false;
        QTest::newRow("huge") << QStringLiteral("/p/123456789012345678901234567890") << false;
    }
    void aStickerNotInUseSaysSoAndStoresNothing()
    {
        QFETCH(QString, path);
        QFETCH(bool, asksTheService);
        shopper();
        const QString shown = showPage(pageUrl(path));
        QVERIFY2(shown.isEmpty(), qPrintable(shown));
        QCOMPARE(outcome().result, QStringLiteral("invalid"));
        QCOMPARE(outcome().title, QStringLiteral("このPOPは現在ご利用いただけません"));
        QVERIFY2(outcome().text.contains(QStringLiteral("This sticker is no longer in use. Please ask a member of staff.")),
                 qPrintable(outcome().text));
        QCOMPARE(m_probe->requestsTo(QStringLiteral("/v1/claims")).size(), asksTheService ? 1 : 0);
        QVERIFY(m_line->requests(LineEndpoint::Verify).isEmpty());
        QCOMPARE(count(QStringLiteral("SELECT count(*) FROM registration_claim")), 0);
        QCOMPARE(count(QStringLiteral("SELECT count(*) FROM subscription")), 0);
    }

    // The CSP check in cleanup() is only worth something if the probe sees a refusal.
    void theProbeSeesACspRefusal()
    {
        shopper();
        const QString shown = showPage(pageUrl(QStringLiteral("/r/") + token(kBrand)));
        QVERIFY2(shown.isEmpty(), qPrintable(shown));
        QCOMPARE(outcome().result, QStringLiteral("subscribed"));
        QVERIFY2(m_probe->cspViolations().isEmpty(), qPrintable(m_probe->report()));
        const HeadlessChromium::Reply evaluated = m_browser->call(
            QStringLiteral("Runtime.evaluate"),
            {{QStringLiteral("expression"), QStringLiteral("fetch('https://tracker.invalid/').then(() => 'sent', () => 'refused')")},
             {QStringLiteral("awaitPromise"), true}});
        QVERIFY2(evaluated.ok(), qPrintable(evaluated.error));
        QCOMPARE(evaluated.result.value(u"result").toObject().value(u"value").toString(), QStringLiteral("refused"));
        QTRY_VERIFY2(!m_probe->cspViolations().isEmpty(), qPrintable(m_probe->report()));
        QVERIFY(m_probe->cspViolations().first().contains(QStringLiteral("connect-src")));
        m_probe->forgetCspViolations(); // seen and expected: not a failure of this page
    }
};

QTEST_GUILESS_MAIN(ClaimPageTest)
#include "claimpagetest.moc"
