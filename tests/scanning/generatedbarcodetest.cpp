// Price tags as a camera sees them, generated: every symbology the kiosk reads, in 1280×720 and
// 640×480 frames, clean and degraded (turned, out of focus, faded, noisy, under a finger). Each
// frame takes the camera's path: QImage → video frame → luminance → BarcodeDecoder (the decode
// worker's own steps, without its thread). A readable case must give exactly the code on the tag;
// a case ZXing cannot be expected to read must give nothing wrong; a code with a wrong check digit
// must never come out.
#include "barcodedecoder.h"
#include "pricetag.h"
#include "videoframes.h"

#include <ZXing/BitMatrix.h>
#include <ZXing/MultiFormatWriter.h>
#include <ZXing/ZXVersion.h>

#include <QTest>

#include <map>

using namespace poptap;
using namespace poptap::testing;

namespace {

struct TestCode {
    const char *name;
    BarcodeFormat format;
    QString encoded;      // what the writer is given
    BarcodeFormat readAs; // what a correct read reports
    QString text;
    QString productCode;
};

const QList<TestCode> &testCodes()
{
    static const QList<TestCode> codes{
        {"JAN 45", BarcodeFormat::Ean13, QStringLiteral("4512345678906"), BarcodeFormat::Ean13,
         QStringLiteral("4512345678906"), QStringLiteral("4512345678906")},
        {"JAN 49", BarcodeFormat::Ean13, QStringLiteral("4901234567894"), BarcodeFormat::Ean13,
         QStringLiteral("4901234567894"), QStringLiteral("4901234567894")},
        {"EAN-8", BarcodeFormat::Ean8, QStringLiteral("49123456"), BarcodeFormat::Ean8, QStringLiteral("49123456"),
         QStringLiteral("49123456")},
        {"UPC-A", BarcodeFormat::UpcA, QStringLiteral("036000291452"), BarcodeFormat::UpcA,
         QStringLiteral("036000291452"), QStringLiteral("036000291452")},
        {"UPC-E", BarcodeFormat::UpcE, QStringLiteral("01234565"), BarcodeFormat::UpcE, QStringLiteral("01234565"),
         QStringLiteral("012345000065")},
        {"Code 128", BarcodeFormat::Code128, QStringLiteral("POPTAP-1234"), BarcodeFormat::Code128,
         QStringLiteral("POPTAP-1234"), QString()},
        {"GS1-128", BarcodeFormat::Code128, QStringLiteral("\u00f10104912345678904"), BarcodeFormat::Code128,
         QStringLiteral("0104912345678904"), QStringLiteral("04912345678904")},
        {"QR", BarcodeFormat::QrCode,
         QStringLiteral("https://liff.line.me/2001234567-PopTapDm/r/EZjqTKwAAQAAAAEAAAAHawKRZBipNkj5Ir8uv-El"),
         BarcodeFormat::QrCode,
         QStringLiteral("https://liff.line.me/2001234567-PopTapDm/r/EZjqTKwAAQAAAAEAAAAHawKRZBipNkj5Ir8uv-El"), QString()},
    };
    return codes;
}

enum class Variant {
    Clean, Turned5, Turned15, Turned30, Turned90, Turned180, Blur2, Blur4, LowContrast, Noise, HeavyNoise,
    LowContrastNoise, FingerOverTop, FingerAcrossMiddle, FingerOnCorner,
};

const std::map<Variant, const char *> kVariantNames{
    {Variant::Clean, "clean"}, {Variant::Turned5, "turned 5°"}, {Variant::Turned15, "turned 15°"},
    {Variant::Turned30, "turned 30°"}, {Variant::Turned90, "turned 90°"}, {Variant::Turned180, "turned 180°"},
    {Variant::Blur2, "blur 2 passes"}, {Variant::Blur4, "blur 4 passes"},
    {Variant::LowContrast, "40% grey bars on 60% grey"}, {Variant::Noise, "noise ±20"},
    {Variant::HeavyNoise, "noise ±40"}, {Variant::LowContrastNoise, "40% on 60% grey, noise ±10"},
    {Variant::FingerOverTop, "finger over the top 30%"}, {Variant::FingerAcrossMiddle, "finger across the middle third"},
    {Variant::FingerOnCorner, "finger on the bottom-right corner"},
};

bool isLinear(BarcodeFormat format)
{
    return format != BarcodeFormat::QrCode;
}

// Pixels per module in the frame: a label held about 10 cm from a 70° webcam (0.33 mm bars;
// a QR code printed at 0.5 mm modules), a little closer to a 640×480 one.
double modulePixels(QSize frame, BarcodeFormat format)
{
    if (frame.width() >= 1280)
        return isLinear(format) ? 3.0 : 5.0;
    return isLinear(format) ? 2.2 : 4.0;
}

QImage makeFrame(const TestCode &code, QSize size, Variant variant)
{
    TagStyle style;
    if (variant == Variant::LowContrast || variant == Variant::LowContrastNoise) {
        style.ink = QColor(102, 102, 102);
        style.paper = QColor(153, 153, 153);
    }
    PriceTag tag = priceTag(code.format, code.encoded, style);
    switch (variant) {
    case Variant::FingerOverTop: coverWithFinger(tag, QRectF(0.15, -0.1, 0.5, 0.4)); break;
    case Variant::FingerAcrossMiddle: coverWithFinger(tag, QRectF(0.36, -0.1, 0.28, 1.2)); break;
    case Variant::FingerOnCorner: coverWithFinger(tag, QRectF(0.72, 0.72, 0.4, 0.4)); break;
    default: break;
    }
    double degrees = 0;
    switch (variant) {
    case Variant::Turned5: degrees = 5; break;
    case Variant::Turned15: degrees = 15; break;
    case Variant::Turned30: degrees = 30; break;
    case Variant::Turned90: degrees = 90; break;
    case Variant::Turned180: degrees = 180; break;
    default: break;
    }
    QImage frame = cameraFrame(size, tag, modulePixels(size, code.format), degrees, QPointF(0.45, 0.55));
    switch (variant) {
    case Variant::Blur2: blur(frame, 2); break;
    case Variant::Blur4: blur(frame, 4); break;
    case Variant::Noise: addNoise(frame, 20); break;
    case Variant::HeavyNoise: addNoise(frame, 40); break;
    case Variant::LowContrastNoise: addNoise(frame, 10); break;
    default: break;
    }
    return frame;
}

// The camera's path from a picture to codes.
QList<DecodedBarcode> decodeAsCamera(const QImage &frame)
{
    return BarcodeDecoder().decode(lumaImage(videoFrameFromImage(frame)));
}

enum class Expect { Read, MayRead };

// What ZXing 1.4 can be held to; the rest must read, and does. Where it need not, the test still
// insists that nothing wrong is read, and cleanupTestCase() lists what happened.
Expect expectation(const TestCode &code, QSize size, Variant variant)
{
    const bool linear = isLinear(code.format);
    const bool small = size.width() < 1280;
    switch (variant) {
    case Variant::FingerAcrossMiddle:
        return Expect::MayRead; // a third of the bars (or modules) gone: beyond any decoder
    case Variant::FingerOverTop:
        // Linear symbols read on the rows left uncovered; a QR code loses a finder pattern.
        return linear ? Expect::Read : Expect::MayRead;
    case Variant::FingerOnCorner:
        return Expect::Read; // bars read above the finger; QR's error correction (M) restores the corner
    case Variant::Turned30:
        // One scan row must cross every bar: a symbol wider than about 1.7 times its bar height
        // (Code 128 here) turned 30° has none that does. EAN and UPC bars are tall enough.
        return code.format == BarcodeFormat::Code128 ? Expect::MayRead : Expect::Read;
    case Variant::Blur2:
        // 2.2 px modules blurred by about 1.2 px: the narrow bars of EAN/UPC fade out.
        return linear && small ? Expect::MayRead : Expect::Read;
    case Variant::Blur4:
        // Blurred by about 1.6 px: out of focus beyond what ZXing's row reader takes at either size.
        return linear ? Expect::MayRead : Expect::Read;
    case Variant::HeavyNoise:
        // ZXing sharpens each row before thresholding, which doubles pixel noise: ±40 breaks bars.
        return linear ? Expect::MayRead : Expect::Read;
    case Variant::LowContrastNoise:
        // ZXing's local-average binarizer loses a faded QR code once noise is added.
        return linear ? Expect::Read : Expect::MayRead;
    default:
        return Expect::Read;
    }
}

QString describe(const QList<DecodedBarcode> &found)
{
    QStringList parts;
    for (const DecodedBarcode &b : found)
        parts.append(toString(b.code.format) + QLatin1Char(' ') + b.code.text);
    return parts.isEmpty() ? QStringLiteral("nothing") : parts.join(QLatin1String(", "));
}

} // namespace

