// NFC Forum Type 3 Tag (T3T 1.0), read-only, as FeliCa commands.
//
// Framing. In FeliCa card mode libnfc fetches each reader command with the PN532's
// TgGetInitiatorCommand and answers with TgResponseToInitiator (pn53x.c,
// pn53x_target_receive_bytes / pn53x_target_send_bytes, case NMT_FELICA). The PN532 hands
// over the FeliCa packet without preamble, sync code and CRC but with its LEN byte first,
// LEN counting itself (PN532 User Manual, TgInitAsTarget: the activating polling command
// arrives as "06 00 FF FF 01 00"). libnfc's own reader, nfc-read-forum-tag3.c, builds its
// frames the same way (frame[0] = frame length). So a command here is
//     LEN  code  IDm(8)  parameters
// and every answer is framed the same way: LEN, response code (= command code + 1), IDm,
// parameters. A frame whose LEN disagrees with its size, or whose IDm is not this tag's,
// gets no answer, like a FeliCa card that discards a packet that is not for it.
//
// Commands answered (FeliCa Card User's Manual, command descriptions; T3T, Command Set):
//   02 Request Service       key version 0000 for the NDEF service 000B and the root area
//                            0000, FFFF ("does not exist") for anything else
//   04 Request Response      mode 0
//   06 Check                 blocks of the NDEF service 000B (Read Without Encryption)
//   08 Update                refused with status flags FF A6 (see below)
//   0C Request System Code   one system: 12FC
// Polling (00) is answered by the PN532 itself from TgInitAsTarget's FeliCa parameters;
// it and every other command code get no answer.
//
// Status flags (FeliCa Card User's Manual, "Status Flag"): Status Flag1 is FF for an
// error that is not tied to one block list element, else a bit for the element in error
// (bit i mod 8 for element i); Status Flag2 says what:
//   A1  Number of Service not 1..16, or the service code list is cut short
//   A2  Number of Block not 1..15 (15 is the most one-byte LEN can frame), the block list
//       cut short, or bytes after it
//   A3  a block list element names a service code list position that is not in the list
//   A6  a service code other than 000B (Check), and every Update: 000B's attribute bits
//       (001011b) make it a read-only service, so it is not a service Write Without
//       Encryption accepts; the tag has no read/write service 0009
//   A7  a block list element with a non-zero access mode
//   A8  a block number past NmaxB ("illegal block number")
#include "type3tag.h"

#include <algorithm>
#include <utility>

