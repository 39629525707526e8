#pragma once

#include <QByteArray>
#include <QList>
#include <QMultiMap>
#include <QString>
#include <QUrl>

#include <chrono>
#include <optional>

namespace poptap::pn532sim {

// What a phone learns when it activates an ISO/IEC 14443-4 Type A tag.
struct TypeAActivation {
    QByteArray uid;  // NFCID1
    quint16 atqa = 0;
    quint8 sak = 0;
    QByteArray ats;  // the answer to RATS, TL first
};

// The radio link from a phone's side: the phone is the reader (initiator), the PN532 in
// card-emulation mode is the tag. Frames are whole APDUs (ISO-DEP chaining, WTX and block
// numbering are the link's business) or whole FeliCa frames with their length byte.
class PhoneRf
{
public:
    virtual ~PhoneRf() = default;
    // Polls for a Type A tag, selects it and sends RATS (FSDI/CID byte `ratsParameter`).
    virtual std::optional<TypeAActivation> activateTypeA(quint8 ratsParameter, std::chrono::milliseconds timeout) = 0;
    // Sends FeliCa Polling (SENSF_REQ) until a tag answers; returns SENSF_RES (LEN first).
    virtual std::optional<QByteArray> pollFelica(quint16 systemCode, quint8 requestCode, bool at424,
                                                 std::chrono::milliseconds timeout) = 0;
    // False when the tag is gone (released, reset, unpowered).
    virtual bool send(const QByteArray &frame) = 0;
    virtual std::optional<QByteArray> receive(std::chrono::milliseconds timeout) = 0;
    virtual void deselect() = 0; // ISO-DEP S(DESELECT)
    virtual void leave() = 0;    // the phone moves away: its field is gone
};

// How a phone reads the tag it is tapped on, with its OWN reader-side implementation of
// the NFC Forum procedures (Type 4 Tag 2.0 "NDEF Detection Procedure" and "NDEF Read
// Procedure"; Type 3 Tag 1.0 "NDEF Read Procedure"), and how it misbehaves if asked to.
struct PhoneScript {
    enum class Technology { IsoDep, FeliCa };
    enum class NdefApplication { V2, V1, V2ThenV1 }; // AID D2760000850101 / ...0100
    enum class Step {
        Start,                       // after activation (FeliCa: before the attribute block)
        BeforeSelectCapabilityContainer,
        BeforeReadCapabilityContainer,
        BeforeSelectNdefFile,
        BeforeReadLength,
        BeforeReadMessage,
        AfterMessage,                // FeliCa: after the last block
    };

    Technology technology = Technology::IsoDep;
    NdefApplication application = NdefApplication::V2ThenV1;
    // Commands sent at a step whatever the tag is (probing phones, garbage); the answer is
    // recorded, never judged, and the procedure goes on.
    QMultiMap<Step, QByteArray> strayCommands;
    bool readPastEnd = false;   // after the message: READ BINARY / Check beyond the NDEF file
    bool attemptUpdate = false; // after the message: UPDATE BINARY / Write Without Encryption
    int readLe = 0;             // 0: min(MLe, remaining, 256); else Le of every message READ BINARY
    int leaveAfterCommands = -1;          // leaves the field once this many commands were sent
    bool leaveBeforeLastResponse = false; // ... right after sending the last, not waiting for its answer
    bool deselectAtEnd = true;            // S(DESELECT) before leaving, as Android does
    quint8 ratsParameter = 0x80;          // FSDI 8 (256 bytes), CID 0
    std::chrono::milliseconds discoveryTimeout{3000}; // how long the phone looks for a tag
    std::chrono::milliseconds responseTimeout{2000};  // per command, WTX included
    quint16 felicaSystemCode = 0x12FC; // NFC Forum Type 3 Tag system code
    bool felica424 = false;

    static PhoneScript isoDep() { return {}; }
    static PhoneScript feliCa()
    {
        PhoneScript script;
        script.technology = Technology::FeliCa;
        return script;
    }
};

struct PhoneExchange {
    QByteArray command;
    QByteArray response; // empty when unanswered
    bool answered = false;
};

struct PhoneResult {
    bool completed = false; // the NDEF message was read and parsed
    QString error;          // why not
    QList<PhoneExchange> exchanges;
    QByteArray uid;         // NFCID1 or IDm
    QByteArray activation;  // ATS or SENSF_RES
    int ndefApplicationVersion = 0; // Type 4: 1 or 2
    QByteArray capabilityContainer; // Type 4 CC file, or Type 3 attribute information block
    QByteArray ndefMessage;
    int recordCount = 0;    // decoded by Qt NFC's QNdefMessage
    QUrl uri;               // the first URI record
    bool updateAccepted = false; // the write attempt got 9000 / status 00
};

// Runs the script against a tag reached through `rf`; always ends with rf.leave().
PhoneResult runPhone(PhoneRf &rf, const PhoneScript &script);

} // namespace poptap::pn532sim