class GeneratedBarcodeTest : public QObject
{
    Q_OBJECT

private:
    QStringList m_mayReadOutcomes;

private Q_SLOTS:
    void initTestCase()
    {
        // expectation() and the XFAIL below stand for what ZXing 1.4 reads; another version
        // needs a new look at them.
        qInfo("ZXing-C++ %d.%d.%d", ZXING_VERSION_MAJOR, ZXING_VERSION_MINOR, ZXING_VERSION_PATCH);
    }

    void priceTags_data()
    {
        QTest::addColumn<int>("codeIndex");
        QTest::addColumn<QSize>("frameSize");
        QTest::addColumn<int>("variant");
        for (qsizetype c = 0; c < testCodes().size(); ++c) {
            for (const QSize size : {QSize(1280, 720), QSize(640, 480)}) {
                for (const auto &[variant, name] : kVariantNames) {
                    QTest::addRow("%s %dx%d %s", testCodes().at(c).name, size.width(), size.height(), name)
                        << int(c) << size << int(variant);
                }
            }
        }
    }

    void priceTags()
    {
        QFETCH(int, codeIndex);
        QFETCH(QSize, frameSize);
        QFETCH(int, variant);
        const TestCode &code = testCodes().at(codeIndex);
        const QImage frame = makeFrame(code, frameSize, Variant(variant));
        const QList<DecodedBarcode> found = decodeAsCamera(frame);
        // POPTAP_SCAN_FRAMES=<folder>: keep the frames, to look at what the decoder was shown.
        if (const QString folder = qEnvironmentVariable("POPTAP_SCAN_FRAMES"); !folder.isEmpty())
            frame.save(QStringLiteral("%1/%2.png").arg(folder, QString::fromLatin1(QTest::currentDataTag()).replace(u'/', u'-')));

        // Never anything but the code on the tag, whatever the frame.
        for (const DecodedBarcode &b : found) {
            QCOMPARE(toString(b.code.format), toString(code.readAs));
            QCOMPARE(b.code.text, code.text);
            QVERIFY(b.code.source == ScanSource::Camera);
            QCOMPARE(b.code.productCode(), code.productCode);
            QVERIFY(!b.position.isEmpty());
        }
        QVERIFY(found.size() <= 1);
        if (expectation(code, frameSize, Variant(variant)) == Expect::Read) {
            QVERIFY2(found.size() == 1, qPrintable(QStringLiteral("read %1").arg(describe(found))));
        } else {
            m_mayReadOutcomes.append(QStringLiteral("%1: %2").arg(QString::fromLatin1(QTest::currentDataTag()),
                                                                found.isEmpty() ? QStringLiteral("not read")
                                                                                : QStringLiteral("read")));
        }
    }

