#include "simulatedntag.h"

namespace poptap {

namespace {

constexpr int kLockPage = 2;
constexpr int kCcPage = 3;
constexpr int kFirstUserPage = 4;

} // namespace

SimulatedNtag::SimulatedNtag(nfc::NtagType type)
    : m_type(type)
{
    const nfc::NtagLayout layout = nfc::layoutOf(type);
    m_memory = QByteArray(layout.totalPages * 4, '\0');
    // A 7-byte UID (NXP, 0x04) with its two check bytes, as in data sheet section 8.5.1.
    const quint8 uid[7] = {0x04, 0x5A, 0x1C, 0x22, 0x6B, 0x40, 0x81};
    m_memory[0] = char(uid[0]);
    m_memory[1] = char(uid[1]);
    m_memory[2] = char(uid[2]);
    m_memory[3] = char(0x88 ^ uid[0] ^ uid[1] ^ uid[2]);
    for (int i = 0; i < 4; ++i)
        m_memory[4 + i] = char(uid[3 + i]);
    m_memory[8] = char(uid[3] ^ uid[4] ^ uid[5] ^ uid[6]);
    m_memory.replace(kCcPage * 4, 4, layout.capabilityContainer);
    // Factory content of the user area: an empty NDEF message and a terminator.
    m_memory[kFirstUserPage * 4] = char(0x03);
    m_memory[kFirstUserPage * 4 + 2] = char(0xFE);
}

QByteArray SimulatedNtag::getVersion()
{
    const char storage = m_type == nfc::NtagType::Ntag213 ? 0x0F : m_type == nfc::NtagType::Ntag215 ? 0x11 : 0x13;
    return QByteArray::fromHex("0004040201000003").replace(6, 1, QByteArray(1, storage));
}

QByteArray SimulatedNtag::read4Pages(int page)
{
    const int pages = int(m_memory.size() / 4);
    if (page < 0 || page >= pages)
        return {};
    QByteArray out;
    for (int i = 0; i < 4; ++i) // reading past the end rolls over to page 0 (data sheet 10.2)
        out += m_memory.mid(((page + i) % pages) * 4, 4);
    return out;
}

bool SimulatedNtag::writePage(int page, const QByteArray &fourBytes)
{
    const int pages = int(m_memory.size() / 4);
    if (fourBytes.size() != 4 || page < kLockPage || page >= pages || isLocked(page))
        return false;
    const int dynamicLock = nfc::layoutOf(m_type).dynamicLockPage;
    if (page == kLockPage) { // bytes 0-1 are internal; the lock bits can only be set
        m_memory[page * 4 + 2] = char(m_memory[page * 4 + 2] | fourBytes[2]);
        m_memory[page * 4 + 3] = char(m_memory[page * 4 + 3] | fourBytes[3]);
        return true;
    }
    if (page == kCcPage || page == dynamicLock) { // one-time programmable: bits only set
        for (int i = 0; i < 4; ++i)
            m_memory[page * 4 + i] = char(m_memory[page * 4 + i] | fourBytes[i]);
        return true;
    }
    m_memory.replace(page * 4, 4, fourBytes);
    return true;
}

bool SimulatedNtag::isLocked(int page) const
{
    const quint8 lock0 = quint8(m_memory[kLockPage * 4 + 2]);
    const quint8 lock1 = quint8(m_memory[kLockPage * 4 + 3]);
    // Static lock bits (data sheet 8.5.2): byte 2 bit n locks page n for n = 3..7, byte 3
    // bit n locks page 8 + n.
    if (page >= 3 && page <= 7)
        return lock0 & (1u << page);
    if (page >= 8 && page <= 15)
        return lock1 & (1u << (page - 8));
    // Dynamic lock bits: the simulation treats any set bit as locking the whole area past
    // page 15 — coarser than the chip, never more permissive than it.
    const nfc::NtagLayout layout = nfc::layoutOf(m_type);
    if (page >= 16 && page < kFirstUserPage + layout.userBytes / 4) {
        const int at = layout.dynamicLockPage * 4;
        return m_memory[at] || m_memory[at + 1] || m_memory[at + 2];
    }
    return false;
}

} // namespace poptap
