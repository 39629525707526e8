#include "screenqr.h"

#define ZX_USE_UTF8
#include <ReadBarcode.h>

#include <algorithm>

namespace poptap::test {
namespace {
constexpr int kFinderModules = 7;
constexpr int kQuietZoneModules = 4;

bool isDark(QRgb pixel)
{
    return qGray(pixel) < 128;
}
} // namespace

ScreenQr decodeScreenQr(const QImage &screenshot)
{
    const QImage gray = screenshot.convertToFormat(QImage::Format_Grayscale8);
    const ZXing::ImageView view(gray.constBits(), gray.width(), gray.height(), ZXing::ImageFormat::Lum,
                                int(gray.bytesPerLine()));
    ZXing::DecodeHints hints;
    hints.setFormats(ZXing::BarcodeFormat::QRCode);
    const ZXing::Result result = ZXing::ReadBarcode(view, hints);
    ScreenQr qr;
    if (!result.isValid())
        return qr;
    qr.found = true;
    qr.text = QString::fromStdString(result.text());
    qr.ecLevel = QString::fromStdString(result.ecLevel());
    const auto &p = result.position();
    const auto xs = {p.topLeft().x, p.topRight().x, p.bottomRight().x, p.bottomLeft().x};
    const auto ys = {p.topLeft().y, p.topRight().y, p.bottomRight().y, p.bottomLeft().y};
    qr.bounds = QRect(QPoint(std::min(xs), std::min(ys)), QPoint(std::max(xs), std::max(ys)));
    return qr;
}

QrGrid inspectQrGrid(const QImage &screenshot, const QRect &near)
{
    QrGrid grid;
    const QImage image = screenshot.convertToFormat(QImage::Format_RGB32);
    // ZXing's corners lie within a module of the symbol's edge; the quiet zone around
    // it holds no dark pixel, so the dark pixels near it are exactly the symbol.
    const QRect area = near.adjusted(-12, -12, 12, 12) & image.rect();
    int left = area.right(), top = area.bottom(), right = area.left(), bottom = area.top();
    for (int y = area.top(); y <= area.bottom(); ++y) {
        const auto *line = reinterpret_cast<const QRgb *>(image.constScanLine(y));
        for (int x = area.left(); x <= area.right(); ++x) {
            if (isDark(line[x])) {
                left = std::min(left, x);
                right = std::max(right, x);
                top = std::min(top, y);
                bottom = std::max(bottom, y);
            }
        }
    }
    if (right < left) {
        grid.problem = QStringLiteral("no dark pixels near the decoded code");
        return grid;
    }
    grid.symbol = QRect(QPoint(left, top), QPoint(right, bottom));

    int run = 0;
    while (left + run <= right && isDark(image.pixel(left + run, top)))
        ++run;
    if (run % kFinderModules != 0) {
        grid.problem = QStringLiteral("the top edge of the finder pattern is %1 px, not 7 whole modules").arg(run);
        return grid;
    }
    const int m = run / kFinderModules;
    grid.modulePixels = m;
    if (grid.symbol.width() != grid.symbol.height() || grid.symbol.width() % m != 0) {
        grid.problem = QStringLiteral("the symbol is %1×%2 px, not a square of whole %3 px modules")
                           .arg(grid.symbol.width()).arg(grid.symbol.height()).arg(m);
        return grid;
    }
    grid.modules = grid.symbol.width() / m;
    if (grid.modules < 21 || (grid.modules - 17) % 4 != 0) {
        grid.problem = QStringLiteral("%1 modules per side is no QR code size").arg(grid.modules);
        return grid;
    }

    const QRect withQuietZone = grid.symbol.adjusted(-kQuietZoneModules * m, -kQuietZoneModules * m,
                                                     kQuietZoneModules * m, kQuietZoneModules * m);
    if (!image.rect().contains(withQuietZone)) {
        grid.problem = QStringLiteral("the quiet zone does not fit on screen");
        return grid;
    }
    const QRgb background = image.pixel(withQuietZone.topLeft());
    for (int y = withQuietZone.top(); y <= withQuietZone.bottom(); ++y) {
        for (int x = withQuietZone.left(); x <= withQuietZone.right(); ++x) {
            const QRgb pixel = image.pixel(x, y);
            grid.colours.insert(pixel);
            if (!grid.symbol.contains(x, y) && pixel != background && grid.problem.isEmpty())
                grid.problem = QStringLiteral("the quiet zone is not clean at (%1,%2)").arg(x).arg(y);
        }
    }
    for (int row = 0; row < grid.modules && grid.problem.isEmpty(); ++row) {
        for (int col = 0; col < grid.modules && grid.problem.isEmpty(); ++col) {
            const QRect module(left + col * m, top + row * m, m, m);
            const QRgb expected = image.pixel(module.topLeft());
            for (int y = module.top(); y <= module.bottom() && grid.problem.isEmpty(); ++y)
                for (int x = module.left(); x <= module.right(); ++x)
                    if (image.pixel(x, y) != expected) {
                        grid.problem = QStringLiteral("module (%1,%2) is not one uniform block: pixel (%3,%4)")
                                           .arg(col).arg(row).arg(x).arg(y);
                        break;
                    }
        }
    }
    if (grid.problem.isEmpty() && grid.colours.size() != 2)
        grid.problem = QStringLiteral("the code area has %1 colours, not 2").arg(grid.colours.size());
    return grid;
}

} // namespace poptap::test
