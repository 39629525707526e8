#include "kiosksession.h"

#include "nfcdevice.h"

#include <QJSEngine>
#include <QLoggingCategory>
#include <QMetaEnum>

Q_LOGGING_CATEGORY(lcSession, "poptap.session")

namespace poptap {

KioskSession::KioskSession(RegistrationService *registrations, NfcDevice *nfc, const Timeouts &timeouts,
                           QObject *parent)
    : QObject(parent)
    , m_registrations(registrations)
    , m_nfc(nfc)
    , m_timeouts(timeouts)
{
    Q_ASSERT(!s_instance);
    s_instance = this;
    m_idleTimer.setSingleShot(true);
    m_idleTimer.setInterval(m_timeouts.idleSeconds * 1000);
    connect(&m_idleTimer, &QTimer::timeout, this, [this] {
        qCInfo(lcSession) << "idle on" << toString(m_screen) << "- back to attract";
        backToAttract();
    });
    m_countdownTimer.setInterval(1000);
    connect(&m_countdownTimer, &QTimer::timeout, this, &KioskSession::onCountdownTick);
    m_doneTimer.setSingleShot(true);
    m_doneTimer.setInterval(m_timeouts.doneSeconds * 1000);
    connect(&m_doneTimer, &QTimer::timeout, this, &KioskSession::backToAttract);

    connect(m_registrations, &RegistrationService::registered, this, &KioskSession::onRegistered);
    connect(m_registrations, &RegistrationService::registrationFailed, this, &KioskSession::onRegistrationFailed);
    if (m_nfc) {
        connect(m_nfc, &NfcDevice::linkRead, this, &KioskSession::onLinkRead);
        connect(m_nfc, &NfcDevice::statusChanged, this, &KioskSession::nfcAvailableChanged);
    }
}

KioskSession::~KioskSession()
{
    if (m_nfc)
        m_nfc->stopServing();
    if (s_instance == this)
        s_instance = nullptr;
}

KioskSession *KioskSession::create(QQmlEngine *, QJSEngine *)
{
    Q_ASSERT_X(s_instance, "KioskSession", "create the session before loading QML");
    QJSEngine::setObjectOwnership(s_instance, QJSEngine::CppOwnership);
    return s_instance;
}

void KioskSession::setCatalog(const Catalog &catalog, const QUrl &logoBase)
{
    m_catalog = catalog;
    m_logoBase = logoBase;
    m_brands.setCatalog(catalog, logoBase);
    Q_EMIT catalogChanged();
}

QString KioskSession::toString(Screen screen)
{
    return QString::fromLatin1(QMetaEnum::fromType<Screen>().valueToKey(int(screen)));
}

QUrl KioskSession::selectedBrandLogo() const
{
    return m_selected.id ? m_brands.logoUrl(m_selected) : QUrl();
}

bool KioskSession::isNfcAvailable() const
{
    // The "tap here" cue only where a phone can read the link: a reader that cannot act as a
    // tag (ACR122U) still reads staff cards but must not invite shoppers to tap.
    return m_nfc && m_nfc->canEmulate() && m_nfc->status() != NfcDevice::Status::Absent
        && m_nfc->status() != NfcDevice::Status::Error;
}

void KioskSession::start()
{
    setProblem(Problem::None);
    setScreen(Screen::BrandGrid);
}

bool KioskSession::selectBrand(int brandId)
{
    noteActivity();
    const Brand *brand = brandId > 0 ? m_catalog.brand(std::uint32_t(brandId)) : nullptr;
    if (!brand || !brand->enabled) {
        qCWarning(lcSession) << "no visible brand" << brandId;
        return false;
    }
    if (isBusy())
        return false; // one registration at a time; a double tap does not create two
    m_selected = *brand;
    Q_EMIT selectionChanged();
    setProblem(Problem::None);
    setPending(m_registrations->requestBrandInterest(brand->id));
    return true;
}

void KioskSession::onRegistered(int requestId, const Registration &registration)
{
    if (requestId != m_pendingRequest)
        return; // the shopper left before it was ready; the intent stays queued, unclaimed
    setPending(0);
    m_doneTimer.stop(); // a new code from the done screen gets its full countdown
    m_registration = registration;
    // The same link, at once, on screen and over NFC (DESIGN.md, flow step 3).
    if (m_nfc)
        m_nfc->serveLink(QUrl(registration.link, QUrl::StrictMode));
    Q_EMIT linkChanged();
    m_secondsLeft = m_timeouts.codeSeconds;
    Q_EMIT secondsLeftChanged();
    m_countdownTimer.start();
    setScreen(Screen::Code);
}

void KioskSession::onRegistrationFailed(int requestId, const QString &reason, bool storageFull)
{
    if (requestId != m_pendingRequest)
        return;
    setPending(0);
    qCWarning(lcSession).noquote() << "registration failed:" << reason;
    setProblem(storageFull ? Problem::StorageFull : Problem::RegistrationFailed);
}

void KioskSession::onLinkRead(const QUrl &link)
{
    if (m_screen != Screen::Code || !m_registration || link.toString(QUrl::FullyEncoded) != m_registration->link) {
        qCWarning(lcSession) << "a phone read a link that is not on screen; ignored";
        return;
    }
    ++m_phoneReads;
    clearCode();
    setScreen(Screen::Done);
    m_doneTimer.start();
}

void KioskSession::onCountdownTick()
{
    if (--m_secondsLeft <= 0) {
        qCInfo(lcSession) << "code timed out";
        backToAttract();
        return;
    }
    Q_EMIT secondsLeftChanged();
}

void KioskSession::cancel()
{
    clearCode();
    setPending(0); // a registration still being committed must not pop up after cancel
    setScreen(Screen::BrandGrid);
}

void KioskSession::backToAttract()
{
    clearCode();
    setPending(0);
    m_doneTimer.stop();
    m_selected = {};
    Q_EMIT selectionChanged();
    setProblem(Problem::None);
    setScreen(Screen::Attract);
    Q_EMIT returnedToAttract();
}

void KioskSession::noteActivity()
{
    if (m_screen == Screen::BrandGrid)
        m_idleTimer.start();
}

void KioskSession::clearCode()
{
    // Stop serving first: a phone must never read a link that is no longer shown.
    if (m_nfc)
        m_nfc->stopServing();
    m_countdownTimer.stop();
    if (m_registration) {
        m_registration.reset();
        Q_EMIT linkChanged();
    }
}

void KioskSession::setScreen(Screen screen)
{
    if (screen == Screen::BrandGrid)
        m_idleTimer.start();
    else
        m_idleTimer.stop();
    if (m_screen == screen)
        return;
    qCInfo(lcSession) << "screen" << toString(m_screen) << "->" << toString(screen);
    m_screen = screen;
    Q_EMIT screenChanged();
}

void KioskSession::setProblem(Problem problem)
{
    if (m_problem == problem)
        return;
    m_problem = problem;
    Q_EMIT problemChanged();
}

void KioskSession::setPending(int requestId)
{
    const bool wasBusy = isBusy();
    m_pendingRequest = requestId;
    if (wasBusy != isBusy())
        Q_EMIT busyChanged();
}

} // namespace poptap