    // A 13-digit JAN drawn bar by bar, in the variants below: with its right check digit it
    // reads (the drawing is sound); with a wrong one (ZXing's writer refuses those) it is never
    // reported, and nothing else is read from it either, with one known exception.
    void handDrawnJan_data()
    {
        QTest::addColumn<QString>("digits");
        QTest::addColumn<QSize>("frameSize");
        QTest::addColumn<double>("degrees");
        QTest::addColumn<int>("blurPasses");
        QTest::addColumn<int>("noise");
        for (const QString &digits : {QStringLiteral("4901234567894"), QStringLiteral("4901234567890"),
                                      QStringLiteral("4901234567895"), QStringLiteral("4512345678900")}) {
            for (const QSize size : {QSize(1280, 720), QSize(640, 480)}) {
                const QByteArray d = digits.toLatin1();
                QTest::addRow("%s %dx%d clean", d.constData(), size.width(), size.height()) << digits << size << 0.0 << 0 << 0;
                QTest::addRow("%s %dx%d turned 15°", d.constData(), size.width(), size.height()) << digits << size << 15.0 << 0 << 0;
                QTest::addRow("%s %dx%d turned 180°", d.constData(), size.width(), size.height()) << digits << size << 180.0 << 0 << 0;
                QTest::addRow("%s %dx%d blurred", d.constData(), size.width(), size.height()) << digits << size << 0.0 << 1 << 0;
                QTest::addRow("%s %dx%d noisy", d.constData(), size.width(), size.height()) << digits << size << 0.0 << 0 << 20;
            }
        }
    }

