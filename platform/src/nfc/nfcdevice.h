#pragma once

#include <QByteArray>
#include <QObject>
#include <QUrl>

namespace poptap {

// An NFC reader/emulator behind one interface (DESIGN.md, "platform/"). It does one
// thing at a time, in this order of precedence:
//   writing  a POP sticker (staff asked for it; the next NTAG21x held to the reader),
//   serving  the link that is on screen (tag emulation: a phone tapping the kiosk reads it),
//   reading  cards (staff cards; a sticker's NDEF) whenever it is doing nothing else.
// Backends (`sim`, `libnfc:<connstring>`) are chosen at run time by createNfcDevice().
class NfcDevice : public QObject
{
    Q_OBJECT
public:
    enum class Status {
        Absent,  // no reader (unplugged, not there yet); reopened with backoff
        Ready,   // open, between modes
        Serving, // emulating a tag that carries servedLink()
        Reading, // looking for cards
        Writing, // waiting for a sticker to write, or writing it
        Error,   // statusReason() says what
    };
    Q_ENUM(Status)

    using QObject::QObject;

    // Serves `link` as an NDEF URI record until stopServing() or another serveLink().
    // Only https links are served: iPhones open nothing else from a background read.
    virtual void serveLink(const QUrl &link) = 0;
    // After this returns no phone can read the previous link: a stale link is never served.
    virtual void stopServing() = 0;

    // The next NTAG213/215/216 held to the reader receives `link` as its only NDEF record,
    // is read back and compared; with `permanentLock` it is then made read-only for good.
    // Ends with tagWritten() or tagWriteFailed(); a new call replaces a pending one.
    virtual void writeTag(const QUrl &link, bool permanentLock) = 0;
    virtual void cancelWrite() = 0;

    // False for readers that cannot emulate a tag (ACR122U): they still read and write.
    virtual bool canEmulate() const = 0;

    virtual Status status() const = 0;
    virtual QString statusReason() const = 0;
    virtual QUrl servedLink() const = 0;
    // The backend string this device was created from, for diagnostics.
    virtual QString backendName() const = 0;

Q_SIGNALS:
    void statusChanged();
    // A phone read the served NDEF message; `link` is the URI it decoded.
    void linkRead(const QUrl &link);
    // A card or tag came into the field while reading: once per presentation. `ndef` is
    // the NDEF message it carries (NTAG21x), empty for other cards.
    void cardPresented(const QByteArray &uid, const QByteArray &ndef);
    void tagWritten(const QUrl &link, const QString &tagType, bool locked);
    void tagWriteFailed(const QString &reason);
};

QString toString(NfcDevice::Status status);

} // namespace poptap
