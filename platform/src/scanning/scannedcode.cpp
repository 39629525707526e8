#include "scannedcode.h"

#include <ZXing/GTIN.h>

#include <algorithm>
#include <string>

namespace poptap {
namespace {

constexpr qsizetype kMaxCode128Length = 80;
// The most characters any QR code holds (version 40-L, numeric mode): every real decode fits, and
// text that claims to be a QR code (a handheld scanner's burst) cannot grow without bound.
constexpr qsizetype kMaxQrLength = 7089;

bool isAsciiDigits(QStringView text)
{
    return !text.isEmpty() && std::all_of(text.begin(), text.end(), [](QChar c) { return c >= u'0' && c <= u'9'; });
}

// `digits` are ASCII digits ending in a GS1 mod-10 check digit (EAN, UPC, GTIN-14).
bool hasValidCheckDigit(QStringView digits)
{
    return ZXing::GTIN::IsCheckDigitValid(digits.toString().toStdString());
}

bool isGtin(QStringView text, qsizetype length)
{
    return text.size() == length && isAsciiDigits(text) && hasValidCheckDigit(text);
}

bool isBareGtin(QStringView text)
{
    return isGtin(text, 8) || isGtin(text, 12) || isGtin(text, 13) || isGtin(text, 14);
}

// Code 128 as printed on shelf labels: printable ASCII, and GS (0x1D), which is how a GS1-128
// code's FNC1 separates a variable-length element from the next one.
bool isCode128Text(QStringView text)
{
    return !text.isEmpty() && text.size() <= kMaxCode128Length
        && std::all_of(text.begin(), text.end(), [](QChar c) { return (c >= u' ' && c <= u'~') || c == u'\x1d'; })
        && text.front() != u'\x1d';
}

// QR codes carry vCards, Wi-Fi settings and GS1 or ISO/IEC 15434 data, which use CR, LF, TAB,
// GS, RS and EOT, so C0 controls pass; refused is what could harm whatever shows or logs the text:
// NUL (ends C strings), ESC, DEL and the C1 controls (terminal escape sequences), and text that
// is not valid UTF-16.
bool isQrText(QStringView text)
{
    if (text.isEmpty() || text.size() > kMaxQrLength || !text.isValidUtf16())
        return false;
    return std::none_of(text.begin(), text.end(), [](QChar c) {
        const char16_t u = c.unicode();
        return u == 0x00 || u == 0x1b || u == 0x7f || (u >= 0x80 && u <= 0x9f);
    });
}

} // namespace

QString toString(BarcodeFormat format)
{
    switch (format) {
    case BarcodeFormat::Ean13: return QStringLiteral("EAN-13");
    case BarcodeFormat::Ean8: return QStringLiteral("EAN-8");
    case BarcodeFormat::UpcA: return QStringLiteral("UPC-A");
    case BarcodeFormat::UpcE: return QStringLiteral("UPC-E");
    case BarcodeFormat::Code128: return QStringLiteral("Code 128");
    case BarcodeFormat::QrCode: return QStringLiteral("QR Code");
    }
    return QStringLiteral("unknown");
}

QString expandUpcE(const QString &upce)
{
    if (upce.size() != 8 || !isAsciiDigits(upce) || (upce.at(0) != u'0' && upce.at(0) != u'1'))
        return {};
    // Number system, six digits, check digit; the last of the six says where the zeros go.
    const QString d = upce.mid(1, 6);
    QString body; // manufacturer and item, 10 digits
    switch (d.at(5).unicode()) {
    case u'0':
    case u'1':
    case u'2':
        body = d.left(2) + d.at(5) + QStringLiteral("0000") + d.mid(2, 3);
        break;
    case u'3':
        body = d.left(3) + QStringLiteral("00000") + d.mid(3, 2);
        break;
    case u'4':
        body = d.left(4) + QStringLiteral("00000") + d.at(4);
        break;
    default:
        body = d.left(5) + QStringLiteral("0000") + d.at(5);
        break;
    }
    const QString upca = upce.at(0) + body + upce.at(7);
    return hasValidCheckDigit(upca) ? upca : QString();
}

std::optional<ScannedCode> validateScannedCode(BarcodeFormat format, const QString &text, ScanSource source)
{
    bool valid = false;
    switch (format) {
    case BarcodeFormat::Ean13: valid = isGtin(text, 13); break;
    case BarcodeFormat::Ean8: valid = isGtin(text, 8); break;
    case BarcodeFormat::UpcA: valid = isGtin(text, 12); break;
    case BarcodeFormat::UpcE: valid = !expandUpcE(text).isEmpty(); break;
    case BarcodeFormat::Code128: valid = isCode128Text(text); break;
    case BarcodeFormat::QrCode: valid = isQrText(text); break;
    }
    if (!valid)
        return std::nullopt;
    return ScannedCode{format, text, source};
}

QString ScannedCode::productCode() const
{
    switch (format) {
    case BarcodeFormat::Ean13:
    case BarcodeFormat::Ean8:
    case BarcodeFormat::UpcA:
        return isBareGtin(text) ? text : QString();
    case BarcodeFormat::UpcE:
        return expandUpcE(text);
    case BarcodeFormat::Code128: {
        if (isBareGtin(text))
            return text;
        // A GS1-128 label starting with the (01) element: application identifier 01, then a
        // GTIN-14 (fixed length, so the next element follows without a separator).
        if (text.size() < 16 || !text.startsWith(QLatin1String("01")))
            return {};
        const QStringView gtin = QStringView(text).sliced(2, 14);
        return isGtin(gtin, 14) ? gtin.toString() : QString();
    }
    case BarcodeFormat::QrCode:
        return {};
    }
    return {};
}

} // namespace poptap
