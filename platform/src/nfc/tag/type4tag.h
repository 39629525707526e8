#pragma once

#include <QByteArray>
#include <QByteArrayView>

namespace poptap::nfc {

// One read-only NFC Forum Type 4 tag holding one NDEF message, as the kiosk emulates it
// through a PN532 in card mode. It answers command APDUs (ISO/IEC 7816-4) with response
// APDUs following the NFC Forum Type 4 Tag specification, for both NDEF Tag Application
// versions (AID D2760000850100, mapping 1.0; D2760000850101, mapping 2.0).
// Pure byte handling: no I/O, no clock, no allocation beyond the response.
class Type4Tag
{
public:
    // `ndefMessage` is the complete NDEF message (for example from encodeNdefUri()).
    explicit Type4Tag(QByteArray ndefMessage);

    // Answers one command APDU with its response APDU (data, then SW1 SW2). Never throws,
    // never ends the session: anything malformed or unsupported gets its status word.
    QByteArray respond(QByteArrayView commandApdu);

    // A new phone entered the field: nothing selected, nothing read yet.
    void reset();

    // True once, in this session, the reader has been sent every byte of the NDEF file's
    // message (NLEN and the bytes it announces): the phone has the link.
    bool messageFullyRead() const;

    QByteArray ndefMessage() const;
};

} // namespace poptap::nfc
