// Card-emulation (target) side of the simulated PN532 (UM0701-02, target commands), and
// the phone's view of it.
//
// ISO/IEC 14443-4 PICC: TgInitAsTarget with PICC enabled waits until a phone activates
// the chip; the chip answers RATS itself and reports Mode 08h (ISO/IEC 14443-4 PICC,
// 106 kbps, Type A framing) with the RATS as InitiatorCommand. From then on TgGetData
// returns each C-APDU and TgSetData sends the R-APDU (the chip does the block protocol).
// FeliCa: the chip answers Polling itself from FeliCaParams; the first command after it
// completes TgInitAsTarget (Mode 12h / 22h), later ones come with TgGetInitiatorCommand
// and TgResponseToInitiator answers them, length byte first.
// When the phone deselects or leaves, waiting and later Tg commands get status 29h
// ("released by the initiator"), which libnfc reports as NFC_ETGRELEASED.

#include "pn532chip.h"

namespace poptap::pn532sim {

namespace {

constexpr quint8 statusOk = 0x00;
constexpr quint8 statusNotInContext = 0x27;
constexpr quint8 statusReleased = 0x29;

constexpr quint8 modeDepOnly = 0x02;
constexpr quint8 modePiccOnly = 0x04;
constexpr quint8 parameterIso14443_4Picc = 0x20; // SetParameters fISO14443-4_PICC
constexpr quint8 sakIso14443_4 = 0x20;

constexpr quint8 activatedPicc106 = 0x08; // Mode byte: ISO/IEC 14443-4 PICC, 106 kbps

} // namespace

Pn532Chip::Reply Pn532Chip::tgInitAsTarget(QByteArrayView p)
{
    // Mode, MifareParams(6), FeliCaParams(18), NFCID3t(10), LEN Gt, Gt, LEN Tk, Tk.
    if (p.size() < 35 || (quint8(p[0]) & 0xF8))
        return syntaxError();
    QByteArrayView rest = p.sliced(35);
    QByteArrayView historical;
    if (!rest.isEmpty()) {
        const int gtLength = quint8(rest[0]);
        if (gtLength > 47 || rest.size() < 1 + gtLength)
            return syntaxError();
        rest = rest.sliced(1 + gtLength);
        if (!rest.isEmpty()) {
            const int tkLength = quint8(rest[0]);
            if (tkLength > 48 || rest.size() != 1 + tkLength)
                return syntaxError();
            historical = rest.sliced(1);
        }
    }
    releaseTargets();
    m_emulation = {};
    m_emulation.state = EmulationState::Listening;
    m_emulation.mode = quint8(p[0]);
    m_emulation.mifareParams = p.sliced(1, 6).toByteArray();
    m_emulation.felicaParams = p.sliced(7, 18).toByteArray();
    m_emulation.historicalBytes = historical.toByteArray();
    // The PN532 sleeps until an external field wakes it (libnfc pn53x_transceive notes
    // it, and wakes the chip before its next frame).
    m_power = PowerState::PowerDown;
    return waitForever();
}

bool Pn532Chip::emulationMatches(quint8 command) const
{
    // TgGetData/TgSetData carry ISO-DEP (and DEP) traffic; TgGetInitiatorCommand and
    // TgResponseToInitiator the raw frames of other activations such as FeliCa.
    const bool isoDepCommand = command == 0x86 || command == 0x8E;
    return (m_emulation.state == EmulationState::ActiveIsoDep && isoDepCommand)
        || (m_emulation.state == EmulationState::ActiveFelica && !isoDepCommand);
}

Pn532Chip::Reply Pn532Chip::tgGetFrame(quint8 command)
{
    if (m_emulation.fromPhone && (emulationMatches(command) || m_emulation.state == EmulationState::Released)) {
        // A frame that arrived before the phone left is still handed over.
        const QByteArray frame = *m_emulation.fromPhone;
        m_emulation.fromPhone.reset();
        return answer(char(statusOk) + frame);
    }
    if (m_emulation.state == EmulationState::Released)
        return status(statusReleased);
    if (!emulationMatches(command))
        return status(statusNotInContext);
    return waitForever();
}

Pn532Chip::Reply Pn532Chip::tgSetFrame(quint8 command, QByteArrayView p)
{
    if (m_emulation.state == EmulationState::Released)
        return status(statusReleased);
    if (!emulationMatches(command) || !m_emulation.phoneAwaitsResponse)
        return status(statusNotInContext);
    m_emulation.toPhone = p.toByteArray();
    m_emulation.phoneAwaitsResponse = false;
    return status(statusOk);
}

Pn532Chip::Reply Pn532Chip::tgGetTargetStatus() const
{
    // Status (01h: activated), BRit (initiator/target baud rates).
    switch (m_emulation.state) {
    case EmulationState::ActiveIsoDep:
        return answer(QByteArray::fromHex("0100"));
    case EmulationState::ActiveFelica:
        return answer(byteString({0x01, quint8(m_emulation.felicaMode == 0x22 ? 0x22 : 0x11)}));
    default:
        return answer(QByteArray::fromHex("0000"));
    }
}

bool Pn532Chip::isoDepAllowed() const
{
    const quint8 mode = m_emulation.mode;
    const quint8 sak = quint8(m_emulation.mifareParams[5]);
    if (mode & modeDepOnly)
        return false;
    return (mode & modePiccOnly) || ((m_parameters & parameterIso14443_4Picc) && (sak & sakIso14443_4));
}

bool Pn532Chip::felicaAllowed() const
{
    return !(m_emulation.mode & (modeDepOnly | modePiccOnly));
}

std::optional<TypeAActivation> Pn532Chip::phoneActivateTypeA(quint8 ratsParameter)
{
    if (m_emulation.state != EmulationState::Listening || !m_pending || m_pending->command != 0x8C || !isoDepAllowed())
        return std::nullopt;
    const QByteArray &params = m_emulation.mifareParams;
    TypeAActivation activation;
    // NFCID1t: single size, first byte hard-wired to 08h (random UID).
    activation.uid = QByteArray(1, '\x08') + params.mid(2, 3);
    activation.atqa = quint16((quint8(params[1]) << 8) | quint8(params[0])); // SENS_RES comes LSB first
    activation.sak = quint8(params[5]);
    // The chip builds the ATS: T0 = 75h (TA, TB, TC follow, FSCI 5), then the historical
    // bytes from TgInitAsTarget. TA/TB/TC are those libnfc's forum-tag4 example lists.
    const QByteArray ats = QByteArray::fromHex("75339203") + m_emulation.historicalBytes;
    activation.ats = char(ats.size() + 1) + ats;

    m_power = PowerState::Normal;
    m_emulation.state = EmulationState::ActiveIsoDep;
    answerPending(byteString({activatedPicc106, 0xE0, ratsParameter}));
    return activation;
}

std::optional<QByteArray> Pn532Chip::phonePollFelica(quint16 systemCode, quint8 requestCode, bool at424)
{
    if (m_emulation.state != EmulationState::Listening || !m_pending || m_pending->command != 0x8C || !felicaAllowed())
        return std::nullopt;
    const QByteArray &params = m_emulation.felicaParams;
    const quint8 ownHigh = quint8(params[16]);
    const quint8 ownLow = quint8(params[17]);
    // A card answers Polling when the system code matches; FFh matches any byte.
    const bool matches = ((systemCode >> 8) == 0xFF || (systemCode >> 8) == ownHigh)
                      && ((systemCode & 0xFF) == 0xFF || (systemCode & 0xFF) == ownLow);
    if (!matches)
        return std::nullopt;
    m_emulation.felicaPolled = true;
    m_emulation.felicaMode = at424 ? 0x22 : 0x12; // Mode: FeliCa framing, 212 or 424 kbps
    // SENSF_RES: LEN, 01h, NFCID2 (IDm), PAD (PMm), [system code when RC = 01h].
    QByteArray response = QByteArray(1, '\x01') + params.left(16);
    if (requestCode == 0x01)
        response += params.mid(16, 2);
    return char(response.size() + 1) + response;
}

bool Pn532Chip::phoneSend(const QByteArray &frame)
{
    switch (m_emulation.state) {
    case EmulationState::Listening:
        if (!m_emulation.felicaPolled || !m_pending || m_pending->command != 0x8C)
            return false;
        m_power = PowerState::Normal;
        m_emulation.state = EmulationState::ActiveFelica;
        m_emulation.phoneAwaitsResponse = true;
        answerPending(char(m_emulation.felicaMode) + frame);
        return true;
    case EmulationState::ActiveIsoDep:
    case EmulationState::ActiveFelica: {
        m_emulation.phoneAwaitsResponse = true;
        m_emulation.toPhone.reset();
        const quint8 getter = m_emulation.state == EmulationState::ActiveIsoDep ? 0x86 : 0x88;
        if (m_pending && m_pending->command == getter)
            answerPending(char(statusOk) + frame);
        else
            m_emulation.fromPhone = frame;
        return true;
    }
    case EmulationState::Off:
    case EmulationState::Released:
        break;
    }
    return false;
}

std::optional<QByteArray> Pn532Chip::phoneTakeResponse()
{
    std::optional<QByteArray> response = std::move(m_emulation.toPhone);
    m_emulation.toPhone.reset();
    return response;
}

bool Pn532Chip::phoneLinkAlive() const
{
    return m_emulation.state == EmulationState::ActiveIsoDep || m_emulation.state == EmulationState::ActiveFelica
        || (m_emulation.state == EmulationState::Listening && m_emulation.felicaPolled);
}

void Pn532Chip::phoneDeselect()
{
    if (m_emulation.state != EmulationState::ActiveIsoDep)
        return;
    // The chip answers S(DESELECT) itself and is released (error 29h).
    m_emulation.state = EmulationState::Released;
    m_emulation.phoneAwaitsResponse = false;
    if (m_pending && m_pending->command == 0x86 && !m_emulation.fromPhone)
        answerPending(QByteArray(1, char(statusReleased)));
}

void Pn532Chip::phoneLeft()
{
    m_phonePresent = false;
    switch (m_emulation.state) {
    case EmulationState::Listening:
        m_emulation.felicaPolled = false;
        return;
    case EmulationState::ActiveIsoDep:
    case EmulationState::ActiveFelica:
        break;
    case EmulationState::Off:
    case EmulationState::Released:
        return;
    }
    const quint8 getter = m_emulation.state == EmulationState::ActiveIsoDep ? 0x86 : 0x88;
    m_emulation.state = EmulationState::Released;
    m_emulation.phoneAwaitsResponse = false;
    m_emulation.toPhone.reset();
    if (m_pending && m_pending->command == getter && !m_emulation.fromPhone)
        answerPending(QByteArray(1, char(statusReleased)));
}

} // namespace poptap::pn532sim
