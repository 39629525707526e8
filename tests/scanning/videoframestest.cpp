// Video frames to luminance and pictures to video frames: every pixel format Qt 6.4 can hand the
// decoder, built byte by byte, must give back the luminance it was built with.
#include "videoframes.h"

#include <QBuffer>
#include <QSet>
#include <QTest>
#include <QVideoFrameFormat>

using namespace poptap;
using F = QVideoFrameFormat;

namespace {

// Odd sizes (strides wider than the rows) for the one-plane formats; Qt 6.4 sizes the chroma
// planes of odd-sized YUV frames too small, and cameras deliver even sizes anyway.
const QSize kSize(37, 21);
const QSize kYuvSize(38, 22);

// A pattern with bars, a ramp and both extremes.
uchar lumaAt(int x, int y)
{
    if (y < 3)
        return (x / 3) % 2 ? 235 : 16;
    return uchar((x * 7 + y * 11) % 256);
}

QImage expectedLuma(QSize size = kSize)
{
    QImage image(size, QImage::Format_Grayscale8);
    for (int y = 0; y < size.height(); ++y)
        for (int x = 0; x < size.width(); ++x)
            image.scanLine(y)[x] = lumaAt(x, y);
    return image;
}

// A YUV frame of `format` with lumaAt() in its Y samples and neutral chroma.
QVideoFrame yuvFrame(F::PixelFormat format)
{
    QVideoFrame frame{F(kYuvSize, format)};
    if (!frame.map(QVideoFrame::WriteOnly))
        return {};
    for (int plane = 0; plane < frame.planeCount(); ++plane)
        std::memset(frame.bits(plane), 128, size_t(frame.mappedBytes(plane)));
    for (int y = 0; y < kYuvSize.height(); ++y) {
        uchar *row = frame.bits(0) + qsizetype(y) * frame.bytesPerLine(0);
        for (int x = 0; x < kYuvSize.width(); ++x) {
            const uchar v = lumaAt(x, y);
            switch (format) {
            case F::Format_YUYV: row[2 * x] = v; break;
            case F::Format_UYVY: row[2 * x + 1] = v; break;
            case F::Format_AYUV:
            case F::Format_AYUV_Premultiplied:
                row[4 * x] = 255;
                row[4 * x + 1] = v;
                break;
            case F::Format_Y16:
            case F::Format_P010:
            case F::Format_P016: // little-endian, value in the high bits
                row[2 * x] = 0;
                row[2 * x + 1] = v;
                break;
            default: row[x] = v; break;
            }
        }
    }
    frame.unmap();
    return frame;
}

struct Rgb {
    int r, g, b;
};

Rgb colourAt(int x, int y)
{
    return {(x * 37 + y * 5) % 256, (x * 13 + y * 29) % 256, (x * 3 + y * 71) % 256};
}

int bt601(Rgb c)
{
    return (306 * c.r + 601 * c.g + 117 * c.b + 0x200) >> 10;
}

// A 32-bit RGB frame of `format`: `order` gives the byte of R, G, B and A/X in memory.
QVideoFrame rgbFrame(F::PixelFormat format, std::array<int, 4> order)
{
    QVideoFrame frame{F(kSize, format)};
    if (!frame.map(QVideoFrame::WriteOnly))
        return {};
    for (int y = 0; y < kSize.height(); ++y) {
        uchar *row = frame.bits(0) + qsizetype(y) * frame.bytesPerLine(0);
        for (int x = 0; x < kSize.width(); ++x) {
            const Rgb c = colourAt(x, y);
            row[4 * x + order[0]] = uchar(c.r);
            row[4 * x + order[1]] = uchar(c.g);
            row[4 * x + order[2]] = uchar(c.b);
            row[4 * x + order[3]] = 255;
        }
    }
    frame.unmap();
    return frame;
}

int maxDifference(const QImage &a, const QImage &b)
{
    int worst = 0;
    for (int y = 0; y < a.height(); ++y)
        for (int x = 0; x < a.width(); ++x)
            worst = std::max(worst, std::abs(int(a.constScanLine(y)[x]) - int(b.constScanLine(y)[x])));
    return worst;
}

} // namespace

