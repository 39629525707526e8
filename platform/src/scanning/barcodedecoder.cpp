#include "barcodedecoder.h"

#include "scanninglogging.h"

// The project reads ZXing's results as UTF-8 (as ZXing 1.4 recommends, and as the tests do).
#define ZX_USE_UTF8
#include <ZXing/ReadBarcode.h>

#include <exception>
#include <optional>

namespace poptap {
namespace {

// Scan lines that must agree on a linear code: ZXing's own default, and the stronger check.
constexpr int kMinLines = 2;
constexpr int kStrongLines = 3;

constexpr ZXing::BarcodeFormats kLinearFormats = ZXing::BarcodeFormat::EAN13 | ZXing::BarcodeFormat::EAN8
    | ZXing::BarcodeFormat::UPCA | ZXing::BarcodeFormat::UPCE | ZXing::BarcodeFormat::Code128;

std::optional<BarcodeFormat> kioskFormat(ZXing::BarcodeFormat format)
{
    switch (format) {
    case ZXing::BarcodeFormat::EAN13: return BarcodeFormat::Ean13;
    case ZXing::BarcodeFormat::EAN8: return BarcodeFormat::Ean8;
    case ZXing::BarcodeFormat::UPCA: return BarcodeFormat::UpcA;
    case ZXing::BarcodeFormat::UPCE: return BarcodeFormat::UpcE;
    case ZXing::BarcodeFormat::Code128: return BarcodeFormat::Code128;
    case ZXing::BarcodeFormat::QRCode: return BarcodeFormat::QrCode;
    default: return std::nullopt;
    }
}

ZXing::DecodeHints hints(ZXing::BarcodeFormats formats, const BarcodeDecoder::Options &options)
{
    return ZXing::DecodeHints().setFormats(formats).setTryHarder(options.tryHarder).setTryRotate(options.tryHarder);
}

void append(QList<DecodedBarcode> &found, const ZXing::Result &result)
{
    if (!result.isValid())
        return;
    const std::optional<BarcodeFormat> format = kioskFormat(result.format());
    if (!format)
        return;
    const std::optional<ScannedCode> code
        = validateScannedCode(*format, QString::fromStdString(result.text()), ScanSource::Camera);
    if (!code) {
        qCDebug(lcScanning) << "refused a" << toString(*format) << "read that failed validation";
        return;
    }
    for (const DecodedBarcode &known : std::as_const(found)) {
        if (known.code == *code)
            return;
    }
    QPolygon corners;
    for (const ZXing::PointI &p : result.position())
        corners << QPoint(p.x, p.y);
    found.append({*code, corners});
}

// One linear code, or none. ZXing accepts a code that two scan lines agree on; on a blurred
// symbol two neighbouring lines can agree on a misread that still has a valid check digit (read
// backwards, say). When three lines agree on something else, those win.
ZXing::Result readLinear(const ZXing::ImageView &view, const BarcodeDecoder::Options &options)
{
    ZXing::DecodeHints linearHints = hints(kLinearFormats, options).setMinLineCount(kMinLines);
    ZXing::Result result = ZXing::ReadBarcode(view, linearHints);
    if (!result.isValid())
        return result;
    ZXing::Result stronger = ZXing::ReadBarcode(view, linearHints.setMinLineCount(kStrongLines));
    if (stronger.isValid() && (stronger.format() != result.format() || stronger.bytes() != result.bytes()))
        return stronger;
    return result;
}

} // namespace

BarcodeDecoder::BarcodeDecoder() : BarcodeDecoder(Options{}) {}

BarcodeDecoder::BarcodeDecoder(Options options) : m_options(options) {}

QList<DecodedBarcode> BarcodeDecoder::decode(const QImage &image) const
{
    if (image.isNull())
        return {};
    const QImage luma = image.format() == QImage::Format_Grayscale8 ? image
                                                                     : image.convertToFormat(QImage::Format_Grayscale8);
    return decode(luma.constBits(), luma.width(), luma.height(), int(luma.bytesPerLine()));
}

QList<DecodedBarcode> BarcodeDecoder::decode(const uchar *luma, int width, int height, int bytesPerLine) const
{
    QList<DecodedBarcode> found;
    if (!luma || width <= 0 || height <= 0 || bytesPerLine < width)
        return found;
    try {
        const ZXing::ImageView view(luma, width, height, ZXing::ImageFormat::Lum, bytesPerLine);
        // Linear codes one per frame through ReadBarcode: Debian's libZXing 1.4 keeps its
        // assertions, and ReadBarcodes() aborts (Result::operator==, "lineCount() == 1") when it
        // meets a linear code twice: in the full and the downscaled image, horizontally and
        // rotated, or two identical labels. ReadBarcode() (maxNumberOfSymbols left at its default)
        // never compares results.
        append(found, readLinear(view, m_options));
        // QR codes compare by position only, so several per frame are safe.
        if (m_options.qrCodes) {
            for (const ZXing::Result &result : ZXing::ReadBarcodes(view, hints(ZXing::BarcodeFormat::QRCode, m_options)))
                append(found, result);
        }
    } catch (const std::exception &e) {
        // ZXing throws on inputs it cannot handle; a frame is never worth more than a log line.
        qCWarning(lcScanning) << "barcode decoding failed:" << e.what();
    }
    return found;
}

} // namespace poptap
