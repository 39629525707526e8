#pragma once

#include "ntag21x.h"

#include <QByteArray>
#include <QString>
#include <QUrl>

#include <optional>

namespace poptap {

// The commands a sticker understands (NTAG21x data sheet, section 10), whatever carries
// them: the PN532 through libnfc, or the simulated sticker of the `sim` backend.
class NtagAccess
{
public:
    virtual ~NtagAccess() = default;
    // GET_VERSION (0x60): the 8-byte answer, empty when the tag did not answer.
    virtual QByteArray getVersion() = 0;
    // READ (0x30): the 16 bytes of pages page .. page+3, empty on failure.
    virtual QByteArray read4Pages(int page) = 0;
    // WRITE (0xA2): true when the tag acknowledged.
    virtual bool writePage(int page, const QByteArray &fourBytes) = 0;
};

struct NtagWriteOutcome {
    std::optional<nfc::NtagType> type;
    QString error; // empty on success
};

// Writes `link` as the sticker's only NDEF record: identifies the tag, plans the pages
// (ntag21x.h), writes them, reads the whole NDEF area back and compares, then with
// `permanentLock` locks the tag and checks that the capability container says read-only.
NtagWriteOutcome writeLinkToNtag(NtagAccess &tag, const QUrl &link, bool permanentLock);

// Reads a sticker's memory from page 0 through its NDEF area, for ndefFromType2Memory().
QByteArray readNtagMemory(NtagAccess &tag, nfc::NtagType type);

} // namespace poptap
