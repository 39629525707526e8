#pragma once

#include "readcoverage.h"

#include <QByteArray>
#include <QByteArrayView>

namespace poptap::nfc {

// One read-only NFC Forum Type 3 tag (FeliCa Lite-S style memory) holding one NDEF
// message: the fallback emulation for phones that do not read the PN532's Type 4 tag.
// It answers FeliCa commands (Check / Read Without Encryption on the NDEF service 0x000B;
// Update / Write Without Encryption is refused) as the PN532 hands them over in card
// mode, framed as described in type3tag.cpp.
class Type3Tag
{
public:
    static constexpr int kIdmSize = 8;
    // The System Code of NFC Forum Type 3 tags: what the PN532 must announce in
    // TgInitAsTarget's FeliCa parameters, and what Request System Code answers.
    static constexpr quint16 kNdefSystemCode = 0x12FC;
    // Blocks per Check the attribute block advises readers to ask for (Nbr). FeliCa Lite-S
    // announces 4, which every phone that reads Type 3 NDEF has been built against; a
    // kiosk link needs 1..8 blocks. Checks of up to kMaxBlocksPerCheck are answered.
    static constexpr int kBlocksPerCheck = 4;
    // The longest Check answer a one-byte LEN can frame: 13 + 16 × 15 = 253 bytes.
    static constexpr int kMaxBlocksPerCheck = 15;
    // NmaxB is a 16-bit block count (T3T, Attribute Information Block). A longer message
    // is not served: the tag then holds an empty NDEF message (Ln 0).
    static constexpr qsizetype kMaxMessageSize = qsizetype(0xFFFF) * 16;

    // `idm` is the 8-byte manufacture id the PN532 announces (NFCID2). With an id of any
    // other size no frame can address the tag, so it answers nothing.
    Type3Tag(QByteArray ndefMessage, QByteArray idm);

    // Answers one FeliCa command frame; an empty result means "send nothing".
    QByteArray respond(QByteArrayView command);
    void reset();
    // True once, in this session, the attribute block and every block holding message
    // bytes have been sent in successful Check answers.
    bool messageFullyRead() const;

    QByteArray ndefMessage() const;

private:
    QByteArray check(QByteArrayView params);
    QByteArray frame(quint8 responseCode, QByteArrayView payload) const;
    void appendBlock(QByteArray &out, int block) const;

    QByteArray m_message;
    QByteArray m_idm;
    QByteArray m_attributeBlock; // block 0: the Attribute Information Block
    int m_dataBlocks = 0;        // NmaxB: blocks 1..NmaxB hold the message, zero-padded
    ReadCoverage m_coverage;     // over blocks 0 .. ceil(Ln / 16)
};

} // namespace poptap::nfc
