// A shopper's claim end to end: the delivery service in-process over real HTTP, LINE
// played by the emulator (ID token verify, push with X-Line-Retry-Key). Runs on SQLite,
// and on PostgreSQL when POPTAP_TEST_DATABASE names one.
#include "chains.h"
#include "deviceregistry.h"
#include "emulatedservice.h"
#include "registrationtoken.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>
#include <QUuid>

using namespace poptap;
using namespace poptap::delivery;
using lineemu::LineEndpoint;

namespace {
const QByteArray kKeySecret = QByteArray(32, 'k');
constexpr std::uint32_t kKeyId = 0x1234abcd;
constexpr std::int64_t kStoreId = servicetesting::kDemoStoreId;

using Reply = servicetesting::HttpReply;
} // namespace

class ClaimFlowTest : public QObject, private servicetesting::EmulatedService
{
    Q_OBJECT

    std::uint32_t m_sequence = 0;

    QString token(int brandId, QDateTime issued = QDateTime::currentDateTimeUtc(), std::uint32_t keyId = kKeyId,
                  const QByteArray &secret = kKeySecret, RegistrationKind kind = RegistrationKind::BrandInterest)
    {
        TokenClaims c;
        c.keyId = keyId;
        c.epoch = 1;
        c.sequence = ++m_sequence;
        c.kind = kind;
        c.target = std::uint32_t(brandId);
        c.issuedAt = QDateTime::fromSecsSinceEpoch(issued.toSecsSinceEpoch(), Qt::UTC);
        c.ttlHours = 24;
        return RegistrationToken::issue(c, secret);
    }

    // A restock request for a variant of the demo catalog.
    QString restockToken(std::uint32_t variantId)
    {
        return token(int(variantId), QDateTime::currentDateTimeUtc(), kKeyId, kKeySecret, RegistrationKind::Restock);
    }

    Reply claim(const QString &registrationToken, const QString &idToken)
    {
        const QByteArray body = QJsonDocument(QJsonObject{{QStringLiteral("token"), registrationToken},
                                                          {QStringLiteral("idToken"), idToken}})
                                    .toJson(QJsonDocument::Compact);
        return servicetesting::httpRequest(m_network, "POST", url(QStringLiteral("/v1/claims")), body);
    }

    QStringList replyTexts() const
    {
        QStringList texts;
        const auto replies = m_line->requests(LineEndpoint::Reply);
        for (const auto &r : replies)
            if (r.status == 200)
                texts << r.body.toObject().value(QLatin1String("messages")).toArray().first().toObject()
                             .value(QLatin1String("text")).toString();
        return texts;
    }

private Q_SLOTS:
    void init()
    {
        QCOMPARE(startLine(), QString());
        QCOMPARE(startServer(), QString());
        QCOMPARE(servicetesting::addDemoStore(*m_server->database()), QString());
        DeviceRegistry registry(*m_server->database());
        QCOMPARE(registry.addDevice(QStringLiteral("kiosk-1"), kStoreId, QStringLiteral("entrance"), QByteArray(32, 'r')),
                 QString());
        QCOMPARE(registry.addKey(kKeyId, QStringLiteral("kiosk-1"), kKeySecret, QStringLiteral("local")), QString());
    }
    void cleanup() { stopAll(); }

    void claimBeforeSyncAndBeforeFollowSubscribesAndConfirmsOnce()
    {
        const QString user = m_line->addUser({}).userId;
        const Reply r = claim(token(7), idTokenFor(user));
        QCOMPARE(r.status, 200);
        QCOMPARE(r.json.value(QLatin1String("result")).toString(), QStringLiteral("subscribed"));
        QCOMPARE(r.json.value(QLatin1String("target")).toObject().value(QLatin1String("nameJa")).toString(),
                 QStringLiteral("ヤマビコ マウンテン"));
        QCOMPARE(count(QStringLiteral("SELECT count(*) FROM subscription WHERE status = 'active'")), 1);
        QCOMPARE(count(QStringLiteral("SELECT count(*) FROM line_user")), 1); // created by the claim
        QTRY_COMPARE(m_line->deliveryCount(user), 1);
        const auto pushes = m_line->requests(LineEndpoint::Push);
        QCOMPARE(pushes.size(), 1);
        QCOMPARE(pushes.first().status, 200); // the emulator validated the body against messaging-api.yml
        QVERIFY(!QUuid::fromString(pushes.first().retryKey).isNull());
        QVERIFY(m_line->deliveries(user).first().messages.first().toObject().value(QLatin1String("text")).toString()
                    .contains(QStringLiteral("ヤマビコ マウンテン")));
        // The service sent only the ID token to LINE's verify endpoint, for our channel.
        QCOMPARE(m_line->requests(LineEndpoint::Verify).size(), 1);
    }

