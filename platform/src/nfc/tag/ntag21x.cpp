// NTAG213/215/216 (NXP data sheet "NTAG213/215/216", Rev. 3.2) as NFC Forum Type 2 tags
// (T2T 1.0): memory layout, identification and the page writes that put one NDEF message on
// a sticker and, on request, lock it for good. Reading back is in type2memory.cpp.
#include "ntag21x.h"

#include <algorithm>
#include <array>

namespace poptap::nfc {

namespace {

constexpr int kPageSize = 4;
constexpr int kStaticLockPage = 2;
constexpr int kCcPage = 3;
constexpr int kFirstDataPage = 4;
constexpr char kNdefTlv = 0x03;
constexpr char kTerminatorTlv = char(0xFE);
constexpr int kMaxShortTlvLength = 0xFE; // lengths from 00FFh take the 3-byte form FF hi lo
constexpr quint8 kCcMagic = 0xE1;
constexpr quint8 kCcNoWriteAccess = 0x0F;

struct TypeFacts {
    NtagType type;
    const char *name;
    int totalPages;
    int userBytes;
    int dynamicLockPage;
    quint8 ccDataAreaSize; // CC byte 2: data area size / 8
    quint8 versionStorageSize;
    // Data sheet §8.5.3 "Dynamic Lock Bytes": the three lock bytes at dynamicLockPage lock the
    // user pages from 10h on, which the static lock bytes (page 2) do not reach. Each set bit
    // locks a group of pages ("LOCK PAGE x-y") or freezes a group of those bits ("BL x-y");
    // every bit not listed is RFUI and must be written 0. Byte 3 of the page is RFUI (reads BDh).
    std::array<quint8, 3> dynamicLockAll;
};

constexpr std::array<TypeFacts, 3> kTypes{{
    // NTAG213, page 28h: byte 0 b0..b7 LOCK PAGE 16-17 .. 30-31 and byte 1 b0..b3 LOCK PAGE
    // 32-33 .. 38-39 (two pages per bit, 12 bits: the Lock Control TLV 01 03 A0 0C 34 that
    // NTAG213 stickers often carry describes the same 12 bits of 8 bytes each); byte 2
    // b0..b5 BL 16-19 .. 36-39.
    {NtagType::Ntag213, "NTAG213", 45, 144, 0x28, 0x12, 0x0F, {0xFF, 0x0F, 0x3F}},
    // NTAG215, page 82h: byte 0 b0..b7 LOCK PAGE 16-31, 32-47, .. 112-127, 128-129 (16 pages
    // per bit); byte 1 RFUI; byte 2 b0..b3 BL 16-47, 48-79, 80-111, 112-129.
    {NtagType::Ntag215, "NTAG215", 135, 504, 0x82, 0x3E, 0x11, {0xFF, 0x00, 0x0F}},
    // NTAG216, page E2h: byte 0 b0..b7 LOCK PAGE 16-31 .. 128-143 and byte 1 b0..b5 LOCK PAGE
    // 144-159 .. 208-223, 224-225 (16 pages per bit); byte 2 b0..b6 BL 16-47 .. 176-207,
    // 208-225.
    {NtagType::Ntag216, "NTAG216", 231, 888, 0xE2, 0x6D, 0x13, {0xFF, 0x3F, 0x7F}},
}};

const TypeFacts &factsOf(NtagType type)
{
    for (const TypeFacts &facts : kTypes) {
        if (facts.type == type)
            return facts;
    }
    return kTypes.front(); // unreachable for a valid enumerator
}

QByteArray pageBytes(quint8 b0, quint8 b1, quint8 b2, quint8 b3)
{
    const char bytes[kPageSize] = {char(b0), char(b1), char(b2), char(b3)};
    return QByteArray(bytes, kPageSize);
}

QByteArray writableCc(const TypeFacts &facts)
{
    // T2T, Capability Container: magic E1, mapping version 1.0, data area size / 8,
    // access 00 (read and write granted).
    return pageBytes(kCcMagic, 0x10, facts.ccDataAreaSize, 0x00);
}

int dataAreaBytes(const TypeFacts &facts)
{
    return facts.ccDataAreaSize * 8;
}

QString hex(QByteArrayView bytes)
{
    return QString::fromLatin1(bytes.toByteArray().toHex(' ').toUpper());
}

// Why `currentCc` (not blank, not the writable CC of `facts`) cannot be written over: the CC
// bits are one-time programmable (data sheet §8.5.4, "Capability Container"): a WRITE only
// sets more of them.
QString ccRefusal(const TypeFacts &facts, QByteArrayView currentCc)
{
    const QByteArray expected = writableCc(facts);
    const QString name = QString::fromLatin1(facts.name);
    const auto byte = [&](int i) { return quint8(currentCc[i]); };
    if (byte(0) != kCcMagic) {
        return QStringLiteral("The tag's capability container (page 3) is %1, not the NFC Forum container %2 of "
                              "an %3; it is one-time programmable and cannot be corrected.")
            .arg(hex(currentCc), hex(expected), name);
    }
    if (byte(1) != quint8(expected[1])) {
        return QStringLiteral("The tag's capability container %1 announces mapping version %2.%3; an %4 is "
                              "written with version 1.0 (%5), and the container cannot be changed.")
            .arg(hex(currentCc)).arg(byte(1) >> 4).arg(byte(1) & 0x0F).arg(name, hex(expected));
    }
    if (byte(2) != quint8(expected[2])) {
        return QStringLiteral("The tag's capability container %1 announces a %2-byte NDEF area, but an %3 has "
                              "%4 bytes (%5): this is not an %3, or it was formatted for another size.")
            .arg(hex(currentCc)).arg(byte(2) * 8).arg(name).arg(dataAreaBytes(facts)).arg(hex(expected));
    }
    if ((byte(3) & 0x0F) == kCcNoWriteAccess) {
        return QStringLiteral("The tag is read-only: its capability container %1 denies write access "
                              "(0x%2), for good.")
            .arg(hex(currentCc), QString::number(byte(3), 16).toUpper().rightJustified(2, QLatin1Char('0')));
    }
    return QStringLiteral("The tag's capability container %1 restricts access (byte 3 is 0x%2, an %3 that "
                          "can be written has %4); it cannot be changed back.")
        .arg(hex(currentCc), QString::number(byte(3), 16).toUpper().rightJustified(2, QLatin1Char('0')), name,
             hex(expected));
}

PageWrite pageWrite(int page, QByteArrayView bytes)
{
    return PageWrite{page, bytes.toByteArray()};
}

} // namespace

NtagLayout layoutOf(NtagType type)
{
    const TypeFacts &facts = factsOf(type);
    return NtagLayout{facts.type, facts.totalPages, facts.userBytes, facts.dynamicLockPage, writableCc(facts)};
}

QString toString(NtagType type)
{
    return QString::fromLatin1(factsOf(type).name);
}

int maxNdefMessageSize(NtagType type)
{
    const int area = dataAreaBytes(factsOf(type));
    const int withShortLength = area - 2 - 1; // 03 L .. FE
    if (withShortLength <= kMaxShortTlvLength)
        return withShortLength;
    return std::max(kMaxShortTlvLength, area - 4 - 1); // 03 FF hi lo .. FE
}

std::optional<NtagType> ntagTypeFromVersion(QByteArrayView version)
{
    // Data sheet §10.1 GET_VERSION: fixed header 00, vendor 04 (NXP), product type 04 (NTAG),
    // subtype 02 (50 pF), major 01, minor 00, storage size, protocol type 03 (ISO/IEC
    // 14443-3). The storage size byte is 2^n < size < 2^(n+1) coded as n << 1 | 1:
    // 0F for 144, 11 for 504, 13 for 888 bytes.
    static constexpr char kHeader[] = "\x00\x04\x04\x02\x01\x00";
    if (version.size() != 8 || !version.startsWith(QByteArrayView(kHeader, 6)) || quint8(version[7]) != 0x03)
        return std::nullopt;
    for (const TypeFacts &facts : kTypes) {
        if (quint8(version[6]) == facts.versionStorageSize)
            return facts.type;
    }
    return std::nullopt;
}

NtagWritePlan planNdefWrite(NtagType type, QByteArrayView currentCc, const QByteArray &ndefMessage)
{
    const TypeFacts &facts = factsOf(type);
    const QString name = QString::fromLatin1(facts.name);
    NtagWritePlan plan;
    if (currentCc.size() != kPageSize) {
        plan.error = QStringLiteral("The capability container read from the %1 has %2 bytes, not 4.")
                         .arg(name).arg(currentCc.size());
        return plan;
    }
    const QByteArray cc = writableCc(facts);
    const bool ccBlank = std::all_of(currentCc.begin(), currentCc.end(), [](char c) { return c == 0; });
    if (!ccBlank && currentCc != QByteArrayView(cc)) {
        plan.error = ccRefusal(facts, currentCc);
        return plan;
    }

    // T2T, NDEF TLV: T = 03, L in one byte up to FEh, else FF and two bytes big-endian;
    // then the Terminator TLV (FE) so readers stop there, not at stale bytes after it.
    const qsizetype length = ndefMessage.size();
    const int header = length <= kMaxShortTlvLength ? 2 : 4;
    const qsizetype needed = header + length + 1;
    if (needed > dataAreaBytes(facts)) {
        plan.error = QStringLiteral("The NDEF message has %1 bytes, but an %2 holds at most %3: its NDEF area has "
                                    "%4 bytes, of which the TLV header takes %5 and the terminator 1.")
                         .arg(length).arg(name).arg(maxNdefMessageSize(type)).arg(dataAreaBytes(facts)).arg(header);
        return plan;
    }
    QByteArray tlv;
    tlv.reserve(needed + kPageSize);
    tlv.append(kNdefTlv);
    if (header == 2) {
        tlv.append(char(length));
    } else {
        tlv.append(char(0xFF));
        tlv.append(char(length >> 8));
        tlv.append(char(length & 0xFF));
    }
    tlv.append(ndefMessage);
    tlv.append(kTerminatorTlv);
    tlv.append((kPageSize - tlv.size() % kPageSize) % kPageSize, '\0');
    const QByteArrayView pages(tlv);
    const qsizetype pageCount = tlv.size() / kPageSize;

    // Order, so that a sticker taken away after any write holds no message, an empty one, or
    // the new one, never a mix: page 4 first becomes an empty NDEF TLV; only then is a blank
    // CC written (before it, the tag is not NDEF formatted and readers ignore its pages);
    // then the message's later pages, invisible behind the empty TLV; last page 4 with the
    // real TLV header (3-byte lengths end exactly at the end of page 4), which makes it
    // appear in one atomic page write.
    static constexpr char kEmptyNdef[] = {kNdefTlv, 0x00, kTerminatorTlv, 0x00};
    if (pageCount > 1)
        plan.writes.append(pageWrite(kFirstDataPage, QByteArrayView(kEmptyNdef, kPageSize)));
    if (ccBlank)
        plan.writes.append(pageWrite(kCcPage, cc));
    for (qsizetype i = 1; i < pageCount; ++i)
        plan.writes.append(pageWrite(kFirstDataPage + int(i), pages.sliced(i * kPageSize, kPageSize)));
    plan.writes.append(pageWrite(kFirstDataPage, pages.first(kPageSize)));
    if (pageCount == 1 && ccBlank) // a single page: the CC goes last so it reveals a complete page 4
        plan.writes.move(0, plan.writes.size() - 1);
    return plan;
}

QList<PageWrite> planPermanentLock(NtagType type)
{
    const TypeFacts &facts = factsOf(type);
    QList<PageWrite> writes;
    // 1. CC byte 3 = 0F: write access none (T2T, Capability Container). First, because the
    //    static lock bits below include L-CC, which freezes page 3.
    QByteArray cc = writableCc(facts);
    cc[3] = char(kCcNoWriteAccess);
    writes.append(PageWrite{kCcPage, cc});
    // 2. The dynamic lock bytes: every LOCK PAGE and BL bit of this type, RFUI bits 0.
    const auto &dynamic = facts.dynamicLockAll;
    writes.append(PageWrite{facts.dynamicLockPage, pageBytes(dynamic[0], dynamic[1], dynamic[2], 0x00)});
    // 3. The static lock bytes, data sheet §8.5.2: page 2 byte 2 = BL-CC, BL 9-4, BL 15-10,
    //    L-CC, L4..L7; byte 3 = L8..L15: FF FF locks pages 3..15 and freezes those bits.
    //    Bytes 0-1 of page 2 (check byte BCC1 and an internal byte, §8.5.1) are locked in
    //    production: a WRITE to page 2 changes only the lock bytes (ORing them in), so the
    //    00 00 sent there changes nothing.
    writes.append(PageWrite{kStaticLockPage, pageBytes(0x00, 0x00, 0xFF, 0xFF)});
    return writes;
}

} // namespace poptap::nfc
