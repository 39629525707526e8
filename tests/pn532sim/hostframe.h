#pragma once

#include <QByteArray>
#include <QByteArrayView>

#include <optional>

namespace poptap::pn532sim {

// The frames of the PN532's host link (UM0701-02 §6.2.1): what the chip recognises in the
// byte stream it receives, and what it sends back.
struct HostFrame {
    enum class Kind {
        Information, // normal or extended information frame: TFI + PD0..PDn
        Ack,         // 00 00 FF 00 FF 00: from the host it aborts the running command (§6.2.1, dialog structure)
        Nack,        // 00 00 FF FF 00 00: the host asks for the last response again (§6.2.1)
    };
    Kind kind = Kind::Information;
    QByteArray payload; // Information only: TFI, command code, parameters
    bool extended = false;
};

// Largest information frame the chip accepts: TFI + 264 bytes (§6.2.1.2; libnfc's
// PN53x_EXTENDED_FRAME__DATA_MAX_LEN).
inline constexpr int maxPayloadLength = 265;

// Finds frames in the bytes the host sends. Like the chip, it hunts for the start code
// 00 FF, so wake-up bytes (55 55 00 ...), preambles and line noise are skipped; a frame
// whose length or data checksum is wrong is dropped without an ACK and the search resumes
// right after its start code, so a real frame hidden behind a broken one is still found.
class HostFrameDecoder
{
public:
    void feed(QByteArrayView bytes);
    std::optional<HostFrame> next();

    // An unfinished frame that waited too long is noise that happened to contain a start
    // code: drop that start code and search again. (The chip has no such timer; without it
    // a stray "00 FF 20 E0" would swallow the host's next command.)
    bool hasPartialFrame() const { return !m_buffer.isEmpty(); }
    void abandonPartialFrame();
    void clear() { m_buffer.clear(); }

    int checksumErrors() const { return m_checksumErrors; }
    int skippedBytes() const { return m_skippedBytes; }

private:
    void skip(qsizetype count);

    QByteArray m_buffer;
    int m_checksumErrors = 0;
    int m_skippedBytes = 0;
};

// 00 00 FF LEN LCS TFI ... DCS 00; extended (00 00 FF FF FF LENM LENL LCS ...) when the
// payload does not fit LEN's byte.
QByteArray encodeInformationFrame(QByteArrayView payload);
QByteArray ackFrame();
// The application-level error frame: the command was received but not understood (§6.2.1).
QByteArray syntaxErrorFrame();

} // namespace poptap::pn532sim
