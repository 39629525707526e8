#pragma once

#include <QByteArray>
#include <QString>

namespace poptap::pn532sim {

// One command the host sent, and what became of it.
struct CommandRecord {
    enum class Outcome {
        Pending,     // still running (waiting for a card, a phone, a timer)
        Answered,    // a response frame went out (the status byte inside may be an error)
        SyntaxError, // answered with the application-level error frame
        Aborted,     // the host's ACK cancelled it (UM0701-02, dialog structure)
        Superseded,  // a new command arrived before it finished
        PowerLost,   // unplugged while running
    };
    quint8 code = 0;       // D4 <code>
    QByteArray parameters; // bytes after the command code
    Outcome outcome = Outcome::Pending;
    qint64 receivedMs = 0; // since the simulator started
};

// What the simulated PN532 saw on its serial line.
struct LineStats {
    int commandFrames = 0;  // well-formed information frames
    int extendedFrames = 0;
    int acksReceived = 0;   // host ACKs (aborts)
    int nacksReceived = 0;
    int checksumErrors = 0; // frames dropped without an ACK
    int skippedBytes = 0;   // wake-up bytes, preambles, postambles and noise
    int errorFramesSent = 0;
};

// The chip's power modes (UM0701-02, power management; AN10609_3, "Low battery mode" of the C106).
enum class PowerState {
    Unplugged,
    LowVbat,   // after power-on, until SAMConfiguration; a byte on HSU wakes it
    PowerDown, // after PowerDown, or while TgInitAsTarget waits for an initiator
    Normal,
};

// "InListPassiveTarget", ... or "0x5A" for a code the PN532 does not know.
QString commandName(quint8 code);

} // namespace poptap::pn532sim
