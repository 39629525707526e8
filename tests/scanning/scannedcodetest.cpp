// What may reach a product lookup: validateScannedCode(), expandUpcE() and productCode() on
// good codes, misread ones and hostile text (every barcode is outside input, DESIGN.md).
#include "scannedcode.h"

#include <QTest>

using namespace poptap;

Q_DECLARE_METATYPE(poptap::BarcodeFormat)

class ScannedCodeTest : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void validation_data()
    {
        QTest::addColumn<BarcodeFormat>("format");
        QTest::addColumn<QString>("text");
        QTest::addColumn<bool>("valid");

        const auto ean13 = BarcodeFormat::Ean13;
        QTest::newRow("JAN 49") << ean13 << QStringLiteral("4901234567894") << true;
        QTest::newRow("JAN 45") << ean13 << QStringLiteral("4512345678906") << true;
        QTest::newRow("ISBN") << ean13 << QStringLiteral("9780804816632") << true;
        QTest::newRow("EAN-13 wrong check digit") << ean13 << QStringLiteral("4901234567890") << false;
        QTest::newRow("EAN-13 two digits swapped") << ean13 << QStringLiteral("4901234657894") << false;
        QTest::newRow("EAN-13 of 12 digits") << ean13 << QStringLiteral("490123456789") << false;
        QTest::newRow("EAN-13 of 14 digits") << ean13 << QStringLiteral("04901234567894") << false;
        QTest::newRow("EAN-13 with a letter") << ean13 << QStringLiteral("49012345678A4") << false;
        QTest::newRow("EAN-13 in full-width digits")
            << ean13 << QStringLiteral("\uff14\uff19\uff10\uff11\uff12\uff13\uff14\uff15\uff16\uff17\uff18\uff19\uff14")
            << false;
        QTest::newRow("EAN-13 with a space") << ean13 << QStringLiteral("4901234567894 ") << false;
        QTest::newRow("EAN-13 empty") << ean13 << QString() << false;

        QTest::newRow("EAN-8") << BarcodeFormat::Ean8 << QStringLiteral("49123456") << true;
        QTest::newRow("EAN-8 wrong check digit") << BarcodeFormat::Ean8 << QStringLiteral("49123457") << false;
        QTest::newRow("EAN-8 of 7 digits") << BarcodeFormat::Ean8 << QStringLiteral("4912345") << false;
        QTest::newRow("EAN-8 given a JAN") << BarcodeFormat::Ean8 << QStringLiteral("4901234567894") << false;

        QTest::newRow("UPC-A") << BarcodeFormat::UpcA << QStringLiteral("036000291452") << true;
        QTest::newRow("UPC-A wrong check digit") << BarcodeFormat::UpcA << QStringLiteral("036000291453") << false;
        QTest::newRow("UPC-A given 13 digits") << BarcodeFormat::UpcA << QStringLiteral("0036000291452") << false;

        QTest::newRow("UPC-E") << BarcodeFormat::UpcE << QStringLiteral("01234565") << true;
        QTest::newRow("UPC-E number system 1") << BarcodeFormat::UpcE << QStringLiteral("19876520") << true;
        QTest::newRow("UPC-E wrong check digit") << BarcodeFormat::UpcE << QStringLiteral("01234566") << false;
        QTest::newRow("UPC-E number system 2") << BarcodeFormat::UpcE << QStringLiteral("21234565") << false;
        QTest::newRow("UPC-E of 7 digits") << BarcodeFormat::UpcE << QStringLiteral("0123456") << false;
        QTest::newRow("UPC-E given an EAN-8") << BarcodeFormat::UpcE << QStringLiteral("49123456") << false;

        const auto code128 = BarcodeFormat::Code128;
        QTest::newRow("Code 128") << code128 << QStringLiteral("POPTAP-1234") << true;
        QTest::newRow("Code 128 one character") << code128 << QStringLiteral("x") << true;
        QTest::newRow("Code 128 80 characters") << code128 << QString(80, u'A') << true;
        QTest::newRow("Code 128 81 characters") << code128 << QString(81, u'A') << false;
        QTest::newRow("Code 128 empty") << code128 << QString() << false;
        QTest::newRow("GS1-128 with a separator") << code128 << QStringLiteral("010491234567890410ABC\x1d" "17251231") << true;
        QTest::newRow("Code 128 starting with GS") << code128 << QStringLiteral("\x1d" "0104912345678904") << false;
        QTest::newRow("Code 128 terminal escape") << code128 << QStringLiteral("\x1b[2J") << false;
        QTest::newRow("Code 128 tab") << code128 << QStringLiteral("A\tB") << false;
        QTest::newRow("Code 128 newline") << code128 << QStringLiteral("A\nB") << false;
        QTest::newRow("Code 128 NUL") << code128 << QString(QChar(0)) << false;
        QTest::newRow("Code 128 DEL") << code128 << QStringLiteral("A\x7f") << false;
        QTest::newRow("Code 128 Latin-1") << code128 << QStringLiteral("caf\u00e9") << false;

        const auto qr = BarcodeFormat::QrCode;
        QTest::newRow("QR link") << qr << QStringLiteral("https://liff.line.me/2001234567-PopTapDm/r/EZjqTK") << true;
        QTest::newRow("QR Japanese") << qr << QStringLiteral("\u4eca\u5ea6\u306e\u30d0\u30fc\u30b8\u30e7\u30f3") << true;
        QTest::newRow("QR vCard lines") << qr << QStringLiteral("BEGIN:VCARD\r\nFN:Taro\r\nEND:VCARD") << true;
        QTest::newRow("QR tab") << qr << QStringLiteral("a\tb") << true;
        QTest::newRow("QR GS1 separators") << qr << QStringLiteral("0109504000059101\x1d" "10ABC") << true;
        QTest::newRow("QR ISO 15434 envelope") << qr << QStringLiteral("[)>\x1e" "06\x1d" "1PABC\x1e\x04") << true;
        // The corpus has a code with SOH and DLE at its start (qrcode-2/33.png): C0 passes.
        QTest::newRow("QR SOH DLE") << qr << QStringLiteral("\x01\x10" "AD:SUB:\u963f;;") << true;
        QTest::newRow("QR 7089 characters") << qr << QString(7089, u'7') << true;
        QTest::newRow("QR 7090 characters") << qr << QString(7090, u'7') << false;
        QTest::newRow("QR empty") << qr << QString() << false;
        QTest::newRow("QR NUL") << qr << QStringLiteral("a") + QChar(0) + QStringLiteral("b") << false;
        QTest::newRow("QR terminal escape") << qr << QStringLiteral("\x1b]0;owned\x07") << false;
        QTest::newRow("QR DEL") << qr << QStringLiteral("a\x7f") << false;
        QTest::newRow("QR C1 CSI") << qr << QStringLiteral("a\u009b2J") << false;
        QTest::newRow("QR C1 NEL") << qr << QStringLiteral("a\u0085b") << false;
        QTest::newRow("QR lone surrogate") << qr << QStringLiteral("a") + QChar(0xd800) << false;
    }

    void validation()
    {
        QFETCH(BarcodeFormat, format);
        QFETCH(QString, text);
        QFETCH(bool, valid);
        const std::optional<ScannedCode> code = validateScannedCode(format, text, ScanSource::Handheld);
        QCOMPARE(code.has_value(), valid);
        if (code) {
            QVERIFY(code->format == format);
            QCOMPARE(code->text, text);
            QVERIFY(code->source == ScanSource::Handheld);
        }
    }

    void expansion_data()
    {
        QTest::addColumn<QString>("upce");
        QTest::addColumn<QString>("upca");
        // One per rule of where the zeros go (the last of the six digits).
        QTest::newRow("ends in 0") << QStringLiteral("01234505") << QStringLiteral("012000003455");
        QTest::newRow("ends in 3") << QStringLiteral("01234531") << QStringLiteral("012300000451");
        QTest::newRow("ends in 4") << QStringLiteral("01234543") << QStringLiteral("012340000053");
        QTest::newRow("ends in 5") << QStringLiteral("01234565") << QStringLiteral("012345000065");
        QTest::newRow("ends in 7") << QStringLiteral("01234572") << QStringLiteral("012345000072");
        QTest::newRow("number system 1") << QStringLiteral("19876520") << QStringLiteral("198200007650");
        QTest::newRow("wrong check digit") << QStringLiteral("01234564") << QString();
        QTest::newRow("number system 2") << QStringLiteral("21234565") << QString();
        QTest::newRow("7 digits") << QStringLiteral("0123456") << QString();
        QTest::newRow("9 digits") << QStringLiteral("012345650") << QString();
        QTest::newRow("letters") << QStringLiteral("0123456A") << QString();
        QTest::newRow("empty") << QString() << QString();
    }

    void expansion()
    {
        QFETCH(QString, upce);
        QFETCH(QString, upca);
        QCOMPARE(expandUpcE(upce), upca);
        if (!upca.isEmpty()) // the expansion is a valid UPC-A in its own right
            QVERIFY(validateScannedCode(BarcodeFormat::UpcA, upca, ScanSource::Camera));
    }

    void productCode_data()
    {
        QTest::addColumn<BarcodeFormat>("format");
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("productCode");
        QTest::newRow("JAN") << BarcodeFormat::Ean13 << QStringLiteral("4901234567894") << QStringLiteral("4901234567894");
        QTest::newRow("EAN-8") << BarcodeFormat::Ean8 << QStringLiteral("49123456") << QStringLiteral("49123456");
        QTest::newRow("UPC-A") << BarcodeFormat::UpcA << QStringLiteral("036000291452") << QStringLiteral("036000291452");
        QTest::newRow("UPC-E expands") << BarcodeFormat::UpcE << QStringLiteral("01234565") << QStringLiteral("012345000065");
        QTest::newRow("Code 128 bare JAN") << BarcodeFormat::Code128 << QStringLiteral("4901234567894")
                                           << QStringLiteral("4901234567894");
        QTest::newRow("Code 128 bare GTIN-14") << BarcodeFormat::Code128 << QStringLiteral("14901234567891")
                                               << QStringLiteral("14901234567891");
        QTest::newRow("GS1-128 (01)") << BarcodeFormat::Code128 << QStringLiteral("0104912345678904")
                                      << QStringLiteral("04912345678904");
        QTest::newRow("GS1-128 (01)(10)(17)") << BarcodeFormat::Code128
                                              << QStringLiteral("010491234567890410ABC\x1d" "17251231")
                                              << QStringLiteral("04912345678904");
        QTest::newRow("GS1-128 (01) wrong check digit") << BarcodeFormat::Code128 << QStringLiteral("0104912345678905")
                                                        << QString();
        QTest::newRow("GS1-128 (01) too short") << BarcodeFormat::Code128 << QStringLiteral("010491234567890")
                                                << QString();
        QTest::newRow("Code 128 bare digits, no GTIN") << BarcodeFormat::Code128 << QStringLiteral("12345") << QString();
        QTest::newRow("Code 128 text") << BarcodeFormat::Code128 << QStringLiteral("POPTAP-1234") << QString();
        QTest::newRow("QR holding digits") << BarcodeFormat::QrCode << QStringLiteral("4901234567894") << QString();
        QTest::newRow("QR link") << BarcodeFormat::QrCode << QStringLiteral("https://example.com/01/04912345678904")
                                 << QString();
    }

    void productCode()
    {
        QFETCH(BarcodeFormat, format);
        QFETCH(QString, text);
        QFETCH(QString, productCode);
        const std::optional<ScannedCode> code = validateScannedCode(format, text, ScanSource::Camera);
        QVERIFY(code);
        QCOMPARE(code->productCode(), productCode);
    }

    // A code built by hand, past validation, still yields no product code when it is no GTIN.
    void unvalidatedCodeHasNoProductCode()
    {
        QCOMPARE((ScannedCode{BarcodeFormat::Ean13, QStringLiteral("4901234567890"), ScanSource::Camera}.productCode()),
                 QString());
        QCOMPARE((ScannedCode{BarcodeFormat::UpcE, QStringLiteral("01234566"), ScanSource::Camera}.productCode()), QString());
    }

    void formatNames()
    {
        QCOMPARE(toString(BarcodeFormat::Ean13), QStringLiteral("EAN-13"));
        QCOMPARE(toString(BarcodeFormat::Ean8), QStringLiteral("EAN-8"));
        QCOMPARE(toString(BarcodeFormat::UpcA), QStringLiteral("UPC-A"));
        QCOMPARE(toString(BarcodeFormat::UpcE), QStringLiteral("UPC-E"));
        QCOMPARE(toString(BarcodeFormat::Code128), QStringLiteral("Code 128"));
        QCOMPARE(toString(BarcodeFormat::QrCode), QStringLiteral("QR Code"));
    }
};

QTEST_APPLESS_MAIN(ScannedCodeTest)
#include "scannedcodetest.moc"
