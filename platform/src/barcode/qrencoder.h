#pragma once

#include <QString>

#include <vector>

namespace poptap {

// A QR code as a square of modules, without quiet zone. Own value type: ZXing's
// types stay inside qrencoder.cpp.
struct QrMatrix {
    int size = 0;               // modules per side; 0 when encoding failed
    std::vector<bool> dark;     // row-major, size * size
    QString error;              // why encoding failed (e.g. the link is too long)

    bool isValid() const { return size > 0; }
    bool isDark(int x, int y) const { return dark[std::size_t(y) * std::size_t(size) + std::size_t(x)]; }
    int version() const { return size > 0 ? (size - 17) / 4 : 0; }
};

// Encodes `text`, a printable-ASCII (percent-encoded) link, at error correction level M.
// The character set is left unset so the code carries no ECI header. Links longer than kMaxQrTextLength are
// refused rather than drawn as a code too dense to scan at arm's length.
inline constexpr int kMaxQrTextLength = 300;
QrMatrix encodeQr(const QString &text);

} // namespace poptap