    // The confirmation of a restock request names brand, product, colour and size from the
    // store's catalog; a variant the catalog does not have gets the general text.
    void aRestockConfirmationNamesTheVariant()
    {
        const QString user = m_line->addUser({}).userId;
        const Reply r = claim(restockToken(100102), idTokenFor(user)); // Kumo Tailors Oxford Shirt, Navy / M
        QCOMPARE(r.status, 200);
        QCOMPARE(r.json.value(QLatin1String("result")).toString(), QStringLiteral("subscribed"));
        const QJsonObject target = r.json.value(QLatin1String("target")).toObject();
        QCOMPARE(target.value(QLatin1String("id")).toInteger(), 100102);
        QCOMPARE(target.value(QLatin1String("kind")).toString(), QStringLiteral("restock")); // the LIFF page words it so
        QCOMPARE(target.value(QLatin1String("nameJa")).toString(), QStringLiteral("クモ テーラーズ オックスフォードシャツ（ネイビー / M）"));
        QCOMPARE(target.value(QLatin1String("nameEn")).toString(), QStringLiteral("Kumo Tailors Oxford Shirt (Navy / M)"));
        QTRY_COMPARE(m_line->deliveryCount(user), 1);
        QCOMPARE(confirmationTo(user),
                 QStringLiteral("クモ テーラーズ オックスフォードシャツ（ネイビー / M）の再入荷をLINEでお知らせします。\n"
                                "We will tell you on LINE when Kumo Tailors Oxford Shirt (Navy / M) is back in the store."));
        // Its stop button says what stops: the restock message, not "new arrivals".
        QCOMPARE(sendPostback(user, stopButtonData(user)).status, 200);
        QTRY_COMPARE(replyTexts().size(), 1);
        QVERIFY2(replyTexts().first().startsWith(QStringLiteral("クモ テーラーズ オックスフォードシャツ（ネイビー / M）の再入荷のお知らせを停止しました。")),
                 qPrintable(replyTexts().first()));

        const QString other = m_line->addUser({}).userId;
        const Reply unknown = claim(restockToken(999901), idTokenFor(other));
        QCOMPARE(unknown.status, 200);
        QVERIFY(!unknown.json.contains(QLatin1String("target")));
        QTRY_COMPARE(m_line->deliveryCount(other), 1);
        QCOMPARE(confirmationTo(other), QStringLiteral("再入荷のお知らせを登録しました。入荷したらLINEでお知らせします。\n"
                                                       "We will tell you on LINE when it is back in the store."));
    }

    void aRepeatBySameUserIsIdempotentAndAnotherUserIsRefused()
    {
        const QString first = m_line->addUser({}).userId;
        const QString second = m_line->addUser({}).userId;
        const QString t = token(3);
        QCOMPARE(claim(t, idTokenFor(first)).status, 200);
        const Reply again = claim(t, idTokenFor(first));
        QCOMPARE(again.status, 200);
        QCOMPARE(again.json.value(QLatin1String("result")).toString(), QStringLiteral("already_subscribed"));
        const Reply other = claim(t, idTokenFor(second));
        QCOMPARE(other.status, 409);
        QCOMPARE(other.json.value(QLatin1String("result")).toString(), QStringLiteral("claimed_by_another"));
        QTRY_COMPARE(m_line->deliveryCount(first), 1);
        QTest::qWait(300);
        QCOMPARE(m_line->deliveryCount(first), 1);
        QCOMPARE(m_line->deliveryCount(second), 0);
        QCOMPARE(count(QStringLiteral("SELECT count(*) FROM subscription")), 1);
    }

