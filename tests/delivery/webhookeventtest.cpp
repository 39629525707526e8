#include "webhookevent.h"
#include "webhookfixtures.h"

#include <QTest>

using namespace poptap::delivery;

class WebhookEventTest : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void connectivityCheckHasNoEvents()
    {
        const WebhookParse p = parseWebhookBody(webhookfixtures::body(""));
        QVERIFY(p.ok());
        QCOMPARE(p.destination, QStringLiteral("U8e742f61d673b39c7fff3cecb7536ef0"));
        QVERIFY(p.events.isEmpty());
    }

    void followUnfollowMessagePostbackAreRead()
    {
        const QByteArray events = webhookfixtures::fourEvents();
        const WebhookParse p = parseWebhookBody(webhookfixtures::body(events));
        QVERIFY2(p.ok(), qPrintable(p.error));
        QVERIFY2(p.skipped.isEmpty(), qPrintable(p.skipped.join(u'\n')));
        QCOMPARE(p.events.size(), 4);
        QCOMPARE(p.events[0].type, QStringLiteral("follow"));
        QVERIFY(p.events[0].isUnblocked);
        QCOMPARE(p.events[0].timestampMs, 1462629479859);
        QCOMPARE(p.events[1].type, QStringLiteral("unfollow"));
        QVERIFY(p.events[1].isRedelivery);
        QVERIFY(p.events[1].replyToken.isEmpty()); // unfollow has no reply token
        QCOMPARE(p.events[2].text, QStringLiteral("PopTap EZjqTKwAAQAAAAEAAAAHawKRZBipNkj5Ir8uv-El"));
        QCOMPARE(p.events[2].replyToken, QStringLiteral("r1"));
        QCOMPARE(p.events[3].postbackData, QStringLiteral("action=stop&brand=7"));
    }

    void unusableEventsAreSkippedWithAReason_data()
    {
        QTest::addColumn<QByteArray>("event");
        QTest::addColumn<QString>("reason");
        QTest::newRow("no id") << webhookfixtures::eventWithoutId() << "webhookEventId";
        QTest::newRow("bad user") << webhookfixtures::follow("01A", "Uxyz") << "userId";
        QTest::newRow("no timestamp") << webhookfixtures::eventWithoutTimestamp() << "timestamp";
        QTest::newRow("follow from a group") << webhookfixtures::followFromAGroup() << "without a user";
        QTest::newRow("not an object") << QByteArray("42") << "no type";
        QTest::newRow("huge text") << webhookfixtures::messageWithText(QByteArray(6000, 'a')) << "longer than";
    }
    void unusableEventsAreSkippedWithAReason()
    {
        QFETCH(QByteArray, event);
        QFETCH(QString, reason);
        const WebhookParse p = parseWebhookBody(webhookfixtures::body(event + "," + webhookfixtures::follow("01OK", "U4af4980629aaaaaaaaaaaaaaaaaaaaaa")));
        QVERIFY(p.ok());
        QCOMPARE(p.events.size(), 1); // the good event still counts
        QCOMPARE(p.skipped.size(), 1);
        QVERIFY2(p.skipped.first().contains(reason), qPrintable(p.skipped.first()));
    }

    void unusableBodiesAreRefused_data()
    {
        QTest::addColumn<QByteArray>("raw");
        QTest::addColumn<QString>("reason");
        QTest::newRow("not json") << QByteArray("{\"events\": [") << "not JSON";
        QTest::newRow("array") << QByteArray("[]") << "not a JSON object";
        QTest::newRow("no events") << QByteArray("{\"destination\":\"U1\"}") << "events";
        QTest::newRow("too large") << QByteArray(kMaxWebhookBodyBytes + 1, ' ') << "larger than";
    }
    void unusableBodiesAreRefused()
    {
        QFETCH(QByteArray, raw);
        QFETCH(QString, reason);
        const WebhookParse p = parseWebhookBody(raw);
        QVERIFY(!p.ok());
        QVERIFY2(p.error.contains(reason), qPrintable(p.error));
    }
};

QTEST_GUILESS_MAIN(WebhookEventTest)
#include "webhookeventtest.moc"
