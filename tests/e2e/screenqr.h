#pragma once

#include <QImage>
#include <QRect>
#include <QRgb>
#include <QSet>
#include <QString>

namespace poptap::test {

// The QR code a phone camera would find in a screenshot, decoded with ZXing.
struct ScreenQr {
    bool found = false;
    QString text;
    QString ecLevel;  // "L", "M", "Q" or "H"
    QRect bounds;     // where ZXing found the symbol, in image pixels
};
ScreenQr decodeScreenQr(const QImage &screenshot);

// The module grid of a QR code on screen, inferred from pixels only: the symbol's
// extent from its dark pixels, the module size from the top-left finder pattern
// (7 modules wide). `problem` is empty when the code is drawn crisp: whole-pixel
// modules of one size, every module one uniform block, exactly two colours, and a
// clean 4-module quiet zone.
struct QrGrid {
    QRect symbol;         // without quiet zone
    int modulePixels = 0;
    int modules = 0;      // per side
    QSet<QRgb> colours;   // in symbol and quiet zone
    QString problem;

    int version() const { return modules >= 21 ? (modules - 17) / 4 : 0; }
};
QrGrid inspectQrGrid(const QImage &screenshot, const QRect &near);

} // namespace poptap::test
