#include "qrencoder.h"

#include <ZXing/BitMatrix.h>
#include <ZXing/MultiFormatWriter.h>

#include <algorithm>
#include <exception>

namespace poptap {
namespace {
// MultiFormatWriter takes ZXing's 0..8 scale; 4 selects QR level M (15 % recovery).
constexpr int kEccLevelM = 4;
}

QrMatrix encodeQr(const QString &text)
{
    QrMatrix result;
    if (text.isEmpty()) {
        result.error = QStringLiteral("nothing to encode");
        return result;
    }
    if (text.size() > kMaxQrTextLength) {
        result.error = QStringLiteral("link too long for a QR code (%1 > %2 characters)").arg(text.size()).arg(kMaxQrTextLength);
        return result;
    }
    // Links are fully percent-encoded, so anything else is a caller's bug; refusing it
    // keeps the code free of an ECI header that some phone scanners mishandle.
    const bool printableAscii = std::all_of(text.begin(), text.end(), [](QChar c) { return c.unicode() >= 0x20 && c.unicode() < 0x7f; });
    if (!printableAscii) {
        result.error = QStringLiteral("QR text must be printable ASCII (percent-encode the link)");
        return result;
    }
    try {
        const ZXing::BitMatrix matrix = ZXing::MultiFormatWriter(ZXing::BarcodeFormat::QRCode)
                                            .setEccLevel(kEccLevelM)
                                            .setMargin(0)
                                            .encode(text.toStdWString(), 0, 0);
        if (matrix.width() != matrix.height() || matrix.width() < 21) {
            result.error = QStringLiteral("unexpected QR matrix");
            return result;
        }
        result.size = matrix.width();
        result.dark.resize(std::size_t(result.size) * std::size_t(result.size));
        for (int y = 0; y < result.size; ++y)
            for (int x = 0; x < result.size; ++x)
                result.dark[std::size_t(y) * std::size_t(result.size) + std::size_t(x)] = matrix.get(x, y);
    } catch (const std::exception &e) {
        result = {};
        result.error = QStringLiteral("QR encoding failed: %1").arg(QString::fromUtf8(e.what()));
    }
    return result;
}

} // namespace poptap
