#pragma once

#include "scannedcode.h"

#include <QImage>
#include <QList>
#include <QPolygon>

namespace poptap {

struct DecodedBarcode {
    ScannedCode code;       // validated; source Camera
    QPolygon position;      // corners in the image's pixels
};

// ZXing-C++ behind a small interface: the only file that includes ZXing's reader. Reads the
// formats the kiosk knows (scannedcode.h) from an 8-bit luminance image and returns only
// results that pass validateScannedCode(); a misread check digit never leaves here. At most one
// linear code (EAN, UPC, Code 128) per frame, and any number of QR codes: see decode().
class BarcodeDecoder
{
public:
    struct Options {
        bool tryHarder = true;  // slower, finds more: ZXing's try-harder (and rotation)
        bool qrCodes = true;    // false: product symbologies only
    };
    BarcodeDecoder();
    explicit BarcodeDecoder(Options options);

    // `image` in any format; Grayscale8 is used without conversion.
    QList<DecodedBarcode> decode(const QImage &image) const;
    // An 8-bit luminance plane (the Y plane of a YUV frame), without copying it.
    QList<DecodedBarcode> decode(const uchar *luma, int width, int height, int bytesPerLine) const;

private:
    Options m_options;
};

} // namespace poptap
