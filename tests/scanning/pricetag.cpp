#include "pricetag.h"

#include <ZXing/BitMatrix.h>
#include <ZXing/MultiFormatWriter.h>

#include <QPainter>
#include <QPainterPath>
#include <QRadialGradient>
#include <QRandomGenerator>
#include <QTransform>

#include <cmath>
#include <cstring>
#include <stdexcept>

namespace poptap::testing {
namespace {

ZXing::BarcodeFormat zxingFormat(BarcodeFormat format)
{
    switch (format) {
    case BarcodeFormat::Ean13: return ZXing::BarcodeFormat::EAN13;
    case BarcodeFormat::Ean8: return ZXing::BarcodeFormat::EAN8;
    case BarcodeFormat::UpcA: return ZXing::BarcodeFormat::UPCA;
    case BarcodeFormat::UpcE: return ZXing::BarcodeFormat::UPCE;
    case BarcodeFormat::Code128: return ZXing::BarcodeFormat::Code128;
    case BarcodeFormat::QrCode: return ZXing::BarcodeFormat::QRCode;
    }
    return ZXing::BarcodeFormat::None;
}

// Quiet zones in modules: GS1 asks 11/7 for EAN-13 (we give 11 both sides), 10 for Code 128,
// 4 for QR.
int quietZone(bool matrix)
{
    return matrix ? 4 : 11;
}

// Draws `rows` × `columns` modules (`dark(x, y)`) with a quiet zone onto a label with a price
// and a name beside or below it.
template<typename Dark>
PriceTag drawTag(int columns, int rows, bool matrix, Dark dark, const TagStyle &style)
{
    const int quiet = quietZone(matrix);
    const int m = style.module;
    const int symbolW = (columns + 2 * quiet) * m;
    // Bars as tall as GS1 prints them: 69 modules on an EAN-13 or UPC-A (22.85 mm at 0.33 mm),
    // in proportion on shorter symbols, no taller on longer ones (a GS1-128 label: 64).
    const int barRows = matrix ? rows : std::min(69, int(std::lround(columns * 0.73)));
    const int symbolH = (barRows + 2 * (matrix ? quiet : 3)) * m;
    const int margin = 4 * m;
    const int textBlock = 16 * m;

    PriceTag tag;
    tag.modules = columns + 2 * quiet;
    tag.image = QImage(symbolW + 2 * margin, symbolH + textBlock + 2 * margin, QImage::Format_RGB32);
    tag.image.fill(style.paper);
    tag.symbol = QRect(margin, margin + textBlock, symbolW, symbolH);

    QPainter p(&tag.image);
    p.setPen(Qt::NoPen);
    // "Name" and "price": grey blocks, no fonts needed.
    p.setBrush(QColor(90, 90, 90));
    p.drawRect(margin, margin, symbolW * 2 / 3, 4 * m);
    p.setBrush(QColor(200, 40, 40));
    p.drawRect(margin, margin + 7 * m, symbolW / 3, 6 * m);

    p.setBrush(style.ink);
    const int x0 = tag.symbol.x() + quiet * m;
    const int y0 = tag.symbol.y() + (matrix ? quiet : 3) * m;
    for (int y = 0; y < (matrix ? rows : 1); ++y) {
        for (int x = 0; x < columns; ++x) {
            if (dark(x, y))
                p.drawRect(x0 + x * m, y0 + y * m, m, matrix ? m : barRows * m);
        }
    }
    return tag;
}

// A wooden counter top with a few shadows: texture for a binarizer to chew on, and no stripes
// regular enough to look like bars.
void paintBackground(QImage &frame)
{
    QRandomGenerator random(42);
    for (int y = 0; y < frame.height(); ++y) {
        auto *line = reinterpret_cast<QRgb *>(frame.scanLine(y));
        for (int x = 0; x < frame.width(); ++x) {
            const double grain = std::sin(x * 0.021 + 3 * std::sin(y * 0.013)) + 0.5 * std::sin(y * 0.17 + x * 0.003);
            const int base = 120 + int(25 * grain) + int(random.bounded(12));
            line[x] = qRgb(std::clamp(base + 40, 0, 255), std::clamp(base + 10, 0, 255), std::clamp(base - 30, 0, 255));
        }
    }
    QPainter p(&frame);
    p.setRenderHint(QPainter::Antialiasing);
    p.setPen(Qt::NoPen);
    p.setBrush(QColor(30, 30, 60, 90));
    p.drawEllipse(QRectF(frame.width() * 0.72, frame.height() * 0.1, frame.width() * 0.3, frame.height() * 0.25));
    p.setBrush(QColor(240, 240, 255, 70));
    p.drawRect(QRectF(frame.width() * 0.05, frame.height() * 0.7, frame.width() * 0.2, frame.height() * 0.2));
}

} // namespace

PriceTag priceTag(BarcodeFormat format, const QString &text, const TagStyle &style)
{
    const bool matrix = format == BarcodeFormat::QrCode;
    const ZXing::BitMatrix bits = ZXing::MultiFormatWriter(zxingFormat(format))
                                      .setMargin(0)
                                      .encode(text.toStdWString(), 0, matrix ? 0 : 1);
    return drawTag(bits.width(), bits.height(), matrix, [&](int x, int y) { return bits.get(x, y); }, style);
}

PriceTag priceTagFromModules(const QString &modules, const TagStyle &style)
{
    return drawTag(int(modules.size()), 1, false, [&](int x, int) { return modules.at(x) == u'1'; }, style);
}

QString ean13Modules(const QString &digits)
{
    if (digits.size() != 13)
        throw std::invalid_argument("EAN-13 has 13 digits");
    static const char *const odd[] = {"0001101", "0011001", "0010011", "0111101", "0100011",
                                      "0110001", "0101111", "0111011", "0110111", "0001011"};
    static const char *const even[] = {"0100111", "0110011", "0011011", "0100001", "0011101",
                                       "0111001", "0000101", "0010001", "0001001", "0010111"};
    // The first digit is not drawn: it chooses which of the next six use the even set.
    static const char *const parity[] = {"OOOOOO", "OOEOEE", "OOEEOE", "OOEEEO", "OEOOEE",
                                         "OEEOOE", "OEEEOO", "OEOEOE", "OEOEEO", "OEEOEO"};
    auto digit = [&](int i) { return digits.at(i).unicode() - u'0'; };
    QString modules = QStringLiteral("101");
    for (int i = 1; i <= 6; ++i)
        modules += QLatin1String(parity[digit(0)][i - 1] == 'O' ? odd[digit(i)] : even[digit(i)]);
    modules += QStringLiteral("01010");
    for (int i = 7; i <= 12; ++i) {
        for (const char c : QByteArray(odd[digit(i)]))
            modules += c == '0' ? u'1' : u'0'; // right half: the odd set inverted
    }
    modules += QStringLiteral("101");
    return modules;
}

void coverWithFinger(PriceTag &tag, const QRectF &part)
{
    const QRectF r(tag.symbol.x() + part.x() * tag.symbol.width(), tag.symbol.y() + part.y() * tag.symbol.height(),
                   part.width() * tag.symbol.width(), part.height() * tag.symbol.height());
    QPainter p(&tag.image);
    p.setRenderHint(QPainter::Antialiasing);
    p.setPen(Qt::NoPen);
    QRadialGradient skin(r.center() - QPointF(r.width() * 0.15, r.height() * 0.15), std::max(r.width(), r.height()) * 0.7);
    skin.setColorAt(0, QColor(238, 196, 170));
    skin.setColorAt(0.8, QColor(205, 150, 125));
    skin.setColorAt(1, QColor(150, 100, 85));
    p.setBrush(skin);
    p.drawRoundedRect(r, std::min(r.width(), r.height()) * 0.45, std::min(r.width(), r.height()) * 0.45);
}

QImage emptyFrame(QSize size)
{
    QImage frame(size, QImage::Format_RGB32);
    paintBackground(frame);
    return frame;
}

QImage cameraFrame(QSize size, const PriceTag &tag, double modulePixels, double degrees, QPointF center)
{
    QImage frame = emptyFrame(size);
    placeTag(frame, tag, modulePixels, degrees, center);
    return frame;
}

void placeTag(QImage &frame, const PriceTag &tag, double modulePixels, double degrees, QPointF center)
{
    const double scale = modulePixels * tag.modules / tag.symbol.width();
    QPainter p(&frame);
    p.setRenderHints(QPainter::Antialiasing | QPainter::SmoothPixmapTransform);
    p.translate(center.x() * frame.width(), center.y() * frame.height());
    p.rotate(degrees);
    p.scale(scale, scale);
    const QPointF topLeft(-tag.image.width() / 2.0, -tag.image.height() / 2.0);
    // A soft shadow under the label, then the label.
    p.setPen(Qt::NoPen);
    p.setBrush(QColor(0, 0, 0, 60));
    p.drawRect(QRectF(topLeft + QPointF(8, 10), QSizeF(tag.image.size())));
    p.drawImage(topLeft, tag.image);
}

QVideoFrame nv12Frame(const QImage &frame)
{
    const QImage luma = frame.convertToFormat(QImage::Format_Grayscale8);
    QVideoFrame video(QVideoFrameFormat(luma.size(), QVideoFrameFormat::Format_NV12));
    if (!video.map(QVideoFrame::WriteOnly))
        return {};
    for (int y = 0; y < luma.height(); ++y)
        std::memcpy(video.bits(0) + qsizetype(y) * video.bytesPerLine(0), luma.constScanLine(y), size_t(luma.width()));
    std::memset(video.bits(1), 128, size_t(video.mappedBytes(1)));
    video.unmap();
    return video;
}

void blur(QImage &frame, int passes)
{
    frame = frame.convertToFormat(QImage::Format_RGB32);
    const int w = frame.width();
    const int h = frame.height();
    for (int pass = 0; pass < passes; ++pass) {
        const QImage src = frame.copy();
        for (int y = 0; y < h; ++y) {
            auto *out = reinterpret_cast<QRgb *>(frame.scanLine(y));
            for (int x = 0; x < w; ++x) {
                int r = 0, g = 0, b = 0;
                for (int dy = -1; dy <= 1; ++dy) {
                    const auto *in = reinterpret_cast<const QRgb *>(src.constScanLine(std::clamp(y + dy, 0, h - 1)));
                    for (int dx = -1; dx <= 1; ++dx) {
                        const QRgb c = in[std::clamp(x + dx, 0, w - 1)];
                        r += qRed(c);
                        g += qGreen(c);
                        b += qBlue(c);
                    }
                }
                out[x] = qRgb(r / 9, g / 9, b / 9);
            }
        }
    }
}

void addNoise(QImage &frame, int amplitude, quint32 seed)
{
    frame = frame.convertToFormat(QImage::Format_RGB32);
    QRandomGenerator random(seed);
    for (int y = 0; y < frame.height(); ++y) {
        auto *line = reinterpret_cast<QRgb *>(frame.scanLine(y));
        for (int x = 0; x < frame.width(); ++x) {
            // The same offset on all channels: luminance noise, what a small sensor shows most.
            const int n = int(random.bounded(2 * amplitude + 1)) - amplitude;
            const QRgb c = line[x];
            line[x] = qRgb(std::clamp(qRed(c) + n, 0, 255), std::clamp(qGreen(c) + n, 0, 255), std::clamp(qBlue(c) + n, 0, 255));
        }
    }
}

} // namespace poptap::testing
