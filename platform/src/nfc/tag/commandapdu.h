#pragma once

#include <QByteArrayView>

#include <cstdint>

namespace poptap::nfc {

// One command APDU in the short form of ISO/IEC 7816-4 ("Command-response pairs", cases 1 to 4). The views
// point into the bytes given to parseCommandApdu(): nothing is copied.
struct CommandApdu {
    std::uint8_t cla = 0;
    std::uint8_t ins = 0;
    std::uint8_t p1 = 0;
    std::uint8_t p2 = 0;
    QByteArrayView data; // the Lc bytes (cases 3 and 4); empty otherwise
    int ne = 0;          // Ne from Le: 1..256 (Le = 00 means 256); 0 when Le is absent
    bool hasLc = false;
    bool hasLe = false;
};

enum class ApduParse {
    Ok,
    TooShort,  // fewer than the 4 header bytes
    BadLength, // Lc disagrees with the bytes that follow it
    Extended,  // an extended-length APDU (the byte after the header is 00 and more bytes follow)
};

// Splits `bytes` into header, Lc/data and Le. Extended-length APDUs are recognised only so
// that they are refused rather than misread as a short Lc of 0.
ApduParse parseCommandApdu(QByteArrayView bytes, CommandApdu &apdu);

} // namespace poptap::nfc
