#define ZX_USE_UTF8
#include "qrencoder.h"

#include <ZXing/ReadBarcode.h>

#include <QTest>

using namespace poptap;

namespace {

// Renders the matrix at 4 px per module with a 4-module quiet zone and reads it back.
ZXing::Result decode(const QrMatrix &m)
{
    constexpr int scale = 4;
    const int side = (m.size + 8) * scale;
    std::vector<uint8_t> pixels(std::size_t(side) * std::size_t(side), 255);
    for (int y = 0; y < m.size; ++y)
        for (int x = 0; x < m.size; ++x)
            if (m.isDark(x, y))
                for (int dy = 0; dy < scale; ++dy)
                    for (int dx = 0; dx < scale; ++dx)
                        pixels[std::size_t((4 + y) * scale + dy) * std::size_t(side) + std::size_t((4 + x) * scale + dx)] = 0;
    const ZXing::ImageView image(pixels.data(), side, side, ZXing::ImageFormat::Lum);
    return ZXing::ReadBarcode(image, ZXing::DecodeHints().setFormats(ZXing::BarcodeFormat::QRCode));
}

} // namespace

class QrEncoderTest : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void liffLinkFitsVersion5AtLevelM()
    {
        // The longest link a kiosk shows: LIFF id of 19 characters and a 40-character token.
        const QString link = QStringLiteral("https://liff.line.me/2001234567-PopTapDm/r/EZjqTKwAAQAAAAEAAAAHawKRZBipNkj5Ir8uv-El");
        const QrMatrix m = encodeQr(link);
        QVERIFY2(m.isValid(), qPrintable(m.error));
        QVERIFY2(m.version() <= 5, qPrintable(QString::number(m.version())));
        const ZXing::Result r = decode(m);
        QVERIFY(r.isValid());
        QCOMPARE(QString::fromStdString(r.text()), link);
        QCOMPARE(QString::fromStdString(r.ecLevel()), QStringLiteral("M"));
        // No ECI header: the character set was left unset for an ASCII link.
        QVERIFY(!r.hasECI());
    }

    void overLongTextIsAnErrorNotACode()
    {
        const QrMatrix m = encodeQr(QString(kMaxQrTextLength + 1, u'a'));
        QVERIFY(!m.isValid());
        QVERIFY(m.error.contains(QStringLiteral("too long")));
        QVERIFY(!encodeQr(QString()).isValid());
    }

    void nonAsciiTextIsRefused()
    {
        // Links arrive percent-encoded; raw Japanese would need an ECI header.
        const QrMatrix m = encodeQr(QStringLiteral("https://line.me/R/oaMessage/%40poptap-demo/?新着"));
        QVERIFY(!m.isValid());
        QVERIFY2(m.error.contains(QStringLiteral("ASCII")), qPrintable(m.error));
        const QString encoded = QStringLiteral("https://line.me/R/oaMessage/%40poptap-demo/?%E6%96%B0%E7%9D%80");
        QCOMPARE(QString::fromStdString(decode(encodeQr(encoded)).text()), encoded);
    }
};

QTEST_GUILESS_MAIN(QrEncoderTest)
#include "qrencodertest.moc"
