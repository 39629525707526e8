#include "ndeflink.h"
#include "ntag21x.h"
#include "nfcdevicefactory.h"
#include "simnfcdevice.h"

#include <QSignalSpy>
#include <QTest>

using namespace poptap;

class SimNfcDeviceTest : public QObject
{
    Q_OBJECT

    const QUrl link{QStringLiteral("https://liff.line.me/2001234567-PopTapDm/r/EZjqTKwAAQAAAAEAAAAHawKRZBipNkj5Ir8uv-El")};

private Q_SLOTS:
    void factoryChoosesBackendByString()
    {
        const NfcDeviceCreation sim = createNfcDevice(QStringLiteral("sim"));
        QVERIFY(sim.device);
        QCOMPARE(sim.device->backendName(), QStringLiteral("sim"));
        const NfcDeviceCreation unknown = createNfcDevice(QStringLiteral("bluetooth:foo"));
        QVERIFY(!unknown.device);
        QVERIFY(unknown.error.contains(QStringLiteral("unknown NFC backend 'bluetooth:foo'")));
    }

    void phoneReadsExactlyTheServedLink()
    {
        SimNfcDevice nfc;
        QSignalSpy reads(&nfc, &NfcDevice::linkRead);
        nfc.serveLink(link);
        QVERIFY(nfc.status() == NfcDevice::Status::Serving);
        QVERIFY(nfc.simulatePhoneRead());
        QCOMPARE(reads.size(), 1);
        QCOMPARE(reads.first().first().toUrl(), link);
        // The bytes on the air are a real NDEF URI record (prefix 0x04 = "https://").
        const QByteArray ndef = nfc.servedNdef();
        QCOMPARE(quint8(ndef.at(0)) & 0x07, 0x01);   // TNF well-known
        QCOMPARE(ndef.at(3), 'U');
        QCOMPARE(quint8(ndef.at(4)), 0x04);
        QCOMPARE(ndef.mid(5), link.toEncoded().mid(8));
    }

    void percentEncodedLinkIsServedByteForByte()
    {
        // oaMessage links carry percent-encoded Japanese text; the tag must hold it encoded,
        // exactly as the QR code does, not the decoded UTF-8 that QNdefNfcUriRecord writes.
        const QString encoded = QStringLiteral("https://line.me/R/oaMessage/%40poptap-demo/?%E6%96%B0%E7%9D%80%20ABC");
        SimNfcDevice nfc;
        QSignalSpy reads(&nfc, &NfcDevice::linkRead);
        nfc.serveLink(QUrl(encoded, QUrl::StrictMode));
        QCOMPARE(nfc.servedNdef().mid(5), encoded.toLatin1().mid(8));
        QVERIFY(nfc.simulatePhoneRead());
        QCOMPARE(reads.first().first().toUrl().toString(QUrl::FullyEncoded), encoded);
    }

    void uriAbbreviationsAreExpanded_data()
    {
        QTest::addColumn<QByteArray>("ndef");
        QTest::addColumn<QString>("text");
        QTest::newRow("https://www.") << QByteArray::fromHex("d1010855026c696e652e6d65") << "https://www.line.me";
        QTest::newRow("none") << QByteArray::fromHex("d1010655006874747073") << "https";
        QTest::newRow("urn:nfc:") << QByteArray::fromHex("d101045523616263") << "urn:nfc:abc";
    }
    void uriAbbreviationsAreExpanded()
    {
        QFETCH(QByteArray, ndef);
        QFETCH(QString, text);
        QCOMPARE(decodeNdefUri(ndef).text, text);
    }

    void longestPrefixIsUsed()
    {
        QCOMPARE(quint8(encodeNdefUri(QStringLiteral("https://www.line.me/")).at(4)), 0x02);
        QCOMPARE(quint8(encodeNdefUri(QStringLiteral("https://liff.line.me/")).at(4)), 0x04);
    }

    void nothingIsServedAfterStop()
    {
        SimNfcDevice nfc;
        QSignalSpy reads(&nfc, &NfcDevice::linkRead);
        nfc.serveLink(link);
        nfc.stopServing();
        QVERIFY(nfc.servedLink().isEmpty());
        QVERIFY(!nfc.simulatePhoneRead());
        QCOMPARE(reads.size(), 0);
    }

    void onlyHttpsLinksAreServed()
    {
        SimNfcDevice nfc;
        QTest::ignoreMessage(QtWarningMsg, QRegularExpression("refusing to serve a non-https link"));
        nfc.serveLink(QUrl(QStringLiteral("line://ti/p/@poptap")));
        QVERIFY(nfc.status() == NfcDevice::Status::Error);
        QVERIFY(!nfc.simulatePhoneRead());
    }