    void handDrawnJan()
    {
        QFETCH(QString, digits);
        QFETCH(QSize, frameSize);
        QFETCH(double, degrees);
        QFETCH(int, blurPasses);
        QFETCH(int, noise);
        const PriceTag tag = priceTagFromModules(ean13Modules(digits));
        QImage frame = cameraFrame(frameSize, tag, modulePixels(frameSize, BarcodeFormat::Ean13), degrees);
        blur(frame, blurPasses);
        if (noise)
            addNoise(frame, noise);
        const QList<DecodedBarcode> found = decodeAsCamera(frame);

        if (validateScannedCode(BarcodeFormat::Ean13, digits, ScanSource::Camera)) {
            QCOMPARE(found.size(), 1);
            QCOMPARE(found.first().code.text, digits);
            return;
        }
        for (const DecodedBarcode &b : found) // the code itself: never, whatever ZXing does
            QVERIFY2(b.code.text != digits, qPrintable(digits));
        // ZXing 1.4 reads this blurred symbol backwards, as another JAN whose check digit happens
        // to be valid (two neighbouring scan lines agree, no third does): a decoder misread that
        // validation cannot see. The same frame with the right digit reads right, because three
        // lines agree on it. Kept visible here; a ZXing that stops misreading fails this XFAIL.
        QEXPECT_FAIL("4901234567895 640x480 blurred", "ZXing 1.4 misreads it as 3128761437808", Continue);
        QVERIFY2(found.isEmpty(), qPrintable(QStringLiteral("%1 read as %2").arg(digits, describe(found))));
    }

    // The bars drawn by hand are the bars ZXing draws: the wrong-digit test prints real EAN-13.
    void handDrawnBarsMatchTheWriter()
    {
        const ZXing::BitMatrix bits
            = ZXing::MultiFormatWriter(ZXing::BarcodeFormat::EAN13).setMargin(0).encode(std::wstring(L"4901234567894"), 0, 1);
        QString written;
        for (int x = 0; x < bits.width(); ++x)
            written += bits.get(x, 0) ? u'1' : u'0';
        QCOMPARE(ean13Modules(QStringLiteral("4901234567894")), written);
    }

