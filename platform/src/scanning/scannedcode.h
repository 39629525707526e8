#pragma once

#include <QMetaType>
#include <QString>

#include <optional>

namespace poptap {

// The symbologies the kiosk reads; every decoder is restricted to these.
enum class BarcodeFormat { Ean13, Ean8, UpcA, UpcE, Code128, QrCode };
QString toString(BarcodeFormat format);

enum class ScanSource { Camera, Handheld };

// A code read by the camera or a handheld scanner that passed validation: nothing else
// ever reaches a lookup.
struct ScannedCode {
    BarcodeFormat format = BarcodeFormat::Ean13;
    QString text;
    ScanSource source = ScanSource::Camera;
    bool operator==(const ScannedCode &) const = default;

    // The GTIN digits a product lookup takes: EAN-13/EAN-8/UPC-A as read, UPC-E expanded to
    // its UPC-A, Code 128 when it holds a bare GTIN or a GS1 (01) element. Empty otherwise.
    QString productCode() const;
};

// Checks decoded text before anything looks it up (DESIGN.md: every barcode is outside input):
// EAN/UPC: exactly the format's ASCII digits with a valid check digit (UPC-E: number system 0 or
// 1, the check digit of its UPC-A); Code 128: 1 to 80 printable ASCII characters, or GS (0x1D,
// the GS1 separator) after the first; QR: 1 to 7089 characters (the most a QR code holds), valid
// UTF-16, no NUL, ESC, DEL or C1 control (other C0 controls are data: CR LF in vCards, GS RS EOT
// in GS1 and ISO/IEC 15434 codes). Anything else is refused (nothing; the caller stays quiet).
std::optional<ScannedCode> validateScannedCode(BarcodeFormat format, const QString &text, ScanSource source);

// The 12-digit UPC-A that an 8-digit UPC-E (number system 0 or 1, with its check digit) stands
// for, or empty when `upce` is not one.
QString expandUpcE(const QString &upce);

} // namespace poptap

Q_DECLARE_METATYPE(poptap::ScannedCode)
