#pragma once

#include "readcoverage.h"

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
    // MLe announced in the CC: the most data bytes one READ BINARY answer carries. The
    // PN532 sends an answer with one TgSetData of at most 262 data bytes; 255 + SW1 SW2 =
    // 257 fits, and 255 (not 256) keeps every read a short APDU with an explicit Le.
    static constexpr int kMaxResponseData = 255;
    // MLc announced in the CC: the longest command data accepted (a short APDU's Lc).
    static constexpr int kMaxCommandData = 255;
    // The longest message served. READ BINARY addresses the file with a 15-bit offset
    // (P1 bit 8 is 0), so NLEN and the message stay within offsets 0000..7FFE. A longer
    // message is not served: the tag then holds an empty NDEF message (NLEN 0000).
    static constexpr qsizetype kMaxMessageSize = 0x7FFF - 2;

    // `ndefMessage` is the complete NDEF message (for example from encodeNdefUri()).
    explicit Type4Tag(QByteArray ndefMessage);

    // Answers one command APDU with its response APDU (data, then SW1 SW2). Never throws,
    // never ends the session: anything malformed or unsupported gets its status word.
    // Every answer has 2 .. kMaxResponseData + 2 bytes.
    QByteArray respond(QByteArrayView commandApdu);

    // A new phone entered the field: nothing selected, nothing read yet.
    void reset();

    // True once, in this session, the reader has been sent every byte of the NDEF file's
    // message (NLEN and the bytes it announces): the phone has the link.
    bool messageFullyRead() const;

    QByteArray ndefMessage() const;

private:
    enum class Application : quint8 { None, Mapping10, Mapping20 };
    enum class File : quint8 { None, CapabilityContainer, Ndef };

    QByteArray select(QByteArrayView data, quint8 p1, quint8 p2);
    QByteArray readBinary(quint8 p1, quint8 p2, int ne);

    QByteArray m_message;
    QByteArray m_ndefFile;  // NLEN (big-endian) and the message, zero-padded to 5 bytes at least
    QByteArray m_cc;        // the 15-byte CC file; byte 2 (mapping version) follows the selected AID
    ReadCoverage m_coverage; // over [0, 2 + NLEN) of the NDEF file
    Application m_application = Application::None;
    File m_file = File::None;
};

} // namespace poptap::nfc
