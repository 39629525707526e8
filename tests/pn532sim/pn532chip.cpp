// Host link and general commands of the simulated PN532 (UM0701-02, host interface and miscellaneous commands).

#include "pn532chip.h"

#include "pn532simlogging.h"

namespace poptap::pn532sim {

namespace {

constexpr quint8 tfiHostToChip = 0xD4;
constexpr quint8 tfiChipToHost = 0xD5;
constexpr qsizetype logLimit = 20000;
// How long the start of a frame may wait for its end before it counts as noise.
constexpr auto partialFrameLifetime = std::chrono::milliseconds(100);

// Commands whose answer starts with a status byte (error code in bits 0-5).
bool carriesStatus(quint8 command)
{
    switch (command) {
    case 0x40: case 0x42: case 0x44: case 0x52: case 0x54:
    case 0x86: case 0x88: case 0x8E: case 0x90:
        return true;
    default:
        return false;
    }
}

} // namespace

Pn532Chip::Pn532Chip(Sink toHost)
    : m_toHost(std::move(toHost))
{
}

void Pn532Chip::powerOn()
{
    m_power = PowerState::LowVbat; // the PN532 C106 starts in Low VBat mode (AN10609_3, p. 21)
    m_decoder.clear();
    m_partialSince.reset();
    m_lastResponse.clear();
    m_pending.reset();
    m_registers.reset();
    m_rf = {};
    m_parameters = 0;
    m_samMode = 0;
    m_lastStatus = 0;
    m_selection = {};
    m_emulation = {};
}

void Pn532Chip::powerOff()
{
    endPending(CommandRecord::Outcome::PowerLost);
    m_power = PowerState::Unplugged;
    m_decoder.clear();
    m_partialSince.reset();
    m_selection = {};
    m_emulation = {};
}

void Pn532Chip::send(const QByteArray &bytes)
{
    m_toHost(bytes);
}

void Pn532Chip::respond(quint8 command, const QByteArray &data)
{
    QByteArray payload;
    payload.reserve(data.size() + 2);
    payload.append(char(tfiChipToHost));
    payload.append(char(command + 1));
    payload.append(data);
    if (carriesStatus(command) && !data.isEmpty())
        m_lastStatus = quint8(data[0]) & 0x3F; // reported by GetGeneralStatus as Err
    m_lastResponse = encodeInformationFrame(payload);
    qCDebug(lcPn532Sim) << "→ host" << commandName(command) << data.toHex(' ');
    send(m_lastResponse);
}

qsizetype Pn532Chip::appendLog(quint8 code, const QByteArray &parameters, Clock::time_point now)
{
    if (m_log.size() >= logLimit) {
        const qsizetype drop = logLimit / 2;
        m_log.remove(0, drop);
        m_logDropped += drop;
    }
    const qint64 ms = std::chrono::duration_cast<std::chrono::milliseconds>(now - m_startedAt).count();
    m_log.append(CommandRecord{code, parameters, CommandRecord::Outcome::Pending, ms});
    return m_logDropped + m_log.size() - 1;
}

CommandRecord *Pn532Chip::logEntry(qsizetype absoluteIndex)
{
    const qsizetype index = absoluteIndex - m_logDropped;
    return index >= 0 && index < m_log.size() ? &m_log[index] : nullptr;
}

void Pn532Chip::clearCommandLog()
{
    m_logDropped += m_log.size();
    m_log.clear();
}

std::optional<quint8> Pn532Chip::pendingCommand() const
{
    return m_pending ? std::optional<quint8>(m_pending->command) : std::nullopt;
}

LineStats Pn532Chip::lineStats() const
{
    LineStats stats = m_stats;
    stats.checksumErrors = m_decoder.checksumErrors();
    stats.skippedBytes = m_decoder.skippedBytes();
    return stats;
}

void Pn532Chip::endPending(CommandRecord::Outcome outcome)
{
    if (!m_pending)
        return;
    if (CommandRecord *entry = logEntry(m_pending->logIndex))
        entry->outcome = outcome;
    const quint8 command = m_pending->command;
    m_pending.reset();
    // A target that stops listening is no longer there for a phone.
    if (command == 0x8C && m_emulation.state == EmulationState::Listening)
        endEmulation();
}

void Pn532Chip::answerPending(QByteArray data)
{
    // By value: `data` may live in the m_pending this function clears.
    if (!m_pending)
        return;
    const quint8 command = m_pending->command;
    if (CommandRecord *entry = logEntry(m_pending->logIndex))
        entry->outcome = CommandRecord::Outcome::Answered;
    m_pending.reset();
    respond(command, data);
}

void Pn532Chip::receiveFromHost(QByteArrayView bytes, Clock::time_point now)
{
    if (m_power == PowerState::Unplugged || bytes.isEmpty())
        return;
    if (m_power == PowerState::LowVbat || m_power == PowerState::PowerDown) {
        // On HSU the first byte only wakes the chip and is lost; that is why hosts send
        // 55 55 00 00 ... first (UM0701-02, HSU wake-up; libnfc pn532_uart_wakeup).
        bytes = bytes.sliced(1);
        m_power = PowerState::Normal;
        m_stats.skippedBytes += 1;
    }
    m_decoder.feed(bytes);
    while (const std::optional<HostFrame> frame = m_decoder.next())
        handleFrame(*frame, now);
    if (!m_decoder.hasPartialFrame())
        m_partialSince.reset();
    else if (!m_partialSince)
        m_partialSince = now;
}

void Pn532Chip::handleFrame(const HostFrame &frame, Clock::time_point now)
{
    switch (frame.kind) {
    case HostFrame::Kind::Ack:
        // Dialog structure (§6.2): an ACK from the host aborts the command being processed; the chip
        // then waits for the next command and sends nothing.
        ++m_stats.acksReceived;
        if (m_pending)
            qCDebug(lcPn532Sim) << "host ACK aborts" << commandName(m_pending->command);
        endPending(CommandRecord::Outcome::Aborted);
        return;
    case HostFrame::Kind::Nack:
        // NACK (§6.2.1): the host did not get the last response right; send it again.
        ++m_stats.nacksReceived;
        if (!m_lastResponse.isEmpty())
            send(m_lastResponse);
        return;
    case HostFrame::Kind::Information:
        break;
    }
    ++m_stats.commandFrames;
    if (frame.extended)
        ++m_stats.extendedFrames;
    // A new command aborts whatever was running (§6.2, dialog structure).
    endPending(CommandRecord::Outcome::Superseded);
    send(ackFrame());
    handleCommand(frame.payload, now);
}

void Pn532Chip::handleCommand(const QByteArray &payload, Clock::time_point now)
{
    const quint8 code = payload.size() >= 2 ? quint8(payload[1]) : 0x00;
    const QByteArray parameters = payload.mid(2);
    const qsizetype logIndex = appendLog(code, parameters, now);
    qCDebug(lcPn532Sim) << "← host" << commandName(code) << parameters.toHex(' ');

    const Reply reply = (payload.size() < 2 || quint8(payload[0]) != tfiHostToChip) ? syntaxError()
                                                                                     : execute(code, parameters, now);
    CommandRecord *entry = logEntry(logIndex);
    switch (reply.kind) {
    case Reply::Kind::Answer:
        if (entry)
            entry->outcome = CommandRecord::Outcome::Answered;
        respond(code, reply.data);
        break;
    case Reply::Kind::SyntaxError:
        // Error frame (§6.2.1): the frame was fine (ACKed), its content is not a valid command.
        if (entry)
            entry->outcome = CommandRecord::Outcome::SyntaxError;
        ++m_stats.errorFramesSent;
        m_lastResponse = syntaxErrorFrame();
        send(m_lastResponse);
        break;
    case Reply::Kind::Pending:
        m_pending = Pending{code, parameters, logIndex, reply.deadline, reply.data};
        break;
    }
    // PowerDown answers first, then sleeps.
    if (code == 0x16 && reply.kind == Reply::Kind::Answer)
        m_power = PowerState::PowerDown;
}

void Pn532Chip::advance(Clock::time_point now)
{
    if (m_power == PowerState::Unplugged)
        return;
    if (m_partialSince && now - *m_partialSince >= partialFrameLifetime) {
        m_decoder.abandonPartialFrame();
        m_partialSince.reset();
        while (const std::optional<HostFrame> frame = m_decoder.next())
            handleFrame(*frame, now);
        if (m_decoder.hasPartialFrame())
            m_partialSince = now;
    }
    if (m_pending && m_pending->deadline && *m_pending->deadline <= now)
        answerPending(m_pending->answerAtDeadline);
}

std::optional<Pn532Chip::Clock::time_point> Pn532Chip::nextDeadline() const
{
    std::optional<Clock::time_point> next;
    if (m_pending && m_pending->deadline)
        next = m_pending->deadline;
    if (m_partialSince) {
        const Clock::time_point expiry = *m_partialSince + partialFrameLifetime;
        if (!next || expiry < *next)
            next = expiry;
    }
    return next;
}

Pn532Chip::Reply Pn532Chip::execute(quint8 code, QByteArrayView p, Clock::time_point now)
{
    switch (code) {
    case 0x00:
        return diagnose(p);
    case 0x02:
        // IC 32h (PN532), firmware 1.6, supports ISO/IEC 14443 A and B, ISO 18092.
        return answer(QByteArray::fromHex("32010607"));
    case 0x04:
        return generalStatus();
    case 0x06:
        return readRegister(p);
    case 0x08:
        return writeRegister(p);
    case 0x0C:
        return answer(byteString({m_registers.read(RegisterFile::sfrP3), m_registers.read(RegisterFile::sfrP7), 0x00}));
    case 0x0E:
        if (p.size() != 2)
            return syntaxError();
        if (quint8(p[0]) & 0x80)
            m_registers.write(RegisterFile::sfrP3, quint8(p[0]) & 0x3F);
        if (quint8(p[1]) & 0x80)
            m_registers.write(RegisterFile::sfrP7, quint8(p[1]) & 0x06);
        return answer();
    case 0x10:
        // The new rate would apply after the answer; a pty has no baud rate to change.
        return p.size() == 1 && quint8(p[0]) <= 0x08 ? answer() : syntaxError();
    case 0x12:
        if (p.size() != 1)
            return syntaxError();
        m_parameters = quint8(p[0]);
        return answer();
    case 0x14:
        return samConfiguration(p);
    case 0x16:
        return powerDown(p);
    case 0x32:
        return rfConfiguration(p);
    case 0x58:
        // RFRegulationTest never answers: the chip transmits until the next command.
        return waitForever();
    case 0x40:
        return inDataExchange(p, now);
    case 0x42:
        return inCommunicateThru(p, now);
    case 0x44:
        return inDeselect(p);
    case 0x46:
    case 0x56:
        return inJumpForDep(p, now);
    case 0x4A:
        return inListPassiveTarget(p, now);
    case 0x4E:
    case 0x50:
        // InPSL / InATR act on a DEP target, and the simulation has none.
        return status(0x27);
    case 0x52:
        return inRelease(p);
    case 0x54:
        return inSelect(p, now);
    case 0x60:
        return inAutoPoll(p, now);
    case 0x8C:
        return tgInitAsTarget(p);
    case 0x86:
    case 0x88:
        return tgGetFrame(code);
    case 0x8E:
    case 0x90:
        return tgSetFrame(code, p);
    case 0x8A:
        return tgGetTargetStatus();
    case 0x92:
    case 0x94:
        // General bytes and metadata only exist for a DEP target.
        return status(0x27);
    default:
        return syntaxError();
    }
}

Pn532Chip::Reply Pn532Chip::diagnose(QByteArrayView p)
{
    if (p.isEmpty())
        return syntaxError();
    switch (quint8(p[0])) {
    case 0x00: // communication line test: echo NumTst and InParam
        return answer(p.toByteArray());
    case 0x01: // ROM test
    case 0x02: // RAM test
    case 0x07: // antenna continuity
        return status(0x00);
    case 0x06: // attention request / card presence
        return status(selectedTargetPresent() ? 0x00 : 0x01);
    default:
        return syntaxError();
    }
}

Pn532Chip::Reply Pn532Chip::generalStatus() const
{
    // Err, Field, NbTg, [Tg, BrRx, BrTx, Type], SAM status.
    QByteArray data;
    data.append(char(m_lastStatus));
    data.append(char(m_phonePresent ? 0x01 : 0x00));
    if (m_selection.active) {
        data.append('\x01');
        data.append(QByteArray::fromHex("01000000")); // Tg 1, 106 kbps both ways, ISO/IEC 14443 A
    } else {
        data.append('\x00');
    }
    data.append('\x00');
    return answer(data);
}

Pn532Chip::Reply Pn532Chip::readRegister(QByteArrayView p) const
{
    if (p.isEmpty() || p.size() % 2 != 0)
        return syntaxError();
    QByteArray values;
    for (qsizetype i = 0; i < p.size(); i += 2)
        values.append(char(m_registers.read(quint16((quint8(p[i]) << 8) | quint8(p[i + 1])))));
    return answer(values);
}

Pn532Chip::Reply Pn532Chip::writeRegister(QByteArrayView p)
{
    if (p.isEmpty() || p.size() % 3 != 0)
        return syntaxError();
    for (qsizetype i = 0; i < p.size(); i += 3)
        m_registers.write(quint16((quint8(p[i]) << 8) | quint8(p[i + 1])), quint8(p[i + 2]));
    return answer();
}

Pn532Chip::Reply Pn532Chip::samConfiguration(QByteArrayView p)
{
    // Mode (1 normal, 2 virtual card, 3 wired card, 4 dual card), [Timeout], [IRQ].
    if (p.isEmpty() || p.size() > 3 || quint8(p[0]) < 0x01 || quint8(p[0]) > 0x04)
        return syntaxError();
    m_samMode = quint8(p[0]);
    return answer();
}

Pn532Chip::Reply Pn532Chip::powerDown(QByteArrayView p)
{
    // WakeUpEnable, [GenerateIRQ]; the RF side is switched off.
    if (p.isEmpty() || p.size() > 2)
        return syntaxError();
    releaseTargets();
    endEmulation();
    return status(0x00);
}

Pn532Chip::Reply Pn532Chip::rfConfiguration(QByteArrayView p)
{
    if (p.isEmpty())
        return syntaxError();
    const QByteArrayView data = p.sliced(1);
    const auto sized = [&data](qsizetype expected) { return data.size() == expected; };
    // CfgItem and its ConfigurationData.
    switch (quint8(p[0])) {
    case 0x01:
        if (!sized(1))
            return syntaxError();
        m_rf.fieldOn = quint8(data[0]) & 0x01;
        return answer();
    case 0x02:
        if (!sized(3))
            return syntaxError();
        m_rf.atrTimeout = quint8(data[1]);
        m_rf.retryTimeout = quint8(data[2]);
        return answer();
    case 0x04:
        if (!sized(1))
            return syntaxError();
        m_rf.maxRetryCom = quint8(data[0]);
        return answer();
    case 0x05:
        if (!sized(3))
            return syntaxError();
        m_rf.maxRetryAtr = quint8(data[0]);
        m_rf.maxRetryPsl = quint8(data[1]);
        m_rf.maxRetryPassiveActivation = quint8(data[2]);
        return answer();
    case 0x0A: // analog settings: 106 kbps Type A
        return sized(11) ? answer() : syntaxError();
    case 0x0B: // 212/424 kbps
        return sized(8) ? answer() : syntaxError();
    case 0x0C: // Type B
        return sized(3) ? answer() : syntaxError();
    case 0x0D: // 212/424/848 kbps ISO/IEC 14443-4
        return sized(9) ? answer() : syntaxError();
    default:
        return syntaxError();
    }
}

} // namespace poptap::pn532sim
