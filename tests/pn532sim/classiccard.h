#pragma once

#include "passivetarget.h"

namespace poptap::pn532sim {

// A MIFARE Classic 1K-like card, as staff badges are: the reader needs its UID, nothing
// more. Activation per ISO/IEC 14443-3 (ATQA 0004 for a 4-byte UID, 0044 for a 7-byte
// one; SAK 08). The PN532 runs the Crypto1 authentication itself (AUTH 0x60/0x61 in
// InDataExchange); this card accepts the transport key FFFFFFFFFFFF, then READ (0x30)
// returns the manufacturer block or zeros. Writes are refused: a badge is not rewritten.
class ClassicCard final : public PassiveTarget
{
public:
    explicit ClassicCard(const QByteArray &uid);

    TypeAIdentity identity() const override;
    CardReply transceive(QByteArrayView command) override;
    void activated() override { m_authenticatedSector = -1; }

private:
    QByteArray m_uid;
    int m_authenticatedSector = -1;
};

} // namespace poptap::pn532sim
