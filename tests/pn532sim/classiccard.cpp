#include "classiccard.h"

namespace poptap::pn532sim {

namespace {

constexpr quint8 cmdAuthA = 0x60;
constexpr quint8 cmdAuthB = 0x61;
constexpr quint8 cmdRead = 0x30;
constexpr quint8 nakNotAllowed = 0x4;

int sectorOf(int block)
{
    return block / 4;
}

} // namespace

ClassicCard::ClassicCard(const QByteArray &uid)
    : m_uid(uid.size() == 7 ? uid : uid.left(4).leftJustified(4, '\0'))
{
}

TypeAIdentity ClassicCard::identity() const
{
    // ISO/IEC 14443-3, coding of ATQA: bits 8-7 give the UID size (00 single, 01 double).
    return {m_uid, quint16(m_uid.size() == 7 ? 0x0044 : 0x0004), 0x08};
}

CardReply ClassicCard::transceive(QByteArrayView command)
{
    if (command.isEmpty())
        return CardReply::silent();
    const quint8 code = quint8(command[0]);
    if (code == cmdAuthA || code == cmdAuthB) {
        // InDataExchange AUTH: block, 6-byte key, 4 bytes of the UID (UM0701-02, InDataExchange).
        if (command.size() < 12 || command.sliced(2, 6) != QByteArrayView("\xFF\xFF\xFF\xFF\xFF\xFF", 6)) {
            m_authenticatedSector = -1;
            return CardReply::authFailed();
        }
        m_authenticatedSector = sectorOf(quint8(command[1]));
        return CardReply::ack();
    }
    if (code == cmdRead && command.size() == 2 && sectorOf(quint8(command[1])) == m_authenticatedSector) {
        const int block = quint8(command[1]);
        QByteArray data(16, '\0');
        if (block == 0) {
            // Manufacturer block: UID, BCC, SAK, ATQA (LSB first), manufacturer data.
            const QByteArray uid4 = m_uid.left(4);
            quint8 bcc = 0;
            for (char byte : uid4)
                bcc ^= quint8(byte);
            data = uid4 + char(bcc) + char(0x08) + QByteArray::fromHex("0400") + QByteArray(8, '\0');
        } else if (block % 4 == 3) {
            // Sector trailer: keys read as zeros, transport access bits.
            data = QByteArray(6, '\0') + QByteArray::fromHex("FF078069") + QByteArray(6, '\0');
        }
        return CardReply::withData(data);
    }
    return CardReply::nak(nakNotAllowed);
}

} // namespace poptap::pn532sim
