// NFC Forum Type 4 Tag (T4T) 1.0 and 2.0, read-only, over ISO/IEC 7816-4 short APDUs.
//
// Status words chosen (ISO/IEC 7816-4, "Status bytes"; T4T, "Command Set"):
//   9000  success; also READ BINARY whose Le runs past the end of the file, with the bytes
//         up to the end (see readBinary() for why not the warning 6282)
//   6700  wrong length: under 4 bytes, Lc disagreeing with the data, Le missing or Lc present
//         on READ BINARY, a file id that is not 2 bytes, any extended-length APDU
//   6982  UPDATE BINARY: the NDEF file's write access is FFh (no write access)
//   6986  READ BINARY with no file selected ("command not allowed, no current EF")
//   6A82  unknown AID; unknown file id; a file id before the NDEF application is selected
//   6A86  SELECT with a P1/P2 the tag does not support
//   6B00  READ BINARY offset at or past the end of the file, or P1 bit 8 set (short EF id
//         addressing: neither T4T file has a short EF identifier)
//   6D00  any other INS; 6E00 any CLA but 00
#include "type4tag.h"

#include "commandapdu.h"

#include <algorithm>
#include <utility>

namespace poptap::nfc {

namespace {

constexpr quint16 kSwOk = 0x9000;
constexpr quint16 kSwWrongLength = 0x6700;
constexpr quint16 kSwSecurityNotSatisfied = 0x6982;
constexpr quint16 kSwNoCurrentEf = 0x6986;
constexpr quint16 kSwNotFound = 0x6A82;
constexpr quint16 kSwIncorrectP1P2 = 0x6A86;
constexpr quint16 kSwWrongP1P2 = 0x6B00;
constexpr quint16 kSwInsNotSupported = 0x6D00;
constexpr quint16 kSwClaNotSupported = 0x6E00;

constexpr quint8 kInsSelect = 0xA4;
constexpr quint8 kInsReadBinary = 0xB0;
constexpr quint8 kInsUpdateBinary = 0xD6;

// T4T, NDEF Tag Application: its name (AID); the last byte is the mapping version's major
// number (00 for 1.0, 01 for 2.0 and later).
constexpr char kAidPrefix[] = "\xD2\x76\x00\x00\x85\x01";
constexpr qsizetype kAidSize = 7;
constexpr quint16 kCcFileId = 0xE103;
constexpr quint16 kNdefFileId = 0xE104;
constexpr qsizetype kMinNdefFileSize = 5; // T4T, CC: "maximum NDEF file size" is 0005h..FFFEh
constexpr qsizetype kCcVersionByte = 2;

void appendStatus(QByteArray &response, quint16 sw)
{
    response.append(char(sw >> 8));
    response.append(char(sw & 0xFF));
}

QByteArray status(quint16 sw)
{
    QByteArray response;
    appendStatus(response, sw);
    return response;
}

void appendU16(QByteArray &bytes, qsizetype value)
{
    bytes.append(char((value >> 8) & 0xFF));
    bytes.append(char(value & 0xFF));
}

} // namespace

Type4Tag::Type4Tag(QByteArray ndefMessage)
    : m_message(ndefMessage.size() <= kMaxMessageSize ? std::move(ndefMessage) : QByteArray())
{
    appendU16(m_ndefFile, m_message.size()); // NLEN
    m_ndefFile.append(m_message);
    if (m_ndefFile.size() < kMinNdefFileSize)
        m_ndefFile.append(kMinNdefFileSize - m_ndefFile.size(), '\0');
    m_coverage = ReadCoverage(2 + m_message.size());

    // T4T, Capability Container file: CCLEN, mapping version, MLe, MLc, then the NDEF File
    // Control TLV (T = 04, L = 06: file id, maximum NDEF file size, read access 00 = granted,
    // write access FF = none: the tag is read-only).
    appendU16(m_cc, 0x000F);
    m_cc.append(char(0x20));
    appendU16(m_cc, kMaxResponseData);
    appendU16(m_cc, kMaxCommandData);
    m_cc.append(char(0x04));
    m_cc.append(char(0x06));
    appendU16(m_cc, kNdefFileId);
    appendU16(m_cc, m_ndefFile.size());
    m_cc.append(char(0x00));
    m_cc.append(char(0xFF));
}

QByteArray Type4Tag::respond(QByteArrayView commandApdu)
{
    if (commandApdu.size() < 4)
        return status(kSwWrongLength);
    // T4T commands use CLA 00 only: no secure messaging, no logical channels.
    if (quint8(commandApdu[0]) != 0x00)
        return status(kSwClaNotSupported);
    const auto ins = quint8(commandApdu[1]);
    if (ins != kInsSelect && ins != kInsReadBinary && ins != kInsUpdateBinary)
        return status(kSwInsNotSupported);

    CommandApdu apdu;
    if (parseCommandApdu(commandApdu, apdu) != ApduParse::Ok)
        return status(kSwWrongLength);

    switch (ins) {
    case kInsSelect:
        return select(apdu.data, apdu.p1, apdu.p2);
    case kInsReadBinary:
        // Case 2 only: READ BINARY has no command data and needs Le (no Le means Ne = 0).
        if (apdu.hasLc || !apdu.hasLe)
            return status(kSwWrongLength);
        return readBinary(apdu.p1, apdu.p2, apdu.ne);
    default:
        // UPDATE BINARY: the CC announces write access FFh, so the condition for writing
        // can never be met ("security status not satisfied"). The tag must stay read-only
        // (DESIGN.md, Hardware facts) whatever a phone sends.
        return status(kSwSecurityNotSatisfied);
    }
}

QByteArray Type4Tag::select(QByteArrayView data, quint8 p1, quint8 p2)
{
    if (data.isEmpty())
        return status(kSwWrongLength);
    // P2 00 asks for the FCI, 0C for no response data. T4T 1.0 readers send 00, 2.0 readers
    // 0C; the tag returns no FCI either way, so both are accepted whichever AID was chosen.
    if (p2 != 0x00 && p2 != 0x0C)
        return status(kSwIncorrectP1P2);

    if (p1 == 0x04) { // select by DF name
        const QByteArrayView prefix(kAidPrefix, kAidSize - 1);
        if (data.size() != kAidSize || !data.startsWith(prefix))
            return status(kSwNotFound);
        const auto major = quint8(data[kAidSize - 1]);
        if (major != 0x00 && major != 0x01)
            return status(kSwNotFound);
        m_application = major == 0x00 ? Application::Mapping10 : Application::Mapping20;
        m_cc[kCcVersionByte] = char(major == 0x00 ? 0x10 : 0x20);
        m_file = File::None; // a newly selected DF has no current EF
        return status(kSwOk);
    }
    if (p1 != 0x00) // selection by path or by other means: not part of the T4T command set
        return status(kSwIncorrectP1P2);

    if (data.size() != 2)
        return status(kSwWrongLength);
    // Before the NDEF application is selected the current DF is the (absent) master file,
    // which holds neither E103 nor E104: ISO/IEC 7816-4 answers "file not found" (6A82),
    // as for any other unknown id. 6985 would claim the file exists but is not usable now.
    if (m_application == Application::None)
        return status(kSwNotFound);
    const quint16 fileId = quint16(quint8(data[0]) << 8 | quint8(data[1]));
    if (fileId == kCcFileId)
        m_file = File::CapabilityContainer;
    else if (fileId == kNdefFileId)
        m_file = File::Ndef;
    else
        return status(kSwNotFound); // the current EF stays as it was
    return status(kSwOk);
}

QByteArray Type4Tag::readBinary(quint8 p1, quint8 p2, int ne)
{
    if (m_file == File::None)
        return status(kSwNoCurrentEf);
    if (p1 & 0x80) // P1 b8 = 1 selects a file by short EF id, which neither file has
        return status(kSwWrongP1P2);
    const qsizetype offset = qsizetype(p1) << 8 | p2;
    const QByteArray &file = m_file == File::Ndef ? m_ndefFile : m_cc;
    if (offset >= file.size())
        return status(kSwWrongP1P2);

    const qsizetype available = file.size() - offset;
    const qsizetype count = std::min<qsizetype>({qsizetype(ne), kMaxResponseData, available});
    QByteArray response;
    response.reserve(count + 2);
    response.append(QByteArrayView(file).sliced(offset, count));
    // Fewer bytes than asked for: with an explicit Le (never above MLe, 255) the file ended;
    // with Le = 00, which ISO/IEC 7816-4 (READ BINARY) defines as "all bytes until the end
    // of the file, within the limit of 256", the file ended or MLe capped the answer, and
    // the reader goes on from there. For an explicit Le past the end ISO allows the
    // warning 6282 ("end of file reached before reading Ne bytes"), but phone NDEF stacks
    // accept 9000 only, and the readers that overrun a file are the ones reading in fixed
    // chunks, the kind that gives up on anything else. The data length already tells a
    // careful reader where the file ended, so the answer is 9000.
    appendStatus(response, kSwOk);
    if (m_file == File::Ndef)
        m_coverage.mark(offset, offset + count);
    return response;
}

void Type4Tag::reset()
{
    m_application = Application::None;
    m_file = File::None;
    m_coverage.clear();
}

bool Type4Tag::messageFullyRead() const
{
    return m_coverage.complete();
}

QByteArray Type4Tag::ndefMessage() const
{
    return m_message;
}

} // namespace poptap::nfc