class VideoFramesTest : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    // YUV420P10 is handled too (16-bit samples, 10 significant), but Qt 6.4 gives a frame it
    // allocates itself 8-bit strides, so one cannot be built here; it comes from FFmpeg.
    void yuvFormatsGiveTheirLuma_data()
    {
        QTest::addColumn<int>("format");
        for (const F::PixelFormat format :
             {F::Format_NV12, F::Format_NV21, F::Format_YUV420P, F::Format_YUV422P, F::Format_YV12, F::Format_IMC1,
              F::Format_IMC2, F::Format_IMC3, F::Format_IMC4, F::Format_Y8, F::Format_YUYV, F::Format_UYVY,
              F::Format_AYUV, F::Format_AYUV_Premultiplied, F::Format_Y16, F::Format_P010, F::Format_P016})
            QTest::newRow(qPrintable(F::pixelFormatToString(format))) << int(format);
    }

    void yuvFormatsGiveTheirLuma()
    {
        QFETCH(int, format);
        const QVideoFrame frame = yuvFrame(F::PixelFormat(format));
        QVERIFY(frame.isValid());
        const QImage luma = lumaImage(frame);
        QCOMPARE(luma.format(), QImage::Format_Grayscale8);
        QCOMPARE(luma.size(), kYuvSize);
        QCOMPARE(maxDifference(luma, expectedLuma(kYuvSize)), 0);
    }

    // The decode worker's path: the same luminance, and for an 8-bit Y plane the plane itself,
    // mapped while the FrameLuma lives and no longer.
    void frameLumaReadsTheYPlaneInPlace_data() { yuvFormatsGiveTheirLuma_data(); }

    void frameLumaReadsTheYPlaneInPlace()
    {
        QFETCH(int, format);
        const QSet<int> yPlaneFormats{F::Format_NV12, F::Format_NV21, F::Format_YUV420P, F::Format_YUV422P,
                                      F::Format_YV12, F::Format_IMC1, F::Format_IMC2, F::Format_IMC3,
                                      F::Format_IMC4, F::Format_Y8};
        const QVideoFrame frame = yuvFrame(F::PixelFormat(format));
        QVERIFY(frame.isValid());
        {
            const FrameLuma luma(frame);
            QCOMPARE(luma.image().format(), QImage::Format_Grayscale8);
            QCOMPARE(luma.image().size(), kYuvSize);
            QCOMPARE(maxDifference(luma.image(), expectedLuma(kYuvSize)), 0);
            QVERIFY(frame.isMapped());
            QCOMPARE(luma.image().constBits() == frame.bits(0), yPlaneFormats.contains(format));
        }
        QVERIFY(!frame.isMapped());
    }

    // Qt's own conversion agrees on where the Y samples are: bright where ours is bright.
    void yuvLayoutAgreesWithQt_data() { yuvFormatsGiveTheirLuma_data(); }

    void yuvLayoutAgreesWithQt()
    {
        QFETCH(int, format);
        if (format == F::Format_YUV422P)
            QSKIP("Qt 6.4's own YUV422P conversion corrupts the heap (its plane strides disagree)");
        const QVideoFrame frame = yuvFrame(F::PixelFormat(format));
        const QImage qt = frame.toImage().convertToFormat(QImage::Format_Grayscale8);
        QVERIFY(!qt.isNull());
        const QImage ours = lumaImage(frame);
        // On the bar rows (16 and 235) Qt's picture must be dark and bright in the same places.
        for (int x = 0; x < kYuvSize.width(); ++x) {
            const bool bright = ours.constScanLine(1)[x] > 128;
            QVERIFY2((qt.constScanLine(1)[x] > 128) == bright, qPrintable(QStringLiteral("column %1").arg(x)));
        }
    }

    void rgbFormatsGiveBt601Luma_data()
    {
        QTest::addColumn<int>("format");
        QTest::addColumn<QList<int>>("order"); // bytes of R, G, B, A in memory
        QTest::newRow("ARGB8888") << int(F::Format_ARGB8888) << QList<int>{1, 2, 3, 0};
        QTest::newRow("ARGB8888 premultiplied") << int(F::Format_ARGB8888_Premultiplied) << QList<int>{1, 2, 3, 0};
        QTest::newRow("XRGB8888") << int(F::Format_XRGB8888) << QList<int>{1, 2, 3, 0};
        QTest::newRow("BGRA8888") << int(F::Format_BGRA8888) << QList<int>{2, 1, 0, 3};
        QTest::newRow("BGRA8888 premultiplied") << int(F::Format_BGRA8888_Premultiplied) << QList<int>{2, 1, 0, 3};
        QTest::newRow("BGRX8888") << int(F::Format_BGRX8888) << QList<int>{2, 1, 0, 3};
        QTest::newRow("ABGR8888") << int(F::Format_ABGR8888) << QList<int>{3, 2, 1, 0};
        QTest::newRow("XBGR8888") << int(F::Format_XBGR8888) << QList<int>{3, 2, 1, 0};
        QTest::newRow("RGBA8888") << int(F::Format_RGBA8888) << QList<int>{0, 1, 2, 3};
        QTest::newRow("RGBX8888") << int(F::Format_RGBX8888) << QList<int>{0, 1, 2, 3};
    }

    void rgbFormatsGiveBt601Luma()
    {
        QFETCH(int, format);
        QFETCH(QList<int>, order);
        const QVideoFrame frame = rgbFrame(F::PixelFormat(format), {order[0], order[1], order[2], order[3]});
        QVERIFY(frame.isValid());
        const QImage luma = lumaImage(frame);
        QCOMPARE(luma.size(), kSize);
        for (int y = 0; y < kSize.height(); ++y)
            for (int x = 0; x < kSize.width(); ++x)
                QCOMPARE(int(luma.constScanLine(y)[x]), bt601(colourAt(x, y)));
        {
            const FrameLuma converted(frame); // no plane to read in place: the same conversion
            QCOMPARE(converted.image(), luma);
        }
        // Qt reads the same colours out of the frame: the byte orders above are Qt's.
        const QImage qt = frame.toImage();
        QVERIFY(!qt.isNull());
        for (int y = 0; y < kSize.height(); ++y) {
            for (int x = 0; x < kSize.width(); ++x) {
                const QRgb c = qt.pixel(x, y);
                QVERIFY(std::abs(int(luma.constScanLine(y)[x]) - bt601({qRed(c), qGreen(c), qBlue(c)})) <= 1);
            }
        }
    }

    void motionJpegFrame()
    {
        QImage picture(kSize, QImage::Format_RGB32);
        for (int y = 0; y < kSize.height(); ++y)
            for (int x = 0; x < kSize.width(); ++x)
                picture.setPixel(x, y, x < kSize.width() / 2 ? qRgb(20, 20, 20) : qRgb(230, 230, 230));
        QByteArray jpeg;
        QBuffer buffer(&jpeg);
        buffer.open(QIODevice::WriteOnly);
        QVERIFY(picture.save(&buffer, "JPEG", 95));
        QVideoFrame frame{F(kSize, F::Format_Jpeg)};
        QVERIFY(frame.map(QVideoFrame::WriteOnly));
        QVERIFY(frame.mappedBytes(0) >= jpeg.size());
        std::memset(frame.bits(0), 0, size_t(frame.mappedBytes(0)));
        std::memcpy(frame.bits(0), jpeg.constData(), size_t(jpeg.size()));
        frame.unmap();
        const QImage luma = lumaImage(frame);
        QCOMPARE(luma.size(), kSize);
        QVERIFY(luma.constScanLine(10)[2] < 60);
        QVERIFY(luma.constScanLine(10)[kSize.width() - 3] > 190);
    }

    void unusableFramesGiveNothing()
    {
        QVERIFY(lumaImage(QVideoFrame()).isNull());
        QVERIFY(lumaImage(QVideoFrame(F(kSize, F::Format_SamplerExternalOES))).isNull());
        QVERIFY(FrameLuma(QVideoFrame()).image().isNull());
        QVERIFY(FrameLuma(QVideoFrame(F(kSize, F::Format_SamplerExternalOES))).image().isNull());
    }

    // A picture becomes an RGBX frame, whatever its format, and comes back as its luminance.
    void picturesRoundTrip_data()
    {
        QTest::addColumn<int>("imageFormat");
        QTest::newRow("RGB32") << int(QImage::Format_RGB32);
        QTest::newRow("ARGB32") << int(QImage::Format_ARGB32);
        QTest::newRow("RGB888") << int(QImage::Format_RGB888);
        QTest::newRow("Grayscale8") << int(QImage::Format_Grayscale8);
        QTest::newRow("Indexed8") << int(QImage::Format_Indexed8);
    }

    void picturesRoundTrip()
    {
        QFETCH(int, imageFormat);
        QImage picture(kSize, QImage::Format_RGB32);
        for (int y = 0; y < kSize.height(); ++y)
            for (int x = 0; x < kSize.width(); ++x)
                picture.setPixel(x, y, qRgb(lumaAt(x, y), lumaAt(x, y), lumaAt(x, y)));
        picture = picture.convertToFormat(QImage::Format(imageFormat));
        const QVideoFrame frame = videoFrameFromImage(picture);
        QVERIFY(frame.isValid());
        QCOMPARE(frame.pixelFormat(), F::Format_RGBX8888);
        QCOMPARE(frame.size(), kSize);
        const QImage luma = lumaImage(frame);
        // Indexed8 keeps at most 256 colours of a grey ramp: exact; the rest exact, too.
        QVERIFY(maxDifference(luma, expectedLuma()) <= 1);
    }

    // Paper shows through transparency: a barcode printed on a transparent PNG reads as on paper.
    void transparencyIsWhite()
    {
        QImage picture(kSize, QImage::Format_ARGB32);
        picture.fill(Qt::transparent);
        picture.setPixel(5, 5, qRgba(0, 0, 0, 255));
        const QImage luma = lumaImage(videoFrameFromImage(picture));
        QCOMPARE(int(luma.constScanLine(0)[0]), 255);
        QCOMPARE(int(luma.constScanLine(5)[5]), 0);
    }

    void nullPictureGivesNoFrame()
    {
        QVERIFY(!videoFrameFromImage(QImage()).isValid());
    }
};

QTEST_MAIN(VideoFramesTest)
#include "videoframestest.moc"
