#include "staffmode.h"

#include "kiosksession.h"
#include "nfcdevice.h"
#include "enrollmentcode.h"
#include "kioskconfig.h"
#include "syncindicator.h"

#include <QJSEngine>
#include <QLoggingCategory>
#include <QMetaEnum>

Q_LOGGING_CATEGORY(lcStaff, "poptap.staff")

namespace poptap {
namespace {

template <typename Enum>
QString enumName(Enum value)
{
    return QString::fromLatin1(QMetaEnum::fromType<Enum>().valueToKey(int(value)));
}

} // namespace

StaffMode::StaffMode(NfcDevice *nfc, KioskSession *session, SyncIndicator *sync, StaffCards cards, Settings settings,
                     QObject *parent)
    : QObject(parent)
    , m_nfc(nfc)
    , m_session(session)
    , m_sync(sync)
    , m_cards(std::move(cards))
    , m_settings(std::move(settings))
{
    Q_ASSERT(!s_instance);
    s_instance = this;
    m_idleTimer.setSingleShot(true);
    m_idleTimer.setInterval(m_settings.idleTimeout);
    connect(&m_idleTimer, &QTimer::timeout, this, [this] {
        qCInfo(lcStaff) << "no touch for" << m_idleTimer.interval() / 1000 << "s: staff mode closes";
        exit();
    });
    if (m_nfc) {
        connect(m_nfc, &NfcDevice::cardPresented, this, &StaffMode::onCardPresented);
        connect(m_nfc, &NfcDevice::tagWritten, this, &StaffMode::onTagWritten);
        connect(m_nfc, &NfcDevice::tagWriteFailed, this, &StaffMode::onTagWriteFailed);
        connect(m_nfc, &NfcDevice::statusChanged, this, &StaffMode::nfcChanged);
    }
    connect(m_session, &KioskSession::catalogChanged, this, &StaffMode::refreshCatalog);
    // Staff mode lies over the attract screen; a shopper session that starts anyway (the
    // automation interface can start one) takes the screen back.
    connect(m_session, &KioskSession::screenChanged, this, [this] {
        if (m_active && m_session->screen() != KioskSession::Screen::Attract)
            exit();
    });
    connect(m_sync, &SyncIndicator::changed, this, &StaffMode::onSyncChanged);
    refreshCatalog();
}

StaffMode::~StaffMode()
{
    if (m_nfc && m_writeState == WriteState::Waiting)
        m_nfc->cancelWrite();
    if (s_instance == this)
        s_instance = nullptr;
}

StaffMode *StaffMode::create(QQmlEngine *, QJSEngine *)
{
    Q_ASSERT_X(s_instance, "StaffMode", "create staff mode before loading QML");
    QJSEngine::setObjectOwnership(s_instance, QJSEngine::CppOwnership);
    return s_instance;
}

QString StaffMode::toString(WriteState state) { return enumName(state); }
QString StaffMode::toString(EnrollmentState state) { return enumName(state); }
QString StaffMode::toString(PopLinkProblem problem) { return enumName(problem); }

QString StaffMode::catalogVersion() const
{
    return m_session->catalog().version;
}

PopLink StaffMode::linkFor(std::uint32_t popId) const
{
    const LinkSettings &link = m_session->catalog().link;
    return popLink(linkTemplateText(m_settings.linkTemplateOverride, link), link, popId);
}

QString StaffMode::writingPopLabel() const
{
    const Pop *pop = m_session->catalog().pop(m_writingPopId);
    return pop ? pop->label : QString();
}

const Brand *StaffMode::writingBrand() const
{
    const Pop *pop = m_session->catalog().pop(m_writingPopId);
    return pop ? m_session->catalog().brand(pop->brandId) : nullptr;
}

QString StaffMode::writingBrandNameJa() const
{
    const Brand *brand = writingBrand();
    return brand ? brand->nameJa : QString();
}

QString StaffMode::writingBrandNameEn() const
{
    const Brand *brand = writingBrand();
    return brand ? brand->nameEn : QString();
}

void StaffMode::refreshCatalog()
{
    m_pops.setCatalog(m_session->catalog());
    // Whether stickers can be written depends on the link settings, not on one POP.
    switch (linkFor(1).problem) {
    case PopLink::Problem::None: m_popLinkProblem = PopLinkProblem::None; break;
    case PopLink::Problem::NotLiff: m_popLinkProblem = PopLinkProblem::NotLiff; break;
    case PopLink::Problem::InvalidLiffId: m_popLinkProblem = PopLinkProblem::InvalidLiffId; break;
    }
    Q_EMIT catalogChanged();
}

bool StaffMode::isServiceConfigured() const
{
    return m_sync->status().state != sync::SyncStatus::State::Off;
}

bool StaffMode::canEnroll() const
{
    // Only a kiosk without a device identity takes a code (the engine ignores one otherwise).
    return isServiceConfigured() && m_sync->status().deviceId.isEmpty();
}

QString StaffMode::nfcStatus() const
{
    return m_nfc ? poptap::toString(m_nfc->status()) : poptap::toString(NfcDevice::Status::Absent);
}

QString StaffMode::nfcReason() const
{
    return m_nfc ? m_nfc->statusReason() : QString();
}

void StaffMode::onCardPresented(const QByteArray &uid, const QByteArray &ndef)
{
    Q_UNUSED(ndef) // a sticker's link opens nothing here; shoppers tap their phones, not stickers
    // Nothing here logs the UID: it is what opens staff mode.
    if (m_active)
        return;
    const bool shopperIdle = m_session->screen() == KioskSession::Screen::Attract && !m_session->isBusy()
        && m_session->link().isEmpty();
    if (!shopperIdle) {
        qCDebug(lcStaff) << "a card while a shopper uses the kiosk; ignored";
        return;
    }
    if (m_cards.isEmpty() || !m_cards.matches(uid)) {
        ++m_unknownCards;
        qCDebug(lcStaff) << "a card that is not a staff card; ignored";
        Q_EMIT countersChanged();
        return;
    }
    open();
}

void StaffMode::open()
{
    qCInfo(lcStaff) << "staff mode opened by a staff card";
    ++m_opens;
    m_active = true;
    m_idleTimer.start();
    Q_EMIT activeChanged();
    Q_EMIT countersChanged();
}

void StaffMode::exit()
{
    if (!m_active)
        return;
    cancelWrite();
    setWriteState(WriteState::Idle);
    setPermanentLock(false, false);
    // The next visit starts clean: nothing of this one is left for whoever opens it next.
    setEnrollment(EnrollmentState::Idle);
    m_lastWrittenLink.clear();
    m_lastWrittenTagType.clear();
    m_lastWrittenLocked = false;
    Q_EMIT writeChanged();
    m_idleTimer.stop();
    m_active = false;
    qCInfo(lcStaff) << "staff mode closed";
    Q_EMIT activeChanged();
}

void StaffMode::noteActivity()
{
    if (m_active)
        m_idleTimer.start();
}

bool StaffMode::writePop(int popId)
{
    noteActivity();
    if (!m_active || !m_nfc)
        return false;
    if (popId <= 0 || !m_session->catalog().pop(std::uint32_t(popId))) {
        qCWarning(lcStaff) << "no POP" << popId << "in the catalog";
        return false;
    }
    const PopLink link = linkFor(std::uint32_t(popId));
    if (link.problem != PopLink::Problem::None) {
        qCWarning(lcStaff).noquote() << "POP" << popId << "cannot be written:" << link.error;
        return false;
    }
    m_writingPopId = std::uint32_t(popId);
    m_writingLink = link.link;
    m_writingLocks = m_permanentLock;
    setWriteState(WriteState::Waiting);
    qCInfo(lcStaff).noquote() << "writing POP" << popId << (m_writingLocks ? "with" : "without") << "permanent lock";
    m_nfc->writeTag(QUrl(link.link, QUrl::StrictMode), m_writingLocks);
    return true;
}

void StaffMode::cancelWrite()
{
    noteActivity();
    if (m_writeState != WriteState::Waiting)
        return;
    if (m_nfc)
        m_nfc->cancelWrite();
    setWriteState(WriteState::Idle);
}

void StaffMode::dismissWriteResult()
{
    noteActivity();
    if (m_writeState == WriteState::Written || m_writeState == WriteState::Failed)
        setWriteState(WriteState::Idle);
}

void StaffMode::onTagWritten(const QUrl &link, const QString &tagType, bool locked)
{
    if (m_writeState != WriteState::Waiting)
        return;
    noteActivity(); // staff are at the reader
    ++m_stickersWritten;
    m_lastWrittenLink = link.toString(QUrl::FullyEncoded);
    m_lastWrittenTagType = tagType;
    m_lastWrittenLocked = locked;
    qCInfo(lcStaff).noquote() << "POP" << m_writingPopId << "written on" << tagType << (locked ? "(locked)" : "");
    setWriteState(WriteState::Written);
    Q_EMIT countersChanged();
}

void StaffMode::onTagWriteFailed(const QString &reason)
{
    if (m_writeState != WriteState::Waiting)
        return;
    noteActivity();
    qCWarning(lcStaff).noquote() << "POP" << m_writingPopId << "not written:" << reason;
    setWriteState(WriteState::Failed, reason);
}

void StaffMode::setWriteState(WriteState state, const QString &reason)
{
    if (state == WriteState::Idle) {
        m_writingPopId = 0;
        m_writingLink.clear();
        m_writingLocks = false;
    }
    if (m_writeState == state && m_writeReason == reason)
        return;
    m_writeState = state;
    m_writeReason = reason;
    Q_EMIT writeChanged();
}

void StaffMode::requestPermanentLock()
{
    noteActivity();
    if (m_active && !m_permanentLock)
        setPermanentLock(false, true);
}

void StaffMode::confirmPermanentLock()
{
    noteActivity();
    if (m_active && m_lockConfirmationPending)
        setPermanentLock(true, false);
}

void StaffMode::declinePermanentLock()
{
    noteActivity();
    setPermanentLock(false, false);
}

void StaffMode::clearPermanentLock()
{
    noteActivity();
    setPermanentLock(false, false);
}

void StaffMode::setPermanentLock(bool on, bool pending)
{
    if (m_permanentLock == on && m_lockConfirmationPending == pending)
        return;
    m_permanentLock = on;
    m_lockConfirmationPending = pending;
    Q_EMIT lockChanged();
}

bool StaffMode::submitEnrollmentCode(const QString &typed)
{
    noteActivity();
    if (!m_active || !canEnroll())
        return false;
    const QString code = normalisedEnrollmentCode(typed);
    if (code.isEmpty()) {
        setEnrollment(EnrollmentState::Malformed);
        return false;
    }
    // An engine already enrolling (retrying after a network error) answers this code next,
    // without announcing another attempt first.
    m_enrollAttemptSeen = m_sync->status().state == sync::SyncStatus::State::Enrolling;
    setEnrollment(EnrollmentState::Submitted);
    qCInfo(lcStaff) << "enrollment code entered by staff"; // the code itself is a credential
    Q_EMIT enrollmentRequested(code);
    return true;
}

bool StaffMode::scanEnrollmentCode(const ScannedCode &code)
{
    if (code.format != BarcodeFormat::QrCode && code.format != BarcodeFormat::Code128)
        return false; // product barcodes mean nothing here
    if (!wantsCamera() || m_enrollmentState == EnrollmentState::Submitted)
        return false;
    if (normalisedEnrollmentCode(code.text).isEmpty())
        return false; // a QR code that is not ours: staff see the code they hold is not taken
    qCInfo(lcStaff) << "enrollment code scanned";
    return submitEnrollmentCode(code.text);
}

void StaffMode::onSyncChanged()
{
    using State = sync::SyncStatus::State;
    const sync::SyncStatus status = m_sync->status();
    if (m_enrollmentState == EnrollmentState::Submitted) {
        if (!status.deviceId.isEmpty())
            setEnrollment(EnrollmentState::Enrolled);
        else if (status.state == State::Enrolling)
            m_enrollAttemptSeen = true;
        // A refusal from before the code was handed over is not its answer.
        else if (status.state == State::EnrollmentRefused && m_enrollAttemptSeen)
            setEnrollment(EnrollmentState::Refused, status.detail);
    }
    Q_EMIT enrollmentChanged(); // canEnroll follows the engine's state
}

void StaffMode::setEnrollment(EnrollmentState state, const QString &reason)
{
    if (m_enrollmentState == state && m_enrollmentReason == reason)
        return;
    m_enrollmentState = state;
    m_enrollmentReason = reason;
    Q_EMIT enrollmentChanged();
}

} // namespace poptap
