// Initiator (reader/writer) commands of the simulated PN532 (UM0701-02, initiator commands):
// finding the card on the antenna and passing commands to it.

#include "pn532chip.h"

#include <algorithm>

namespace poptap::pn532sim {

namespace {

// Status bytes (UM0701-02, error code list).
constexpr quint8 statusOk = 0x00;
constexpr quint8 statusTimeout = 0x01;     // the target has not answered
constexpr quint8 statusInvalidFrame = 0x13; // what a MIFARE NAK becomes (libnfc utils/mifare.c)
constexpr quint8 statusAuthError = 0x14;
constexpr quint8 statusNotInContext = 0x27;

// One passive activation attempt (REQA, ATQA wait, guard time). The manual gives no
// figure; a few milliseconds is what an empty field costs a PN532 per try.
constexpr auto activationAttempt = std::chrono::milliseconds(5);
// InAutoPoll's Period unit (UM0701-02, InAutoPoll).
constexpr auto pollPeriodUnit = std::chrono::milliseconds(150);

// RFConfiguration timeout encoding (item 2): n → 100 µs × 2^(n-1), 0 = none.
std::chrono::microseconds rfTimeout(quint8 code)
{
    if (code == 0)
        return std::chrono::microseconds(0);
    return std::chrono::microseconds(100LL << (std::min<int>(code, 0x10) - 1));
}

// InListPassiveTarget's InitiatorData for 106 kbps Type A is the UID in cascade form
// (88h before each full cascade level, as libnfc's iso14443_cascade_uid builds it).
QByteArray uidFromCascade(QByteArrayView cascaded)
{
    if (cascaded.size() == 8 && quint8(cascaded[0]) == 0x88)
        return cascaded.sliced(1).toByteArray();
    if (cascaded.size() == 12 && quint8(cascaded[0]) == 0x88 && quint8(cascaded[4]) == 0x88)
        return cascaded.sliced(1, 3).toByteArray() + cascaded.sliced(5, 7).toByteArray();
    return cascaded.toByteArray();
}

// TargetData for 106 kbps Type A (UM0701-02, InListPassiveTarget): Tg, SENS_RES (2), SEL_RES, NFCIDLength, NFCID1.
QByteArray typeATargetData(const TypeAIdentity &id)
{
    QByteArray data;
    data.append('\x01');
    data.append(char(id.atqa >> 8));
    data.append(char(id.atqa & 0xFF));
    data.append(char(id.sak));
    data.append(char(id.uid.size()));
    data.append(id.uid);
    return data;
}

// InAutoPoll Type codes a Type A card at 106 kbps answers to, and the Type the
// chip reports for it.
std::optional<quint8> autoPollTypeFor(quint8 requested, const TypeAIdentity &id)
{
    const bool isoDep = id.sak & 0x20;
    switch (requested) {
    case 0x00: // generic passive 106 kbps
        return quint8(isoDep ? 0x20 : 0x10);
    case 0x10: // MIFARE card (any ISO/IEC 14443-3 Type A)
        return quint8(0x10);
    case 0x20: // passive 106 kbps ISO/IEC 14443-4 Type A
        return isoDep ? std::optional<quint8>(0x20) : std::nullopt;
    default:
        return std::nullopt;
    }
}

} // namespace

Pn532Chip::Clock::duration Pn532Chip::communicationTimeout() const
{
    const auto single = rfTimeout(m_rf.retryTimeout);
    const int tries = m_rf.maxRetryCom == 0xFF ? 1 : m_rf.maxRetryCom + 1;
    return std::chrono::duration_cast<Clock::duration>(single == single.zero() ? rfTimeout(0x0A) : single * tries);
}

Pn532Chip::Clock::duration Pn532Chip::atrTimeout() const
{
    const auto single = rfTimeout(m_rf.atrTimeout);
    return std::chrono::duration_cast<Clock::duration>(single == single.zero() ? rfTimeout(0x0B) : single);
}

QByteArray Pn532Chip::selectTarget()
{
    m_selection = {true, false, m_placement};
    m_target->activated();
    return typeATargetData(m_target->identity());
}

bool Pn532Chip::selectedTargetPresent() const
{
    return m_selection.active && !m_selection.deselected && m_target && m_selection.placement == m_placement;
}

void Pn532Chip::placeTarget(std::shared_ptr<PassiveTarget> target)
{
    m_target = std::move(target);
    ++m_placement;
    retryPendingPoll();
}

void Pn532Chip::retryPendingPoll()
{
    if (!m_pending || !m_target)
        return;
    std::optional<QByteArray> found;
    if (m_pending->command == 0x4A)
        found = listPassive(m_pending->parameters);
    else if (m_pending->command == 0x60)
        found = autoPoll(m_pending->parameters);
    if (found)
        answerPending(*found);
}

std::optional<QByteArray> Pn532Chip::listPassive(QByteArrayView p)
{
    // Only Type A cards at 106 kbps (BrTy 00h) exist in the simulation.
    if (!m_target || quint8(p[1]) != 0x00)
        return std::nullopt;
    const QByteArrayView initiatorData = p.sliced(2);
    if (!initiatorData.isEmpty() && uidFromCascade(initiatorData) != m_target->identity().uid)
        return std::nullopt;
    return QByteArray(1, '\x01') + selectTarget(); // NbTg, TargetData
}

std::optional<QByteArray> Pn532Chip::autoPoll(QByteArrayView p)
{
    if (!m_target)
        return std::nullopt;
    const TypeAIdentity id = m_target->identity();
    for (const char requested : p.sliced(2)) {
        if (const std::optional<quint8> type = autoPollTypeFor(quint8(requested), id)) {
            const QByteArray targetData = selectTarget();
            // NbTg, Type, AutoPollTargetDataLength, TargetData
            return byteString({0x01, *type, quint8(targetData.size())}) + targetData;
        }
    }
    return std::nullopt;
}

Pn532Chip::Reply Pn532Chip::inListPassiveTarget(QByteArrayView p, Clock::time_point now)
{
    // MaxTg (1..2), BrTy (00h-04h on a PN532), [InitiatorData].
    if (p.size() < 2 || quint8(p[0]) < 1 || quint8(p[0]) > 2 || quint8(p[1]) > 0x04)
        return syntaxError();
    endEmulation();
    releaseTargets();
    if (const std::optional<QByteArray> found = listPassive(p))
        return answer(*found);
    // MxRtyPassiveActivation FFh retries until a card comes (the host's timeout or ACK
    // ends it); otherwise the chip gives up after that many retries with NbTg = 0.
    if (m_rf.maxRetryPassiveActivation == 0xFF)
        return waitForever();
    return waitUntil(now + activationAttempt * (m_rf.maxRetryPassiveActivation + 1), QByteArray(1, '\0'));
}

Pn532Chip::Reply Pn532Chip::inAutoPoll(QByteArrayView p, Clock::time_point now)
{
    // PollNr (01h-FEh, FFh endless), Period (01h-0Fh × 150 ms), Type1..TypeN (N ≤ 15).
    if (p.size() < 3 || p.size() > 17 || quint8(p[0]) == 0 || quint8(p[1]) < 0x01 || quint8(p[1]) > 0x0F)
        return syntaxError();
    endEmulation();
    releaseTargets();
    if (const std::optional<QByteArray> found = autoPoll(p))
        return answer(*found);
    const int pollNr = quint8(p[0]);
    if (pollNr == 0xFF)
        return waitForever();
    return waitUntil(now + pollPeriodUnit * (pollNr * quint8(p[1])), QByteArray(1, '\0'));
}

Pn532Chip::Reply Pn532Chip::inDataExchange(QByteArrayView p, Clock::time_point now)
{
    if (p.isEmpty())
        return syntaxError();
    const QByteArrayView data = p.sliced(1);
    if (quint8(p[0]) != 0x01 || !m_selection.active || m_selection.deselected || data.isEmpty())
        return status(statusNotInContext);
    if (!selectedTargetPresent())
        return waitUntil(now + communicationTimeout(), QByteArray(1, char(statusTimeout)));
    const CardReply reply = m_target->transceive(data);
    switch (reply.kind) {
    case CardReply::Kind::Data:
        return answer(char(statusOk) + reply.data);
    case CardReply::Kind::Ack:
        return status(statusOk);
    case CardReply::Kind::Nak:
        return status(statusInvalidFrame);
    case CardReply::Kind::AuthFailed:
        return status(statusAuthError);
    case CardReply::Kind::Silent:
        break;
    }
    return waitUntil(now + communicationTimeout(), QByteArray(1, char(statusTimeout)));
}

Pn532Chip::Reply Pn532Chip::inCommunicateThru(QByteArrayView p, Clock::time_point now)
{
    if (p.isEmpty())
        return syntaxError();
    const QByteArray timedOut(1, char(statusTimeout));
    // A card answers only once activated; raw frames to anything else go unanswered.
    if (!selectedTargetPresent())
        return waitUntil(now + communicationTimeout(), timedOut);
    const CardReply reply = m_target->transceive(p);
    const quint8 control = m_registers.read(RegisterFile::ciuControl) & ~0x07;
    switch (reply.kind) {
    case CardReply::Kind::Data:
        m_registers.write(RegisterFile::ciuControl, control);
        return answer(char(statusOk) + reply.data);
    case CardReply::Kind::Ack:
    case CardReply::Kind::Nak:
        // A 4-bit answer: CIU_Control.RxLastBits tells the host only 4 bits are valid.
        m_registers.write(RegisterFile::ciuControl, control | 0x04);
        return answer(byteString({statusOk, reply.nibble}));
    case CardReply::Kind::AuthFailed:
    case CardReply::Kind::Silent:
        break;
    }
    return waitUntil(now + communicationTimeout(), timedOut);
}

Pn532Chip::Reply Pn532Chip::inDeselect(QByteArrayView p)
{
    if (p.size() != 1)
        return syntaxError();
    const quint8 tg = quint8(p[0]);
    if (tg == 0x00 || (tg == 0x01 && m_selection.active)) {
        m_selection.deselected = m_selection.active;
        return status(statusOk);
    }
    return status(statusNotInContext);
}

Pn532Chip::Reply Pn532Chip::inRelease(QByteArrayView p)
{
    if (p.size() != 1)
        return syntaxError();
    const quint8 tg = quint8(p[0]);
    if (tg == 0x00 || (tg == 0x01 && m_selection.active)) {
        releaseTargets();
        // In target mode InRelease ends the emulation (libnfc's pn53x_idle relies on it).
        endEmulation();
        return status(statusOk);
    }
    return status(statusNotInContext);
}

Pn532Chip::Reply Pn532Chip::inSelect(QByteArrayView p, Clock::time_point now)
{
    if (p.size() != 1)
        return syntaxError();
    if (quint8(p[0]) != 0x01 || !m_selection.active || !m_selection.deselected)
        return status(statusNotInContext);
    if (!m_target || m_selection.placement != m_placement)
        return waitUntil(now + communicationTimeout(), QByteArray(1, char(statusTimeout)));
    m_selection.deselected = false;
    m_target->activated();
    return status(statusOk);
}

Pn532Chip::Reply Pn532Chip::inJumpForDep(QByteArrayView p, Clock::time_point now)
{
    // ActPass, BR, Next, ...: no NFC-DEP peer ever answers in the simulation.
    if (p.size() < 3)
        return syntaxError();
    endEmulation();
    releaseTargets();
    return waitUntil(now + atrTimeout(), QByteArray(1, char(statusTimeout)));
}

} // namespace poptap::pn532sim
