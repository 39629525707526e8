#pragma once

#include "hostframe.h"
#include "passivetarget.h"
#include "phone.h"
#include "pn532records.h"
#include "registerfile.h"

#include <QList>

#include <chrono>
#include <functional>
#include <initializer_list>
#include <memory>
#include <optional>

namespace poptap::pn532sim {

inline QByteArray byteString(std::initializer_list<quint8> bytes)
{
    QByteArray result;
    for (quint8 byte : bytes)
        result.append(char(byte));
    return result;
}

// The PN532 with firmware V1.6 as its host sees it over HSU (NXP UM0701-02): frames in,
// ACK and response frames out, the command set libnfc's pn53x driver uses, a register
// file, the RF settings that shape timing, the cards on the antenna (initiator mode) and
// a phone in the field (card-emulation mode).
// Single-threaded and clock-free: the simulator passes `now` and calls it under one lock.
class Pn532Chip
{
public:
    using Clock = std::chrono::steady_clock;
    using Sink = std::function<void(const QByteArray &)>;

    explicit Pn532Chip(Sink toHost);

    // Power-on reset, as when the adapter is plugged in: LowVbat, nothing configured.
    void powerOn();
    void powerOff();
    PowerState powerState() const { return m_power; }
    bool samConfigured() const { return m_samMode != 0; }

    void receiveFromHost(QByteArrayView bytes, Clock::time_point now);
    // Runs what is due by `now`: poll periods, RF timeouts, stale partial frames.
    void advance(Clock::time_point now);
    std::optional<Clock::time_point> nextDeadline() const;

    // The card on the antenna (nullptr: none). A waiting poll answers at once.
    void placeTarget(std::shared_ptr<PassiveTarget> target);

    // A phone in the field, seen from the phone (PhoneRf).
    void phoneEntered() { m_phonePresent = true; }
    void phoneLeft();
    std::optional<TypeAActivation> phoneActivateTypeA(quint8 ratsParameter);
    std::optional<QByteArray> phonePollFelica(quint16 systemCode, quint8 requestCode, bool at424);
    bool phoneSend(const QByteArray &frame);
    std::optional<QByteArray> phoneTakeResponse();
    bool phoneLinkAlive() const;
    void phoneDeselect();

    const QList<CommandRecord> &commandLog() const { return m_log; }
    void clearCommandLog();
    std::optional<quint8> pendingCommand() const;
    LineStats lineStats() const;

private:
    // What a command handler decided.
    struct Reply {
        enum class Kind { Answer, SyntaxError, Pending };
        Kind kind = Kind::Answer;
        QByteArray data;                          // Answer: response parameters; Pending: the answer at the deadline
        std::optional<Clock::time_point> deadline; // Pending: none = until the world changes or the host gives up
    };
    static Reply answer(QByteArray data = {}) { return {Reply::Kind::Answer, std::move(data), std::nullopt}; }
    static Reply status(quint8 code) { return answer(QByteArray(1, char(code))); }
    static Reply syntaxError() { return {Reply::Kind::SyntaxError, {}, std::nullopt}; }
    static Reply waitForever() { return {Reply::Kind::Pending, {}, std::nullopt}; }
    static Reply waitUntil(Clock::time_point deadline, QByteArray answerThen)
    {
        return {Reply::Kind::Pending, std::move(answerThen), deadline};
    }

    struct Pending {
        quint8 command = 0;
        QByteArray parameters;
        qsizetype logIndex = 0; // absolute, see m_logDropped
        std::optional<Clock::time_point> deadline;
        QByteArray answerAtDeadline;
    };

    // RFConfiguration items 2, 4 and 5 (UM0701-02, RFConfiguration) with their power-on defaults.
    struct RfSettings {
        bool fieldOn = false;
        quint8 atrTimeout = 0x0B;   // 102.4 ms
        quint8 retryTimeout = 0x0A; // 51.2 ms
        quint8 maxRetryCom = 0x00;
        quint8 maxRetryAtr = 0xFF;
        quint8 maxRetryPsl = 0x01;
        quint8 maxRetryPassiveActivation = 0xFF; // FFh: InListPassiveTarget waits forever
    };