    void badTokensAreRefusedWithoutAskingLine_data()
    {
        QTest::addColumn<int>("status");
        QTest::addColumn<QString>("result");
        QTest::addColumn<int>("kind"); // 0 expired, 1 tampered, 2 unknown key, 3 garbage
        QTest::newRow("expired") << 410 << "expired" << 0;
        QTest::newRow("tampered") << 400 << "invalid" << 1;
        QTest::newRow("unknown key") << 400 << "invalid" << 2;
        QTest::newRow("garbage") << 400 << "invalid" << 3;
    }
    void badTokensAreRefusedWithoutAskingLine()
    {
        QFETCH(int, status);
        QFETCH(QString, result);
        QFETCH(int, kind);
        QString t;
        switch (kind) {
        case 0: t = token(7, QDateTime::currentDateTimeUtc().addDays(-2)); break;
        case 1: t = token(7); t[5] = t[5] == u'A' ? u'B' : u'A'; break;
        case 2: t = token(7, QDateTime::currentDateTimeUtc(), 0x0badf00d, QByteArray(32, 'z')); break;
        default: t = QStringLiteral("../../etc/passwd"); break;
        }
        const Reply r = claim(t, idTokenFor(m_line->addUser({}).userId));
        QCOMPARE(r.status, status);
        QCOMPARE(r.json.value(QLatin1String("result")).toString(), result);
        QVERIFY(m_line->requests(LineEndpoint::Verify).isEmpty());
        QCOMPARE(count(QStringLiteral("SELECT count(*) FROM registration_claim")), 0);
    }

    void revokedDevicesTokensAreRefusedFromTheRevocationOn()
    {
        const QString user = m_line->addUser({}).userId;
        const QString before = token(1, QDateTime::currentDateTimeUtc().addSecs(-60));
        DeviceRegistry(*m_server->database()).revokeDevice(QStringLiteral("kiosk-1"), QDateTime::currentDateTimeUtc().addSecs(-30));
        const QString after = token(2);
        QCOMPARE(claim(after, idTokenFor(user)).status, 400);
        QCOMPARE(claim(before, idTokenFor(user)).status, 200); // shown before the theft: still honoured
    }

    void idTokensLineRejectsAreRefused()
    {
        const QString user = m_line->addUser({}).userId;
        const QStringList idTokens = idTokensLineRejects(user) << QStringLiteral("not.a.jwt") << QString();
        for (const QString &idToken : idTokens) {
            const Reply r = claim(token(4), idToken);
            QCOMPARE(r.status, 401);
            QCOMPARE(r.json.value(QLatin1String("result")).toString(), QStringLiteral("id_token_rejected"));
        }
        QCOMPARE(count(QStringLiteral("SELECT count(*) FROM registration_claim")), 0);
    }

    void lineDownMeansTryAgainNotLost()
    {
        const QString user = m_line->addUser({}).userId;
        m_line->injectFault(LineEndpoint::Verify, {1, 503, 0, false, {}});
        const QString t = token(5);
        const Reply down = claim(t, idTokenFor(user));
        QCOMPARE(down.status, 503);
        QCOMPARE(down.json.value(QLatin1String("result")).toString(), QStringLiteral("unavailable"));
        QCOMPARE(count(QStringLiteral("SELECT count(*) FROM registration_claim")), 0);
        QCOMPARE(claim(t, idTokenFor(user)).status, 200); // the page's retry succeeds
    }

    void pushFailuresAreRetriedWithTheSameKeyAndDeliveredOnce()
    {
        const QString user = m_line->addUser({}).userId;
        // LINE accepts the push but the answer is lost, then a 500: the sender retries with
        // the same key, gets 409 (already accepted) and counts it delivered; nothing doubles.
        m_line->injectFault(LineEndpoint::Push, {1, 500, 0, true, {}});
        m_line->injectFault(LineEndpoint::Push, {1, 500, 0, false, {}});
        QCOMPARE(claim(token(6), idTokenFor(user)).status, 200);
        QTRY_COMPARE_WITH_TIMEOUT(count(QStringLiteral("SELECT count(*) FROM push_outbox WHERE state = 'sent'")), 1, 20000);
        QCOMPARE(m_line->deliveryCount(user), 1);
        const auto pushes = m_line->requests(LineEndpoint::Push);
        QVERIFY(pushes.size() >= 3);
        for (const auto &p : pushes)
            QCOMPARE(p.retryKey, pushes.first().retryKey);
        QCOMPARE(pushes.last().status, 409);
    }