    // ZXing's writer, given seven digits, adds the UPC-E check digit from the expanded UPC-A: it
    // agrees with expandUpcE() on every rule of where the zeros go.
    void upcECheckDigitsAgreeWithZXing_data()
    {
        QTest::addColumn<QString>("sevenDigits");
        QTest::addColumn<QString>("upce");
        QTest::addColumn<QString>("upca");
        QTest::newRow("ends in 0") << QStringLiteral("0123450") << QStringLiteral("01234505") << QStringLiteral("012000003455");
        QTest::newRow("ends in 3") << QStringLiteral("0123453") << QStringLiteral("01234531") << QStringLiteral("012300000451");
        QTest::newRow("ends in 4") << QStringLiteral("0123454") << QStringLiteral("01234543") << QStringLiteral("012340000053");
        QTest::newRow("ends in 7") << QStringLiteral("0123457") << QStringLiteral("01234572") << QStringLiteral("012345000072");
        QTest::newRow("number system 1") << QStringLiteral("1987652") << QStringLiteral("19876520") << QStringLiteral("198200007650");
    }

    void upcECheckDigitsAgreeWithZXing()
    {
        QFETCH(QString, sevenDigits);
        QFETCH(QString, upce);
        QFETCH(QString, upca);
        const PriceTag tag = priceTag(BarcodeFormat::UpcE, sevenDigits);
        const QList<DecodedBarcode> found = decodeAsCamera(cameraFrame(QSize(640, 480), tag, 2.2));
        QCOMPARE(found.size(), 1);
        QCOMPARE(found.first().code.text, upce);
        QCOMPARE(found.first().code.productCode(), upca);
    }

    // ZXing reports an EAN-13 that starts with 0 as the UPC-A it is; the product code is the same
    // GTIN either way (the catalog compares GTIN-14).
    void leadingZeroEan13ReadsAsUpcA()
    {
        const PriceTag tag = priceTag(BarcodeFormat::Ean13, QStringLiteral("0036000291452"));
        const QSize size(1280, 720);
        const QList<DecodedBarcode> found = decodeAsCamera(cameraFrame(size, tag, modulePixels(size, BarcodeFormat::Ean13)));
        QCOMPARE(found.size(), 1);
        QCOMPARE(toString(found.first().code.format), toString(BarcodeFormat::UpcA));
        QCOMPARE(found.first().code.text, QStringLiteral("036000291452"));
    }

    // Backgrounds, noise and blur alone never turn into a code.
    void emptyFramesReadNothing()
    {
        for (const QSize size : {QSize(1280, 720), QSize(640, 480)}) {
            QImage frame = emptyFrame(size);
            QCOMPARE(decodeAsCamera(frame).size(), 0);
            addNoise(frame, 60, 7);
            QCOMPARE(decodeAsCamera(frame).size(), 0);
            blur(frame, 2);
            QCOMPARE(decodeAsCamera(frame).size(), 0);
        }
    }

    // Two codes on one tag (a JAN and a QR link): both read from one frame.
    void janAndQrInOneFrame()
    {
        const PriceTag jan = priceTag(BarcodeFormat::Ean13, QStringLiteral("4901234567894"));
        const PriceTag qr = priceTag(BarcodeFormat::QrCode, QStringLiteral("https://example.com/p/4901234567894"));
        QImage frame = cameraFrame(QSize(1280, 720), jan, 3.0, 0, QPointF(0.3, 0.5));
        placeTag(frame, qr, 5.0, -8, QPointF(0.75, 0.5));
        const QList<DecodedBarcode> found = decodeAsCamera(frame);
        QCOMPARE(found.size(), 2);
        QStringList texts;
        for (const DecodedBarcode &b : found)
            texts.append(b.code.text);
        texts.sort();
        QCOMPARE(texts, QStringList({QStringLiteral("4901234567894"), QStringLiteral("https://example.com/p/4901234567894")}));
    }

    void cleanupTestCase()
    {
        // Where ZXing is not held to a read, what it did (the documentation of those cases).
        for (const QString &outcome : std::as_const(m_mayReadOutcomes))
            qInfo().noquote() << "not required:" << outcome;
    }
};

QTEST_MAIN(GeneratedBarcodeTest)
#include "generatedbarcodetest.moc"