    void staffCardIsReportedOnlyWhileReading()
    {
        SimNfcDevice nfc;
        QSignalSpy cards(&nfc, &NfcDevice::cardPresented);
        const QByteArray uid = QByteArray::fromHex("04a1b2c3d4e5f6");
        QVERIFY(nfc.status() == NfcDevice::Status::Reading);
        QVERIFY(nfc.simulateCard(uid));
        QCOMPARE(cards.size(), 1);
        QCOMPARE(cards.first().first().toByteArray(), uid);
        // While a link is served the reader is a tag, not a reader: the card goes unseen.
        nfc.serveLink(link);
        QVERIFY(!nfc.simulateCard(uid));
        nfc.stopServing();
        QVERIFY(nfc.status() == NfcDevice::Status::Reading);
        QVERIFY(nfc.simulateCard(uid));
        QCOMPARE(cards.size(), 2);
    }

    void stickerIsWrittenOnceAndReadsBackAsTheLink()
    {
        SimNfcDevice nfc;
        QSignalSpy written(&nfc, &NfcDevice::tagWritten);
        const QUrl pop(QStringLiteral("https://liff.line.me/2001234567-PopTapDm/p/7001"));
        QVERIFY(nfc.simulateBlankSticker(nfc::NtagType::Ntag213).isEmpty()); // nothing asked for
        nfc.writeTag(pop, false);
        QVERIFY(nfc.status() == NfcDevice::Status::Writing);
        const QByteArray memory = nfc.simulateBlankSticker(nfc::NtagType::Ntag215);
        QCOMPARE(written.size(), 1);
        QCOMPARE(written.first().at(0).toUrl(), pop);
        QCOMPARE(written.first().at(1).toString(), QStringLiteral("NTAG215"));
        QCOMPARE(decodeNdefUri(nfc::ndefFromType2Memory(memory).message).link, pop);
        QVERIFY(nfc.status() == NfcDevice::Status::Reading);
        QVERIFY(nfc.simulateBlankSticker(nfc::NtagType::Ntag213).isEmpty()); // one write per request
    }

    void writingTakesPrecedenceOverServingAndCancelReturnsToIt()
    {
        SimNfcDevice nfc;
        QSignalSpy failed(&nfc, &NfcDevice::tagWriteFailed);
        nfc.serveLink(link);
        nfc.writeTag(QUrl(QStringLiteral("https://liff.line.me/x/p/") + QString(300, QLatin1Char('a'))), false);
        QVERIFY(nfc.status() == NfcDevice::Status::Writing);
        QVERIFY(!nfc.simulatePhoneRead());
        nfc.simulateBlankSticker(nfc::NtagType::Ntag213); // too long for 144 bytes
        QCOMPARE(failed.size(), 1);
        QVERIFY(nfc.status() == NfcDevice::Status::Serving);
        nfc.writeTag(link, false);
        nfc.cancelWrite();
        QVERIFY(nfc.status() == NfcDevice::Status::Serving);
        QVERIFY(nfc.simulatePhoneRead());
    }

    void malformedNdefGetsAClearError_data()
    {
        QTest::addColumn<QByteArray>("ndef");
        QTest::addColumn<QString>("expected");
        QTest::newRow("empty") << QByteArray() << "empty";
        QTest::newRow("truncated header") << QByteArray::fromHex("d1") << "malformed";
        QTest::newRow("length beyond end") << QByteArray::fromHex("d101ff5504616263") << "malformed";
        QTest::newRow("text record") << QByteArray::fromHex("d101055402656e6869") << "not a URI";
        QTest::newRow("unknown prefix code") << QByteArray::fromHex("d10102552461") << "identifier code";
        QTest::newRow("raw space in link") << QByteArray::fromHex("d101085504612062632e6a70") << "fully encoded";
        QTest::newRow("two records") << (QByteArray::fromHex("910102550061") + QByteArray::fromHex("510102550062")) << "one NDEF record";
    }
    void malformedNdefGetsAClearError()
    {
        QFETCH(QByteArray, ndef);
        QFETCH(QString, expected);
        const NdefLinkResult result = decodeNdefUri(ndef);
        QVERIFY(result.link.isEmpty());
        QVERIFY2(result.error.contains(expected), qPrintable(result.error));
    }
};

QTEST_GUILESS_MAIN(SimNfcDeviceTest)
#include "simnfcdevicetest.moc"
