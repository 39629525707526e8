#include "ntag21x.h"

#include <algorithm>

namespace poptap::pn532sim {

// Memory organisation per type (data sheet, "Memory organization").
struct Ntag21x::Geometry {
    int totalPages;         // 4-byte pages, configuration included
    int lastUserPage;
    int dynamicLockPage;    // then CFG0, CFG1, PWD, PACK
    quint8 ccDataAreaSize;  // CC byte 2: user memory / 8
    quint8 versionStorage;  // GET_VERSION byte 6
    int pagesPerLockBit;    // dynamic lock granularity ("Dynamic lock bytes")
    int lockBitsPerBlockBit;
    int cfg0() const { return dynamicLockPage + 1; }
    int cfg1() const { return dynamicLockPage + 2; }
    int pwd() const { return dynamicLockPage + 3; }
    int pack() const { return dynamicLockPage + 4; }
};

namespace {

// Reply codes on the air ("ACK and NAK"): 0xA ACK, 0x0 invalid argument (page address, locked page).
constexpr quint8 nakInvalidArgument = 0x0;

constexpr quint8 cmdGetVersion = 0x60;
constexpr quint8 cmdRead = 0x30;
constexpr quint8 cmdFastRead = 0x3A;
constexpr quint8 cmdWrite = 0xA2;
constexpr quint8 cmdPwdAuth = 0x1B;

constexpr quint8 accessProt = 0x80;   // CFG1 ACCESS bit 7: AUTH0 also protects reads
constexpr quint8 accessCfgLck = 0x40; // CFG1 ACCESS bit 6: CFG0/CFG1 permanently read-only

} // namespace

const Ntag21x::Geometry &Ntag21x::geometry() const
{
    static const Geometry ntag213{45, 0x27, 0x28, 0x12, 0x0F, 2, 4};
    static const Geometry ntag215{135, 0x81, 0x82, 0x3E, 0x11, 16, 2};
    static const Geometry ntag216{231, 0xE1, 0xE2, 0x6D, 0x13, 16, 2};
    switch (m_type) {
    case NtagType::Ntag213:
        return ntag213;
    case NtagType::Ntag215:
        return ntag215;
    case NtagType::Ntag216:
        break;
    }
    return ntag216;
}

Ntag21x::Ntag21x(NtagType type, const QByteArray &uid7)
    : m_type(type)
    , m_uid(uid7.left(7).leftJustified(7, '\0'))
{
    const Geometry &g = geometry();
    m_memory = QByteArray(g.totalPages * 4, '\0');
    const auto u = [this](int i) { return quint8(m_uid[i]); };
    // "UID/serial number": BCC0 = CT (0x88) ^ UID0 ^ UID1 ^ UID2, BCC1 = UID3 ^ UID4 ^ UID5 ^ UID6.
    const char serial[] = {char(u(0)), char(u(1)), char(u(2)), char(0x88 ^ u(0) ^ u(1) ^ u(2)),
                           char(u(3)), char(u(4)), char(u(5)), char(u(6)),
                           char(u(3) ^ u(4) ^ u(5) ^ u(6)), char(0x48), 0x00, 0x00};
    setPages(0, QByteArrayView(serial, sizeof serial));
    // "Capability Container": the CC of a formatted NFC Forum Type 2 tag, read/write.
    QByteArray capabilityContainer = QByteArray::fromHex("E1100000");
    capabilityContainer[2] = char(g.ccDataAreaSize);
    setPages(3, capabilityContainer);
    // Empty NDEF message TLV, then the terminator TLV.
    setPages(4, QByteArray::fromHex("0300FE00"));
    setPages(g.dynamicLockPage, QByteArray::fromHex("000000BD"));
    setPages(g.cfg0(), QByteArray::fromHex("040000FF")); // STRG_MOD_EN, AUTH0 = FF: no password area
    setPages(g.cfg1(), QByteArray::fromHex("00050000"));
    setPages(g.pwd(), QByteArray::fromHex("FFFFFFFF"));
    setPages(g.pack(), QByteArray::fromHex("00000000"));
}

TypeAIdentity Ntag21x::identity() const
{
    return {m_uid, 0x0044, 0x00};
}

QByteArray Ntag21x::pages(int first, int count) const
{
    if (first < 0 || count < 0)
        return {};
    return m_memory.mid(first * 4, count * 4);
}

void Ntag21x::setPages(int first, QByteArrayView data)
{
    const qsizetype offset = qsizetype(first) * 4;
    if (first < 0 || offset >= m_memory.size())
        return;
    const qsizetype length = std::min(data.size(), m_memory.size() - offset);
    std::copy_n(data.data(), length, m_memory.data() + offset);
}

void Ntag21x::orInto(int pageNumber, int index, quint8 bits)
{
    char &byte = m_memory[pageNumber * 4 + index];
    byte = char(quint8(byte) | bits);
}

bool Ntag21x::lockedByStaticBits(int pageNumber) const
{
    // "Static lock bytes": lock byte 0 bits 3..7 = L-CC, L4..L7; lock byte 1 bits 0..7 = L8..L15.
    if (pageNumber == 3)
        return byteAt(2, 2) & 0x08;
    if (pageNumber >= 4 && pageNumber <= 7)
        return byteAt(2, 2) & (0x10 << (pageNumber - 4));
    if (pageNumber >= 8 && pageNumber <= 15)
        return byteAt(2, 3) & (0x01 << (pageNumber - 8));
    return false;
}

bool Ntag21x::lockedByDynamicBits(int pageNumber) const
{
    const Geometry &g = geometry();
    if (pageNumber < 16 || pageNumber > g.lastUserPage)
        return false;
    // "Dynamic lock bytes": bit k of dynamic lock bytes 0-1 locks pages 16 + k*n .. 16 + (k+1)*n - 1.
    const int bit = (pageNumber - 16) / g.pagesPerLockBit;
    return byteAt(g.dynamicLockPage, bit / 8) & (1 << (bit % 8));
}

bool Ntag21x::requiresAuthentication(int pageNumber, bool forWrite) const
{
    const Geometry &g = geometry();
    const int auth0 = byteAt(g.cfg0(), 3);
    if (m_authenticated || pageNumber < auth0)
        return false;
    return forWrite || (byteAt(g.cfg1(), 0) & accessProt);
}

bool Ntag21x::isPageWritable(int pageNumber) const
{
    const Geometry &g = geometry();
    if (pageNumber < 2 || pageNumber >= g.totalPages)
        return false;
    if (requiresAuthentication(pageNumber, true))
        return false;
    if (lockedByStaticBits(pageNumber) || lockedByDynamicBits(pageNumber))
        return false;
    if (pageNumber == g.cfg0() || pageNumber == g.cfg1())
        return !(byteAt(g.cfg1(), 0) & accessCfgLck);
    return true;
}

NtagLockState Ntag21x::lockState() const
{
    const Geometry &g = geometry();
    NtagLockState state;
    state.staticLock = m_memory.mid(2 * 4 + 2, 2);
    state.dynamicLock = m_memory.mid(g.dynamicLockPage * 4, 3);
    state.capabilityContainerLocked = lockedByStaticBits(3);
    state.configurationLocked = byteAt(g.cfg1(), 0) & accessCfgLck;
    for (int p = 0; p < g.totalPages; ++p) {
        if (!isPageWritable(p))
            state.readOnlyPages.append(p);
    }
    return state;
}

QByteArray Ntag21x::readableOver(int pageNumber) const
{
    const Geometry &g = geometry();
    // "Password verification protection": PWD and PACK always read as 00h; a protected page reads as 00h too.
    if (pageNumber == g.pwd() || pageNumber == g.pack() || requiresAuthentication(pageNumber, false))
        return QByteArray(4, '\0');
    return page(pageNumber);
}

CardReply Ntag21x::transceive(QByteArrayView command)
{
    if (command.isEmpty())
        return CardReply::silent();
    switch (quint8(command[0])) {
    case cmdGetVersion: {
        if (command.size() != 1)
            return CardReply::nak(nakInvalidArgument);
        // GET_VERSION response: fixed header, vendor NXP, type NTAG, subtype 50 pF, major 1, minor 0,
        // storage size, protocol ISO/IEC 14443-3.
        QByteArray version = QByteArray::fromHex("0004040201000003");
        version[6] = char(geometry().versionStorage);
        return CardReply::withData(version);
    }
    case cmdRead:
        return read(command);
    case cmdFastRead:
        return fastRead(command);
    case cmdWrite:
        return write(command);
    case cmdPwdAuth:
        return passwordAuthenticate(command);
    default:
        return CardReply::nak(nakInvalidArgument);
    }
}

CardReply Ntag21x::read(QByteArrayView command) const
{
    const int total = geometry().totalPages;
    if (command.size() != 2)
        return CardReply::nak(nakInvalidArgument);
    const int start = quint8(command[1]);
    if (start >= total || requiresAuthentication(start, false))
        return CardReply::nak(nakInvalidArgument);
    // READ: 16 bytes; past the last page the read rolls over to page 0.
    QByteArray data;
    for (int i = 0; i < 4; ++i)
        data += readableOver((start + i) % total);
    return CardReply::withData(data);
}

CardReply Ntag21x::fastRead(QByteArrayView command) const
{
    const int total = geometry().totalPages;
    if (command.size() != 3)
        return CardReply::nak(nakInvalidArgument);
    const int start = quint8(command[1]);
    const int end = quint8(command[2]);
    if (start > end || end >= total || requiresAuthentication(start, false))
        return CardReply::nak(nakInvalidArgument);
    QByteArray data;
    for (int p = start; p <= end; ++p)
        data += readableOver(p);
    return CardReply::withData(data);
}

CardReply Ntag21x::write(QByteArrayView command)
{
    const Geometry &g = geometry();
    if (command.size() != 6)
        return CardReply::nak(nakInvalidArgument);
    const int target = quint8(command[1]);
    const QByteArrayView data = command.sliced(2, 4);
    if (!isPageWritable(target))
        return CardReply::nak(nakInvalidArgument);

    if (target == 2) {
        // Bytes 0-1 (BCC1, internal) are read-only and ignored; the lock bytes are OR'ed.
        writeStaticLockBytes(quint8(data[2]), quint8(data[3]));
    } else if (target == 3) {
        // The capability container is one-time programmable: bits can only be set.
        for (int i = 0; i < 4; ++i)
            orInto(3, i, quint8(data[i]));
    } else if (target == g.dynamicLockPage) {
        writeDynamicLockBytes(data.first(3));
    } else {
        setPages(target, data);
    }
    return CardReply::ack();
}

void Ntag21x::writeStaticLockBytes(quint8 lock0, quint8 lock1)
{
    const quint8 current0 = byteAt(2, 2);
    // Block-locking bits freeze lock bits: BL-CC → L-CC, BL9-4 → L4..L9,
    // BL15-10 → L10..L15.
    if (current0 & 0x01)
        lock0 &= ~0x08;
    if (current0 & 0x02) {
        lock0 &= ~0xF0;
        lock1 &= ~0x03;
    }
    if (current0 & 0x04)
        lock1 &= ~0xFC;
    orInto(2, 2, lock0);
    orInto(2, 3, lock1);
}

void Ntag21x::writeDynamicLockBytes(QByteArrayView bytes)
{
    const Geometry &g = geometry();
    const int lockBits = (g.lastUserPage - 16) / g.pagesPerLockBit + 1;
    const quint8 blockBits = byteAt(g.dynamicLockPage, 2);
    for (int bit = 0; bit < lockBits; ++bit) {
        const bool frozen = blockBits & (1 << (bit / g.lockBitsPerBlockBit));
        const bool requested = quint8(bytes[bit / 8]) & (1 << (bit % 8));
        if (requested && !frozen)
            orInto(g.dynamicLockPage, bit / 8, quint8(1 << (bit % 8)));
    }
    const int blockLockBits = (lockBits + g.lockBitsPerBlockBit - 1) / g.lockBitsPerBlockBit;
    orInto(g.dynamicLockPage, 2, quint8(bytes[2]) & quint8((1 << blockLockBits) - 1));
}

CardReply Ntag21x::passwordAuthenticate(QByteArrayView command)
{
    const Geometry &g = geometry();
    if (command.size() != 5 || command.sliced(1) != QByteArrayView(page(g.pwd())))
        return CardReply::nak(nakInvalidArgument);
    m_authenticated = true;
    return CardReply::withData(page(g.pack()).left(2));
}

} // namespace poptap::pn532sim