namespace poptap::nfc {

namespace {

constexpr qsizetype kBlockSize = 16;
constexpr qsizetype kHeaderSize = 1 + 1 + Type3Tag::kIdmSize; // LEN, code, IDm
constexpr quint16 kNdefService = 0x000B;
constexpr int kMaxServices = 16;
constexpr int kMaxServiceRequests = 32;

constexpr quint8 kRequestService = 0x02;
constexpr quint8 kRequestResponse = 0x04;
constexpr quint8 kCheck = 0x06;
constexpr quint8 kUpdate = 0x08;
constexpr quint8 kRequestSystemCode = 0x0C;

constexpr quint8 kSfNotElement = 0xFF;
constexpr quint8 kIllegalServiceCount = 0xA1;
constexpr quint8 kIllegalBlockCount = 0xA2;
constexpr quint8 kIllegalServiceOrder = 0xA3;
constexpr quint8 kIllegalServiceCode = 0xA6;
constexpr quint8 kIllegalAccessMode = 0xA7;
constexpr quint8 kIllegalBlockNumber = 0xA8;

quint16 littleEndian16(QByteArrayView bytes, qsizetype at)
{
    return quint16(quint8(bytes[at]) | quint8(bytes[at + 1]) << 8);
}

} // namespace

Type3Tag::Type3Tag(QByteArray ndefMessage, QByteArray idm)
    : m_message(ndefMessage.size() <= kMaxMessageSize ? std::move(ndefMessage) : QByteArray())
    , m_idm(std::move(idm))
{
    const qsizetype messageBlocks = (m_message.size() + kBlockSize - 1) / kBlockSize;
    // At least one data block, so that even an empty message has a readable NDEF area.
    m_dataBlocks = int(std::max<qsizetype>(messageBlocks, 1));
    m_coverage = ReadCoverage(1 + messageBlocks);

    // T3T, Attribute Information Block: Ver, Nbr, Nbw, NmaxB (2), 4 unused, WriteF,
    // RWFlag, Ln (3), checksum (2) = the sum of bytes 0..13; multi-byte values big-endian.
    const qsizetype ln = m_message.size();
    const char attribute[14] = {
        char(0x10),            // mapping version 1.0
        char(kBlocksPerCheck), // Nbr
        char(1),               // Nbw: the spec's minimum; RWFlag below forbids writing anyway
        char(m_dataBlocks >> 8), char(m_dataBlocks & 0xFF),
        0, 0, 0, 0,
        char(0x00), // WriteF: no write in progress
        char(0x00), // RWFlag: read-only
        char((ln >> 16) & 0xFF), char((ln >> 8) & 0xFF), char(ln & 0xFF),
    };
    int checksum = 0;
    for (char byte : attribute)
        checksum += quint8(byte);
    m_attributeBlock = QByteArray(attribute, sizeof attribute);
    m_attributeBlock.append(char((checksum >> 8) & 0xFF));
    m_attributeBlock.append(char(checksum & 0xFF));
}

QByteArray Type3Tag::respond(QByteArrayView command)
{
    if (command.size() < kHeaderSize || quint8(command[0]) != command.size())
        return {};
    if (m_idm.size() != kIdmSize || command.sliced(2, kIdmSize) != QByteArrayView(m_idm))
        return {};
    const QByteArrayView params = command.sliced(kHeaderSize);
    switch (quint8(command[1])) {
    case kCheck:
        return check(params);
    case kUpdate: {
        const char refused[] = {char(kSfNotElement), char(kIllegalServiceCode)};
        return frame(kUpdate + 1, QByteArrayView(refused, 2));
    }
    case kRequestResponse: {
        if (!params.isEmpty())
            return {};
        const char mode0 = 0x00;
        return frame(kRequestResponse + 1, QByteArrayView(&mode0, 1));
    }
    case kRequestSystemCode: {
        if (!params.isEmpty())
            return {};
        const char systems[] = {1, char(kNdefSystemCode >> 8), char(kNdefSystemCode & 0xFF)};
        return frame(kRequestSystemCode + 1, QByteArrayView(systems, 3));
    }
    case kRequestService: {
        if (params.isEmpty())
            return {};
        const int count = quint8(params[0]);
        if (count < 1 || count > kMaxServiceRequests || params.size() != 1 + 2 * count)
            return {};
        QByteArray versions(1 + 2 * count, '\0');
        versions[0] = char(count);
        for (int i = 0; i < count; ++i) {
            const quint16 node = littleEndian16(params, 1 + 2 * i);
            const bool exists = node == kNdefService || node == 0x0000;
            versions[1 + 2 * i] = exists ? '\0' : char(0xFF);
            versions[2 + 2 * i] = exists ? '\0' : char(0xFF);
        }
        return frame(kRequestService + 1, versions);
    }
    default:
        return {};
    }
}

QByteArray Type3Tag::check(QByteArrayView params)
{
    const auto failed = [this](quint8 flag1, quint8 flag2) {
        const char flags[] = {char(flag1), char(flag2)};
        return frame(kCheck + 1, QByteArrayView(flags, 2));
    };
    const auto elementBit = [](int element) { return quint8(1u << (element % 8)); };

    qsizetype at = 0;
    const int services = params.isEmpty() ? 0 : quint8(params[at++]);
    if (services < 1 || services > kMaxServices || params.size() < at + 2 * services)
        return failed(kSfNotElement, kIllegalServiceCount);
    for (int i = 0; i < services; ++i, at += 2) {
        // Service codes are little-endian on the air: 000B is sent as 0B 00.
        if (littleEndian16(params, at) != kNdefService)
            return failed(kSfNotElement, kIllegalServiceCode);
    }

    const int blocks = at < params.size() ? quint8(params[at++]) : 0;
    if (blocks < 1 || blocks > kMaxBlocksPerCheck)
        return failed(kSfNotElement, kIllegalBlockCount);
    int numbers[kMaxBlocksPerCheck];
    for (int i = 0; i < blocks; ++i) {
        if (at >= params.size())
            return failed(kSfNotElement, kIllegalBlockCount);
        // Block list element: b7 = 1 for the 2-byte form (block number 0..255), 0 for the
        // 3-byte form (block number little-endian); b6..b4 access mode; b3..b0 the
        // position of its service in the service code list.
        const auto head = quint8(params[at]);
        const bool twoBytes = head & 0x80;
        const qsizetype length = twoBytes ? 2 : 3;
        if (params.size() < at + length)
            return failed(kSfNotElement, kIllegalBlockCount);
        const int number = twoBytes ? quint8(params[at + 1]) : littleEndian16(params, at + 1);
        at += length;
        if ((head & 0x0F) >= services)
            return failed(elementBit(i), kIllegalServiceOrder);
        if (head & 0x70)
            return failed(elementBit(i), kIllegalAccessMode);
        if (number > m_dataBlocks)
            return failed(elementBit(i), kIllegalBlockNumber);
        numbers[i] = number;
    }
    if (at != params.size())
        return failed(kSfNotElement, kIllegalBlockCount);

    QByteArray out;
    out.reserve(kHeaderSize + 3 + blocks * kBlockSize);
    out.append(char(kHeaderSize + 3 + blocks * kBlockSize));
    out.append(char(kCheck + 1));
    out.append(m_idm);
    out.append(char(0x00)); // Status Flag1
    out.append(char(0x00)); // Status Flag2
    out.append(char(blocks));
    for (int i = 0; i < blocks; ++i) {
        appendBlock(out, numbers[i]);
        m_coverage.mark(numbers[i], numbers[i] + 1);
    }
    return out;
}

void Type3Tag::appendBlock(QByteArray &out, int block) const
{
    if (block == 0) {
        out.append(m_attributeBlock);
        return;
    }
    const qsizetype offset = (block - 1) * kBlockSize;
    const qsizetype present = std::clamp<qsizetype>(m_message.size() - offset, 0, kBlockSize);
    if (present > 0)
        out.append(QByteArrayView(m_message).sliced(offset, present));
    out.append(kBlockSize - present, '\0');
}

QByteArray Type3Tag::frame(quint8 responseCode, QByteArrayView payload) const
{
    QByteArray out;
    out.reserve(kHeaderSize + payload.size());
    out.append(char(kHeaderSize + payload.size()));
    out.append(char(responseCode));
    out.append(m_idm);
    out.append(payload);
    return out;
}

void Type3Tag::reset()
{
    m_coverage.clear();
}

bool Type3Tag::messageFullyRead() const
{
    return m_coverage.complete();
}

QByteArray Type3Tag::ndefMessage() const
{
    return m_message;
}

} // namespace poptap::nfc
