#pragma once

// Pictures of barcodes as a kiosk camera sees them: a shelf label held up in front of a textured
// background, scaled, turned, blurred, noisy, partly covered by a finger. The symbols come from
// ZXing's writer (or, for codes it refuses to write, from bars given module by module).

#include "scannedcode.h"

#include <QColor>
#include <QImage>
#include <QRect>
#include <QSize>
#include <QString>
#include <QVideoFrame>

namespace poptap::testing {

struct TagStyle {
    QColor ink = QColor(20, 20, 20);
    QColor paper = QColor(250, 250, 244);
    int module = 6; // pixels per module on the label, before the camera scales it
};

// A shelf label: the symbol with its quiet zone, a price and a name (grey bars) beside it.
struct PriceTag {
    QImage image;
    QRect symbol;    // the symbol, quiet zone included, in `image`
    int modules = 0; // the symbol's width in modules, quiet zone included
};

// A label with `text` encoded as `format` by ZXing's writer (for Code 128, U+00F1 stands for FNC1).
PriceTag priceTag(BarcodeFormat format, const QString &text, const TagStyle &style = {});
// A label with a linear symbol drawn module by module: '1' a bar, '0' a space.
PriceTag priceTagFromModules(const QString &modules, const TagStyle &style = {});

// The 95 modules of an EAN-13 symbol for 13 digits as given: the check digit is not checked, so
// that a wrong one can be printed.
QString ean13Modules(const QString &digits);

// A fingertip (skin-coloured, shaded) over `part` of the symbol, in fractions of its width and
// height (0..1).
void coverWithFinger(PriceTag &tag, const QRectF &part);

// A camera frame of `size`: a textured background with `tag` on it, scaled so that one module is
// `modulePixels` wide, turned by `degrees` around its centre, which sits at `center` (fractions
// of the frame).
QImage cameraFrame(QSize size, const PriceTag &tag, double modulePixels, double degrees = 0,
                   QPointF center = {0.5, 0.5});
// The same background with nothing on it.
QImage emptyFrame(QSize size);
// Puts another label into `frame`, as cameraFrame() does.
void placeTag(QImage &frame, const PriceTag &tag, double modulePixels, double degrees = 0, QPointF center = {0.5, 0.5});

// `frame` as a camera's NV12 video frame: its luminance in the Y plane, neutral chroma.
QVideoFrame nv12Frame(const QImage &frame);

// Box blur, `passes` times 3×3 (a few passes approach a Gaussian: an out-of-focus camera).
void blur(QImage &frame, int passes);
// Sensor noise: every channel of every pixel moved by up to ±`amplitude`, repeatably.
void addNoise(QImage &frame, int amplitude, quint32 seed = 1);

} // namespace poptap::testing