    struct Selection {
        bool active = false;
        bool deselected = false;
        quint64 placement = 0; // which placed card was selected
    };

    enum class EmulationState { Off, Listening, ActiveIsoDep, ActiveFelica, Released };
    struct Emulation {
        EmulationState state = EmulationState::Off;
        quint8 mode = 0;
        QByteArray mifareParams;  // SENS_RES (LSB first), NFCID1t(3), SEL_RES
        QByteArray felicaParams;  // NFCID2t(8), PAD(8), system code(2)
        QByteArray historicalBytes;
        bool felicaPolled = false;
        quint8 felicaMode = 0;    // the Mode byte TgInitAsTarget reports for FeliCa
        std::optional<QByteArray> fromPhone; // received, not yet handed to the host
        std::optional<QByteArray> toPhone;   // the host's answer, not yet picked up
        bool phoneAwaitsResponse = false;
    };

    // Host link (pn532chip.cpp)
    void handleFrame(const HostFrame &frame, Clock::time_point now);
    void handleCommand(const QByteArray &payload, Clock::time_point now);
    void send(const QByteArray &bytes);
    void respond(quint8 command, const QByteArray &data);
    void endPending(CommandRecord::Outcome outcome);
    void answerPending(QByteArray data);
    void retryPendingPoll();
    qsizetype appendLog(quint8 code, const QByteArray &parameters, Clock::time_point now);
    CommandRecord *logEntry(qsizetype absoluteIndex);
    Reply execute(quint8 code, QByteArrayView parameters, Clock::time_point now);

    // General commands (pn532chip.cpp)
    Reply diagnose(QByteArrayView p);
    Reply generalStatus() const;
    Reply readRegister(QByteArrayView p) const;
    Reply writeRegister(QByteArrayView p);
    Reply samConfiguration(QByteArrayView p);
    Reply powerDown(QByteArrayView p);
    Reply rfConfiguration(QByteArrayView p);

    // Initiator mode (initiatormode.cpp)
    Reply inListPassiveTarget(QByteArrayView p, Clock::time_point now);
    Reply inAutoPoll(QByteArrayView p, Clock::time_point now);
    Reply inDataExchange(QByteArrayView p, Clock::time_point now);
    Reply inCommunicateThru(QByteArrayView p, Clock::time_point now);
    Reply inDeselect(QByteArrayView p);
    Reply inRelease(QByteArrayView p);
    Reply inSelect(QByteArrayView p, Clock::time_point now);
    Reply inJumpForDep(QByteArrayView p, Clock::time_point now);
    std::optional<QByteArray> listPassive(QByteArrayView p);
    std::optional<QByteArray> autoPoll(QByteArrayView p);
    QByteArray selectTarget();
    bool selectedTargetPresent() const;
    void releaseTargets() { m_selection = {}; }
    Clock::duration communicationTimeout() const;
    Clock::duration atrTimeout() const;

    // Target mode (targetmode.cpp)
    Reply tgInitAsTarget(QByteArrayView p);
    Reply tgGetFrame(quint8 command);
    Reply tgSetFrame(quint8 command, QByteArrayView p);
    Reply tgGetTargetStatus() const;
    void endEmulation() { m_emulation = {}; }
    bool isoDepAllowed() const;
    bool felicaAllowed() const;
    bool emulationMatches(quint8 command) const;

    Sink m_toHost;
    PowerState m_power = PowerState::Unplugged;
    HostFrameDecoder m_decoder;
    std::optional<Clock::time_point> m_partialSince;
    QByteArray m_lastResponse; // for NACK
    std::optional<Pending> m_pending;
    QList<CommandRecord> m_log;
    qsizetype m_logDropped = 0;
    Clock::time_point m_startedAt = Clock::now();
    LineStats m_stats;

    RegisterFile m_registers;
    RfSettings m_rf;
    quint8 m_parameters = 0;
    quint8 m_samMode = 0;
    quint8 m_lastStatus = 0;

    std::shared_ptr<PassiveTarget> m_target;
    quint64 m_placement = 0;
    Selection m_selection;

    Emulation m_emulation;
    bool m_phonePresent = false;
};

} // namespace poptap::pn532sim
