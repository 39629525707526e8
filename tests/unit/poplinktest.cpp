#include "ndeflink.h"
#include "ntag21x.h"
#include "poplink.h"

#include <QTest>

using namespace poptap;

// The static link a POP sticker carries, from the catalog's link settings.
class PopLinkTest : public QObject
{
    Q_OBJECT

    const LinkSettings m_settings{QStringLiteral("2001234567-PopTapDm"), QStringLiteral("@poptap-demo"), QStringLiteral("liff")};

private Q_SLOTS:
    void liffKiosksGiveAPathBasedLink()
    {
        const PopLink link = popLink(QStringLiteral("liff"), m_settings, 7001);
        QCOMPARE(link.problem, PopLink::Problem::None);
        QCOMPARE(link.link, QStringLiteral("https://liff.line.me/2001234567-PopTapDm/p/7001"));
        QVERIFY(link.error.isEmpty());
        // A kiosk with its own LIFF template still writes stickers in the one format the
        // service resolves: a sticker outlives any template.
        const PopLink custom = popLink(QStringLiteral("https://liff.line.me/{liffId}/r/{token}"), m_settings, 7001);
        QCOMPARE(custom.link, link.link);
    }

    void otherTemplatesCannotWriteStickers_data()
    {
        QTest::addColumn<QString>("templateText");
        QTest::newRow("oamessage") << QStringLiteral("oamessage");
        QTest::newRow("friend") << QStringLiteral("friend");
        QTest::newRow("oamessage template") << QStringLiteral("https://line.me/R/oaMessage/{basicId}/?{text}");
        QTest::newRow("not a template") << QStringLiteral("http://example.com/{token}");
    }
    void otherTemplatesCannotWriteStickers()
    {
        QFETCH(QString, templateText);
        const PopLink link = popLink(templateText, m_settings, 7001);
        QCOMPARE(link.problem, PopLink::Problem::NotLiff);
        QVERIFY(link.link.isEmpty());
        QVERIFY(!link.error.isEmpty());
    }

    void aCatalogWithoutAValidLiffIdCannotEither()
    {
        for (const QString &liffId : {QString(), QStringLiteral("not-a-liff-id"), QStringLiteral("2001234567-Pop/../x")}) {
            LinkSettings settings = m_settings;
            settings.liffId = liffId;
            const PopLink link = popLink(QStringLiteral("liff"), settings, 7001);
            QCOMPARE(link.problem, PopLink::Problem::InvalidLiffId);
            QVERIFY(link.link.isEmpty());
            QVERIFY2(link.error.contains(QLatin1String("LIFF id")), qPrintable(link.error));
        }
    }

    // The longest link there can be (longest LIFF id, largest catalog id) fits the smallest
    // sticker, NTAG213, as its only NDEF record: no POP is ever too long to write.
    void theLongestLinkFitsAnNtag213()
    {
        LinkSettings settings = m_settings;
        settings.liffId = QStringLiteral("123456789012-ABCDEFGHIJKLMNOP");
        const PopLink link = popLink(QStringLiteral("liff"), settings, 0xffffffffu);
        QCOMPARE(link.problem, PopLink::Problem::None);
        const QByteArray ndef = encodeNdefUri(link.link);
        const int tlv = 2 /* NDEF TLV, short length */ + 1 /* terminator */;
        QVERIFY2(ndef.size() + tlv <= nfc::layoutOf(nfc::NtagType::Ntag213).userBytes,
                 qPrintable(QStringLiteral("%1 bytes").arg(ndef.size() + tlv)));
        const nfc::NtagWritePlan plan = nfc::planNdefWrite(nfc::NtagType::Ntag213, QByteArray(4, '\0'), ndef);
        QVERIFY2(plan.error.isEmpty(), qPrintable(plan.error));
    }
};

QTEST_GUILESS_MAIN(PopLinkTest)
#include "poplinktest.moc"
