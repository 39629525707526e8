#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QList>
#include <QString>

#include <optional>

namespace poptap::nfc {

// NXP NTAG213/215/216 as NFC Forum Type 2 tags: what the kiosk writes onto POP stickers.
enum class NtagType { Ntag213, Ntag215, Ntag216 };

struct NtagLayout {
    NtagType type;
    int totalPages;        // all 4-byte pages, configuration included
    int userBytes;         // NDEF area: pages 4 .. 4 + userBytes/4 - 1
    int dynamicLockPage;   // page holding the three dynamic lock bytes
    QByteArray capabilityContainer; // the 4 CC bytes (page 3) of a formatted, writable tag
};

NtagLayout layoutOf(NtagType type);
QString toString(NtagType type);      // "NTAG213", ...

// The longest NDEF message planNdefWrite() puts on a tag of this type: the NFC Forum data
// area the CC announces (byte 2 × 8: 144, 496, 872 bytes; NTAG215/216 keep their last 8/16
// user bytes outside it) less the NDEF TLV header (2 or 4 bytes) and the terminator TLV.
int maxNdefMessageSize(NtagType type);

// The tag type from the 8-byte GET_VERSION (0x60) answer; nullopt for anything else.
std::optional<NtagType> ntagTypeFromVersion(QByteArrayView version);

struct PageWrite {
    int page;
    QByteArray data; // exactly 4 bytes
    bool operator==(const PageWrite &) const = default;
};

struct NtagWritePlan {
    QList<PageWrite> writes; // in the order they must be sent (WRITE, 0xA2)
    QString error;           // set when the message cannot go onto this tag; writes empty
};

// Pages to write so that the tag holds `ndefMessage` as its only NDEF message:
// capability container (only if `currentCc` is blank; a CC that differs from a writable
// NTAG's is refused), NDEF TLV, terminator TLV. Ordered so that an interrupted write
// leaves an empty NDEF message rather than a corrupt one.
NtagWritePlan planNdefWrite(NtagType type, QByteArrayView currentCc, const QByteArray &ndefMessage);

// Pages to write, after a verified NDEF write, to make the tag read-only for good:
// CC read-only, dynamic and static lock bits.
QList<PageWrite> planPermanentLock(NtagType type);

struct NdefFromTag {
    QByteArray message; // empty when the tag holds an empty NDEF message
    QString error;      // set when the memory is not an NFC Forum Type 2 NDEF layout
};

// Reads the NDEF message out of Type 2 tag memory starting at page 0 (at least the CC
// page and the user pages): checks the CC, walks NULL/Lock/Memory control TLVs, takes
// the first NDEF TLV.
NdefFromTag ndefFromType2Memory(QByteArrayView memory);

} // namespace poptap::nfc
