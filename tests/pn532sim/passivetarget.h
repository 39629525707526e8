#pragma once

#include <QByteArray>
#include <QByteArrayView>

#include <utility>

namespace poptap::pn532sim {

// What an ISO/IEC 14443-3 Type A card tells a reader during activation.
struct TypeAIdentity {
    QByteArray uid;     // 4 or 7 bytes, without cascade tags
    quint16 atqa = 0;   // SENS_RES, as the PN532 lists it (MSB first: 0x0044 → "00 44")
    quint8 sak = 0;     // SEL_RES
};

// A card's answer to one command, before the PN532 turns it into a status byte.
struct CardReply {
    enum class Kind {
        Data,       // a frame of data bytes
        Ack,        // the 4-bit ACK (0xA) of a MIFARE write
        Nak,        // a 4-bit NAK: the command was refused
        AuthFailed, // a MIFARE Classic authentication the PN532 ran did not succeed
        Silent,     // no answer at all
    };
    Kind kind = Kind::Silent;
    QByteArray data;
    quint8 nibble = 0; // Ack/Nak: the 4-bit code on the air

    static CardReply withData(QByteArray bytes) { return {Kind::Data, std::move(bytes), 0}; }
    static CardReply ack() { return {Kind::Ack, {}, 0x0A}; }
    static CardReply nak(quint8 code) { return {Kind::Nak, {}, code}; }
    static CardReply authFailed() { return {Kind::AuthFailed, {}, 0}; }
    static CardReply silent() { return {}; }
};

// A card lying on the reader. Commands arrive as the PN532 forwards them in InDataExchange
// (CRC handled by the chip): the card's own command set, nothing of the PN532 framing.
class PassiveTarget
{
public:
    virtual ~PassiveTarget() = default;
    virtual TypeAIdentity identity() const = 0;
    virtual CardReply transceive(QByteArrayView command) = 0;
    // The card was (re)activated: REQA/WUPA + anticollision + select. Ends any session state.
    virtual void activated() {}
};

} // namespace poptap::pn532sim
