#include "commandapdu.h"

namespace poptap::nfc {

ApduParse parseCommandApdu(QByteArrayView bytes, CommandApdu &apdu)
{
    constexpr qsizetype kHeader = 4;
    if (bytes.size() < kHeader)
        return ApduParse::TooShort;
    apdu = {};
    apdu.cla = std::uint8_t(bytes[0]);
    apdu.ins = std::uint8_t(bytes[1]);
    apdu.p1 = std::uint8_t(bytes[2]);
    apdu.p2 = std::uint8_t(bytes[3]);

    const qsizetype body = bytes.size() - kHeader;
    if (body == 0) // case 1: no Lc, no Le
        return ApduParse::Ok;
    const auto first = std::uint8_t(bytes[kHeader]);
    if (body == 1) { // case 2S: Le only
        apdu.hasLe = true;
        apdu.ne = first == 0 ? 256 : first;
        return ApduParse::Ok;
    }
    // A short Lc is 1..255; a first body byte of 00 followed by more bytes opens an
    // extended Lc or Le (cases 2E, 3E, 4E), or is malformed.
    if (first == 0)
        return body >= 3 ? ApduParse::Extended : ApduParse::BadLength;
    const qsizetype lc = first;
    if (body != 1 + lc && body != 2 + lc)
        return ApduParse::BadLength;
    apdu.hasLc = true;
    apdu.data = bytes.sliced(kHeader + 1, lc);
    if (body == 2 + lc) { // case 4S: Lc, data, Le
        const auto le = std::uint8_t(bytes[bytes.size() - 1]);
        apdu.hasLe = true;
        apdu.ne = le == 0 ? 256 : le;
    }
    return ApduParse::Ok;
}

} // namespace poptap::nfc
