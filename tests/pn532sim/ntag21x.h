#pragma once

#include "passivetarget.h"

#include <QList>

namespace poptap::pn532sim {

enum class NtagType { Ntag213, Ntag215, Ntag216 };

// Which pages a tag refuses to write, and the bytes that say so.
struct NtagLockState {
    QByteArray staticLock;  // page 2, bytes 2-3
    QByteArray dynamicLock; // the dynamic lock page, bytes 0-2
    bool capabilityContainerLocked = false; // L-CC: page 3 is read-only
    bool configurationLocked = false;       // CFGLCK in ACCESS
    QList<int> readOnlyPages;               // every page a WRITE is refused for, 0 and 1 included
};

// An NXP NTAG213/215/216 (NTAG213/215/216 data sheet, rev. 3.2) as it leaves the factory:
// UID and check bytes in pages 0-2, the NFC Forum Type 2 capability container in page 3,
// an empty NDEF message (03 00 FE) in page 4, configuration pages at the end.
// Modelled commands: READ (0x30, 16 bytes with roll-over), FAST_READ (0x3A), WRITE (0xA2,
// 4-bit ACK 0xA / NAK), GET_VERSION (0x60), PWD_AUTH (0x1B); static and dynamic lock bits
// with their block-locking bits, the one-time-programmable CC, CFGLCK and AUTH0/PROT.
// Anything else (READ_CNT, READ_SIG, COMPATIBILITY_WRITE ...) gets a NAK.
class Ntag21x final : public PassiveTarget
{
public:
    Ntag21x(NtagType type, const QByteArray &uid7);

    TypeAIdentity identity() const override;
    CardReply transceive(QByteArrayView command) override;
    void activated() override { m_authenticated = false; }

    QByteArray memory() const { return m_memory; }
    // Raw memory, including the PWD the tag never reveals over the air.
    QByteArray pages(int first, int count) const;
    // Programs pages directly, as a test fixture would at the factory: no lock checks.
    void setPages(int first, QByteArrayView data);
    bool isPageWritable(int page) const;
    NtagLockState lockState() const;

private:
    struct Geometry;
    const Geometry &geometry() const;
    QByteArray page(int number) const { return m_memory.mid(number * 4, 4); }
    quint8 byteAt(int page, int index) const { return quint8(m_memory[page * 4 + index]); }
    void orInto(int page, int index, quint8 bits);
    bool lockedByStaticBits(int page) const;
    bool lockedByDynamicBits(int page) const;
    bool requiresAuthentication(int page, bool forWrite) const;
    QByteArray readableOver(int page) const;

    CardReply read(QByteArrayView command) const;
    CardReply fastRead(QByteArrayView command) const;
    CardReply write(QByteArrayView command);
    CardReply passwordAuthenticate(QByteArrayView command);
    void writeStaticLockBytes(quint8 lock0, quint8 lock1);
    void writeDynamicLockBytes(QByteArrayView bytes);

    NtagType m_type;
    QByteArray m_uid;
    QByteArray m_memory;
    bool m_authenticated = false;
};

} // namespace poptap::pn532sim