    // 25 shoppers claim at once with LINE's push limit set to 10 a second (the service told the
    // same): every confirmation goes, none is refused for its rate, and the store's chain is
    // billed for each, once.
    void confirmationsKeepToThePushLimitAndAreBilledToTheChain()
    {
        constexpr int kShoppers = 25;
        m_server.reset();
        ServiceConfig config = serviceConfig();
        config.pushPerSecond = 10;
        QCOMPARE(startServer(config), QString());
        m_line->setRateLimit(LineEndpoint::Push, 10);
        Chains chains(*m_server->database());
        QCOMPARE(chains.add(1, QStringLiteral("soramado"), QStringLiteral("ソラマド"), QStringLiteral("Soramado")), QString());
        QCOMPARE(chains.assignStore(kStoreId, 1), QString());

        QStringList users;
        for (int n = 0; n < kShoppers; ++n) {
            users << m_line->addUser({}).userId;
            QCOMPARE(claim(token(7), idTokenFor(users.last())).status, 200);
        }
        QTRY_COMPARE_WITH_TIMEOUT(count(QStringLiteral("SELECT count(*) FROM push_outbox WHERE state = 'sent'")), kShoppers, 20000);
        for (const QString &user : std::as_const(users))
            QCOMPARE(m_line->deliveryCount(user), 1);
        const auto pushes = m_line->requests(LineEndpoint::Push);
        QCOMPARE(pushes.size(), kShoppers);
        for (const auto &p : pushes)
            QCOMPARE(p.outcome, QStringLiteral("accepted"));
        // 25 pushes at 10 a second (and a little less) take more than two seconds.
        QVERIFY(pushes.first().receivedAt.msecsTo(pushes.last().receivedAt) >= 2000);
        QCOMPARE(count(QStringLiteral("SELECT recipients FROM message_usage WHERE chain_id = 1")), kShoppers);
    }

    void aMessageCarryingATokenRegistersAndConfirmsByReply()
    {
        const QString user = m_line->addUser({}).userId;
        const lineemu::WebhookResult sent = sendMessage(user, QStringLiteral("PopTap ") + token(7));
        QCOMPARE(sent.status, 200);
        QVERIFY2(sent.elapsedMs < 2000, qPrintable(QString::number(sent.elapsedMs))); // LINE's deadline
        QTRY_COMPARE(replyTexts().size(), 1);
        QVERIFY(replyTexts().first().contains(QStringLiteral("ヤマビコ マウンテン")));
        // The reply carries the same stop button as a pushed confirmation.
        const QJsonObject reply = m_line->requests(LineEndpoint::Reply).first().body.toObject();
        QVERIFY(reply.value(QLatin1String("messages")).toArray().first().toObject().contains(QLatin1String("quickReply")));
        QCOMPARE(count(QStringLiteral("SELECT count(*) FROM subscription WHERE status = 'active'")), 1);
        QTest::qWait(300);
        QVERIFY(m_line->requests(LineEndpoint::Push).isEmpty()); // the reply was free; no push
    }

    void aRedeliveredMessageIsHandledOnce()
    {
        const QString user = m_line->addUser({}).userId;
        const QString text = QStringLiteral("PopTap ") + token(2);
        QCOMPARE(sendMessage(user, text, QStringLiteral("01HZZZZZZZZZZZZZZZZZZZZZZ1")).status, 200);
        QCOMPARE(sendMessage(user, text, QStringLiteral("01HZZZZZZZZZZZZZZZZZZZZZZ1")).status, 200);
        QTRY_COMPARE(replyTexts().size(), 1);
        QTest::qWait(300);
        QCOMPARE(m_line->requests(LineEndpoint::Reply).size(), 1);
    }

    void messagesWithoutATokenGetNoReply()
    {
        const QString user = m_line->addUser({}).userId;
        QCOMPARE(sendMessage(user, QStringLiteral("こんにちは")).status, 200);
        QCOMPARE(sendMessage(user, QStringLiteral("x").repeated(39)).status, 200);
        QTest::qWait(300);
        QVERIFY(m_line->requests(LineEndpoint::Reply).isEmpty());
        QCOMPARE(count(QStringLiteral("SELECT count(*) FROM webhook_event WHERE outcome = 'no-token'")), 2);
    }

    void anExpiredTokenInAMessageIsExplainedByReply()
    {
        const QString user = m_line->addUser({}).userId;
        sendMessage(user, token(7, QDateTime::currentDateTimeUtc().addDays(-2)));
        QTRY_COMPARE(replyTexts().size(), 1);
        QVERIFY(replyTexts().first().contains(QStringLiteral("期限切れ")));
        QCOMPARE(count(QStringLiteral("SELECT count(*) FROM subscription")), 0);
    }

