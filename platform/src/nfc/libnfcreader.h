#pragma once

#include "ntagwriter.h"

#include <QByteArray>
#include <QString>

#include <functional>
#include <memory>

namespace poptap {

// The one wrapper around libnfc (DESIGN.md: third-party types never leave the file that
// wraps them). Every call blocks the calling thread — the NFC thread — except abort(),
// which any thread may call to cut short the command in progress.
class LibnfcReader
{
public:
    enum class Outcome {
        Done,      // the call did what it was asked
        Nothing,   // no card came, or the phone left: try again
        Aborted,   // abort() interrupted it
        Gone,      // the reader stopped answering (unplugged): close and reopen
    };
    struct Result {
        Outcome outcome = Outcome::Done;
        QString message; // libnfc's words, for the status line
    };

    // Opens `connstring` (for example `pn532_uart:/dev/ttyUSB0`). Null with `error` set
    // when no reader answers there.
    static std::unique_ptr<LibnfcReader> open(const QByteArray &connstring, QString *error);
    ~LibnfcReader();

    QString name() const;
    // Whether the reader can act as a tag for phones (a PN532 can; an ACR122U cannot).
    bool canEmulate() const;

    // Thread-safe: interrupts the blocking call in progress on the NFC thread.
    void abort();

    // Card emulation, one phone at a time. Waits up to `waitMs` for a phone, then feeds
    // each command it sends to `respond`, sends back the answer and calls `answered` once
    // the chip has taken it, until the phone leaves (Nothing), `keepGoing` says stop
    // before the next command (Aborted) or the reader fails (Gone). An answer already
    // worked out is always sent: a stop asked for meanwhile must not cut off a phone's
    // last bytes.
    enum class Emulation { Type4, FeliCa };
    using Responder = std::function<QByteArray(QByteArrayView command)>;
    Result emulate(Emulation emulation, const QByteArray &felicaIdm, int waitMs, const Responder &respond,
                   const std::function<void()> &answered, const std::function<bool()> &keepGoing);

    // Looks for an ISO/IEC 14443-A card for about `waitMs`. On Done, `uid` holds its UID
    // and `isNtag` whether it answers like an NTAG21x / Ultralight (SAK 0x00).
    Result poll(int waitMs, QByteArray *uid, bool *isNtag);
    // After Done from poll(): the card, for the NTAG commands. Valid until the next poll.
    NtagAccess &card();
    // Switches the RF field off between polls, as libnfc's nfc_idle() does.
    void idle();

private:
    struct Handle;
    explicit LibnfcReader(std::unique_ptr<Handle> handle);
    Result failure(int code) const;

    std::unique_ptr<Handle> m_handle;
};

} // namespace poptap
