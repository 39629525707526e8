#include "deeplink.h"

#include <QTest>
#include <QUrlQuery>

using namespace poptap;

class DeepLinkTest : public QObject
{
    Q_OBJECT

    const QString token = QStringLiteral("EZjqTKwAAQAAAAEAAAAHawKRZBipNkj5Ir8uv-El");

    DeepLinkTemplate::Parameters params(const QString &text = QStringLiteral("PopTap {token}")) const
    {
        return {QStringLiteral("2001234567-PopTapDm"), QStringLiteral("@poptap-demo"), token, text};
    }

private Q_SLOTS:
    void liffLinkIsPathBased()
    {
        QString error;
        const auto t = DeepLinkTemplate::parse(QStringLiteral("liff"), &error);
        QVERIFY2(t.isValid(), qPrintable(error));
        QCOMPARE(t.kind(), DeepLinkTemplate::Kind::Liff);
        const QString link = t.expand(params());
        QCOMPARE(link, QStringLiteral("https://liff.line.me/2001234567-PopTapDm/r/") + token);
        QVERIFY(link.size() <= 84); // byte capacity of a version-5 QR code at level M
    }

    void oaMessagePercentEncodesBasicIdAndJapaneseText()
    {
        const auto t = DeepLinkTemplate::parse(QStringLiteral("oamessage"), nullptr);
        QCOMPARE(t.kind(), DeepLinkTemplate::Kind::OaMessage);
        const QString link = t.expand(params(QStringLiteral("新着を受け取る {token}")));
        const QString expectedText = QStringLiteral("%E6%96%B0%E7%9D%80%E3%82%92%E5%8F%97%E3%81%91%E5%8F%96%E3%82%8B%20")
            + token;
        QCOMPARE(link, QStringLiteral("https://line.me/R/oaMessage/%40poptap-demo/?") + expectedText);
        // Every byte outside the unreserved set is encoded: iOS LINE rejects raw text.
        for (QChar c : link.section(u'?', 1))
            QVERIFY2(c.isLetterOrNumber() || QStringLiteral("%-_.~").contains(c), qPrintable(link));
        // And it decodes back to exactly the text the shopper will send.
        QCOMPARE(QUrl::fromPercentEncoding(link.section(u'?', 1).toUtf8()), QStringLiteral("新着を受け取る ") + token);
    }

    void oaMessageEncodesReservedCharactersInText()
    {
        const auto t = DeepLinkTemplate::parse(QStringLiteral("oamessage"), nullptr);
        const QString link = t.expand(params(QStringLiteral("a&b=c?d#e/f+g {token}")));
        QVERIFY(link.endsWith(QStringLiteral("a%26b%3Dc%3Fd%23e%2Ff%2Bg%20") + token));
    }

    void friendAddNeedsNoToken()
    {
        const auto t = DeepLinkTemplate::parse(QStringLiteral("friend"), nullptr);
        QCOMPARE(t.kind(), DeepLinkTemplate::Kind::FriendAdd);
        QVERIFY(!t.carriesToken());
        QCOMPARE(t.expand({QString(), QStringLiteral("@poptap-demo"), QString(), {}}),
                 QStringLiteral("https://line.me/R/ti/p/%40poptap-demo"));
    }

    void customTemplateOnLineHostIsAccepted()
    {
        QString error;
        const auto t = DeepLinkTemplate::parse(QStringLiteral("https://liff.line.me/{liffId}/kiosk/{token}"), &error);
        QVERIFY2(t.isValid(), qPrintable(error));
        QCOMPARE(t.expand(params()), QStringLiteral("https://liff.line.me/2001234567-PopTapDm/kiosk/") + token);
    }

    void badTemplatesAreRefusedWithAReason_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("reason");
        QTest::newRow("empty") << QString() << "empty";
        QTest::newRow("http") << "http://liff.line.me/{liffId}/r/{token}" << "https";
        QTest::newRow("deprecated line scheme") << "line://ti/p/{basicId}" << "https";
        QTest::newRow("other host") << "https://example.com/r/{token}" << "liff.line.me or line.me";
        QTest::newRow("look-alike host") << "https://liff.line.me.evil.example/{token}" << "liff.line.me or line.me";
        QTest::newRow("user info") << "https://evil@liff.line.me/{liffId}/r/{token}" << "liff.line.me or line.me";
        QTest::newRow("port") << "https://liff.line.me:8443/{liffId}/r/{token}" << "liff.line.me or line.me";
        QTest::newRow("liff without token") << "https://liff.line.me/{liffId}/r/" << "{token}";
        QTest::newRow("token in query") << "https://liff.line.me/{liffId}/r/{token}?t={token}" << "liff.state";
        QTest::newRow("oaMessage without text") << "https://line.me/R/oaMessage/{basicId}/" << "{text}";
        QTest::newRow("other line.me path") << "https://line.me/S/{token}" << "/R/oaMessage/";
        QTest::newRow("unknown placeholder") << "https://liff.line.me/{liffId}/r/{token}/{user}" << "unknown placeholder";
        QTest::newRow("not a url") << "https://liff.line.me/{liffId}/r/{token} space" << "not a valid URL";
    }
    void badTemplatesAreRefusedWithAReason()
    {
        QFETCH(QString, text);
        QFETCH(QString, reason);
        QString error;
        QVERIFY(!DeepLinkTemplate::parse(text, &error).isValid());
        QVERIFY2(error.contains(reason), qPrintable(error));
        QVERIFY2(error.contains(QStringLiteral("refused")), qPrintable(error));
    }

    void invalidValuesAreNotExpanded_data()
    {
        QTest::addColumn<QString>("preset");
        QTest::addColumn<QString>("liffId");
        QTest::addColumn<QString>("basicId");
        QTest::addColumn<QString>("tokenValue");
        QTest::addColumn<QString>("reason");
        QTest::newRow("liff id with slash") << "liff" << "123456-ab/../x" << "@a" << token << "LIFF id";
        QTest::newRow("basic id without @") << "oamessage" << "" << "poptap" << token << "basic id";
        QTest::newRow("token with slash") << "liff" << "2001234567-PopTapDm" << "@a" << "abc/def" << "token";
        QTest::newRow("no token") << "liff" << "2001234567-PopTapDm" << "@a" << "" << "token";
    }
    void invalidValuesAreNotExpanded()
    {
        QFETCH(QString, preset);
        QFETCH(QString, liffId);
        QFETCH(QString, basicId);
        QFETCH(QString, tokenValue);
        QFETCH(QString, reason);
        QString error;
        const auto t = DeepLinkTemplate::parse(preset, nullptr);
        QVERIFY(t.expand({liffId, basicId, tokenValue, QStringLiteral("x {token}")}, &error).isEmpty());
        QVERIFY2(error.contains(reason), qPrintable(error));
    }

    void messageTextMustCarryTheToken()
    {
        QString error;
        const auto t = DeepLinkTemplate::parse(QStringLiteral("oamessage"), nullptr);
        QVERIFY(t.expand(params(QStringLiteral("hello")), &error).isEmpty());
        QVERIFY(error.contains(QStringLiteral("{token}")));
    }
};

QTEST_GUILESS_MAIN(DeepLinkTest)
#include "deeplinktest.moc"