    void whenTheReplyFailsTheSubscriptionIsConfirmedByPush()
    {
        const QString user = m_line->addUser({}).userId;
        m_line->injectFault(LineEndpoint::Reply, {1, 500, 0, false, {}});
        sendMessage(user, QStringLiteral("PopTap ") + token(9));
        QTRY_COMPARE_WITH_TIMEOUT(m_line->deliveryCount(user), 1, 10000);
        QCOMPARE(m_line->requests(LineEndpoint::Push).size(), 1);
    }

    void theConfirmationsStopButtonStopsThatSubscriptionForThatShopperOnly()
    {
        const QString user = m_line->addUser({}).userId;
        const QString other = m_line->addUser({}).userId;
        QCOMPARE(claim(token(7), idTokenFor(user)).status, 200);
        QCOMPARE(claim(token(7), idTokenFor(other)).status, 200);
        QTRY_COMPARE(m_line->deliveryCount(user), 1);
        const QString data = stopButtonData(user); // accepted by the emulator: a valid quick reply
        QCOMPARE(data, QStringLiteral("v=1&action=stop&kind=1&target=7&store=101"));

        QCOMPARE(sendPostback(user, data).status, 200);
        QTRY_COMPARE(replyTexts().size(), 1);
        QVERIFY2(replyTexts().first().contains(QStringLiteral("ヤマビコ マウンテンの新着のお知らせを停止しました")),
                 qPrintable(replyTexts().first()));
        QCOMPARE(count(QStringLiteral("SELECT count(*) FROM subscription WHERE status = 'stopped'")), 1);
        QCOMPARE(count(QStringLiteral("SELECT count(*) FROM subscription WHERE status = 'active'")), 1); // the other's

        // Tapping again: nothing changes, and the shopper is told so.
        QCOMPARE(sendPostback(user, data).status, 200);
        QTRY_COMPARE(replyTexts().size(), 2);
        QVERIFY(replyTexts().last().contains(QStringLiteral("すでに停止")));
        QCOMPARE(count(QStringLiteral("SELECT count(*) FROM subscription WHERE status = 'active'")), 1);

        // A claim after the stop activates it again.
        QCOMPARE(claim(token(7), idTokenFor(user)).status, 200);
        QCOMPARE(count(QStringLiteral("SELECT count(*) FROM subscription WHERE status = 'active'")), 2);
    }

    void postbacksTheServiceDidNotWriteAreRecordedAndUnanswered()
    {
        const QString user = m_line->addUser({}).userId;
        QCOMPARE(claim(token(7), idTokenFor(user)).status, 200);
        for (const QString &data : {QStringLiteral("richmenu=1"), QStringLiteral("v=1&action=stop&kind=9&target=7&store=101"),
                                    QStringLiteral("v=1&action=stop&kind=1&target=7&store=101&store=102"),
                                    QStringLiteral("v=1&action=stop&kind=1&target=-7&store=101"),
                                    QStringLiteral("action=stop&v=1&kind=1&target=7&store=101")})
            QCOMPARE(sendPostback(user, data).status, 200);
        QTRY_COMPARE(count(QStringLiteral("SELECT count(*) FROM webhook_event WHERE outcome = 'postback-ignored'")), 5);
        QCOMPARE(count(QStringLiteral("SELECT count(*) FROM subscription WHERE status = 'active'")), 1);
        QVERIFY(m_line->requests(LineEndpoint::Reply).isEmpty());
    }

    void aPushQueuedBeforeARestartIsSentAfterIt()
    {
        const QString user = m_line->addUser({}).userId;
        m_line->injectFault(LineEndpoint::Push, {1, 500, 0, false, {}});
        QCOMPARE(claim(token(8), idTokenFor(user)).status, 200);
        QTRY_COMPARE(m_line->requests(LineEndpoint::Push).size(), 1);
        m_server.reset(); // the service stops before its retry
        QCOMPARE(startServer(), QString());
        QTRY_COMPARE_WITH_TIMEOUT(m_line->deliveryCount(user), 1, 20000);
    }
};

QTEST_GUILESS_MAIN(ClaimFlowTest)
#include "claimflowtest.moc"
