#pragma once

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
    // `idm` is the 8-byte manufacture id the PN532 announces (NFCID2).
    Type3Tag(QByteArray ndefMessage, QByteArray idm);

    // Answers one FeliCa command frame; an empty result means "send nothing".
    QByteArray respond(QByteArrayView command);
    void reset();
    bool messageFullyRead() const;
};

} // namespace poptap::nfc
