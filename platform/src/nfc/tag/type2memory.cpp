// Reading the NDEF message out of NFC Forum Type 2 Tag memory (T2T 1.0, "Memory Structure"
// and "TLV blocks"): the kiosk reads back every sticker it writes and reads stickers staff
// present, so this parses outside input and is fuzzed (tests/fuzz/fuzz_type2memory.cpp).
#include "ntag21x.h"

#include <algorithm>
#include <vector>

namespace poptap::nfc {

namespace {

constexpr qsizetype kCcOffset = 12;   // page 3
constexpr qsizetype kDataOffset = 16; // page 4: the data area starts here
constexpr quint8 kNullTlv = 0x00;
constexpr quint8 kLockControlTlv = 0x01;
constexpr quint8 kMemoryControlTlv = 0x02;
constexpr quint8 kNdefTlv = 0x03;
constexpr quint8 kTerminatorTlv = 0xFE;

NdefFromTag failure(const QString &why)
{
    return NdefFromTag{{}, why};
}

// The data area as a byte stream: T2T stores TLVs and NDEF bytes around the areas that Lock
// Control and Memory Control TLVs reserve (dynamic lock bytes, reserved memory), so reading
// skips every byte of such an area that lies inside the data area.
class DataArea
{
public:
    DataArea(QByteArrayView memory, qsizetype end) : m_memory(memory), m_end(end), m_reserved(std::size_t(end), false)
    {
    }

    // The next byte of the stream, or -1 at the end of the data area (or of the memory read).
    int next()
    {
        while (m_at < m_end && m_reserved[std::size_t(m_at)])
            ++m_at;
        return m_at < m_end ? quint8(m_memory[m_at++]) : -1;
    }

    // Lock Control and Memory Control TLV values (3 bytes): byte 0 = page address (high
    // nibble) and byte offset (low nibble), byte 2 low nibble = log2(bytes per page); the
    // area starts at page address × bytes per page + byte offset. The area's size in bytes
    // comes from byte 1 (bits for Lock Control: rounded up to bytes; 0 stands for 256).
    void reserve(const quint8 value[3], bool sizeInBits)
    {
        const qsizetype bytesPerPage = qsizetype(1) << (value[2] & 0x0F);
        const qsizetype start = (value[0] >> 4) * bytesPerPage + (value[0] & 0x0F);
        const qsizetype units = value[1] == 0 ? 256 : value[1];
        const qsizetype size = sizeInBits ? (units + 7) / 8 : units;
        for (qsizetype i = std::max(start, m_at); i < std::min(start + size, m_end); ++i)
            m_reserved[std::size_t(i)] = true;
    }

    qsizetype position() const { return m_at; }

private:
    QByteArrayView m_memory;
    qsizetype m_end;
    std::vector<bool> m_reserved;
    qsizetype m_at = kDataOffset;
};

} // namespace

NdefFromTag ndefFromType2Memory(QByteArrayView memory)
{
    if (memory.size() < kDataOffset) {
        return failure(QStringLiteral("Only %1 bytes were read; a Type 2 tag's first 16 bytes hold the UID, the "
                                      "lock bytes and the capability container.")
                           .arg(memory.size()));
    }
    const auto cc = [&](int i) { return quint8(memory[kCcOffset + i]); };
    // T2T, Capability Container: E1 = NDEF data present, then the mapping version (major in
    // the high nibble), the data area size / 8, and read (high nibble) / write access.
    if (cc(0) != 0xE1) {
        return failure(QStringLiteral("The tag is not NDEF formatted: its capability container starts with %1, "
                                      "not E1.")
                           .arg(QString::number(cc(0), 16).toUpper().rightJustified(2, QLatin1Char('0'))));
    }
    if ((cc(1) >> 4) != 1) {
        return failure(QStringLiteral("The tag's NDEF mapping version %1.%2 is not supported (major version 1 only).")
                           .arg(cc(1) >> 4).arg(cc(1) & 0x0F));
    }
    if ((cc(3) >> 4) != 0)
        return failure(QStringLiteral("The tag's capability container denies read access."));
    if (cc(2) == 0)
        return failure(QStringLiteral("The tag's capability container announces no data area."));

    const qsizetype areaEnd = kDataOffset + qsizetype(cc(2)) * 8;
    const qsizetype end = std::min(areaEnd, memory.size());
    const QString cutShort =
        end < areaEnd ? QStringLiteral(" (the memory read ends at byte %1, the data area at byte %2)").arg(end).arg(areaEnd)
                      : QStringLiteral(" (the data area ends at byte %1)").arg(areaEnd);
    DataArea area(memory, end);

    for (;;) {
        const qsizetype tlvAt = area.position();
        const int type = area.next();
        if (type < 0)
            return failure(QStringLiteral("No NDEF TLV before the end of the data area") + cutShort + QLatin1Char('.'));
        if (type == kNullTlv)
            continue;
        if (type == kTerminatorTlv)
            return failure(QStringLiteral("The tag holds no NDEF TLV: a terminator TLV comes first (byte %1).").arg(tlvAt));

        qsizetype length = area.next();
        if (length == 0xFF) { // 3-byte form: FF, then the length big-endian
            const int high = area.next();
            const int low = area.next();
            length = high < 0 || low < 0 ? -1 : high << 8 | low;
        }
        if (length < 0) {
            return failure(QStringLiteral("The TLV of type %1 at byte %2 is cut off before its length")
                               .arg(type).arg(tlvAt) + cutShort + QLatin1Char('.'));
        }

        QByteArray value;
        value.reserve(std::min(length, end));
        for (qsizetype i = 0; i < length; ++i) {
            const int byte = area.next();
            if (byte < 0) {
                return failure(QStringLiteral("The TLV of type %1 at byte %2 announces %3 bytes, more than the data "
                                              "area holds")
                                   .arg(type).arg(tlvAt).arg(length) + cutShort + QLatin1Char('.'));
            }
            value.append(char(byte));
        }
        if (type == kNdefTlv)
            return NdefFromTag{value, {}}; // the first NDEF TLV is the message (may be empty)
        if (type == kLockControlTlv || type == kMemoryControlTlv) {
            if (length != 3) {
                return failure(QStringLiteral("The %1 TLV at byte %2 has %3 value bytes, not 3.")
                                   .arg(type == kLockControlTlv ? QStringLiteral("Lock Control")
                                                                : QStringLiteral("Memory Control"))
                                   .arg(tlvAt).arg(length));
            }
            const quint8 bytes[3] = {quint8(value[0]), quint8(value[1]), quint8(value[2])};
            area.reserve(bytes, type == kLockControlTlv);
        }
        // Proprietary (FD) and unknown TLVs are skipped by their length, as T2T asks.
    }
}

} // namespace poptap::nfc
