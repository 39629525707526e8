#include "kiosksession.h"

#include "barcodescanner.h"
#include "nfcdevice.h"

#include <QVideoSink>

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

void KioskSession::setCatalog(const Catalog &catalog, const QUrl &logoBase, const QUrl &productImageBase)
{
    setVariant({}); // it points into the catalog being replaced
    m_catalog = catalog;
    m_logoBase = logoBase;
    m_productImageBase = productImageBase;
    m_brands.setCatalog(catalog, logoBase);
    m_restockBrands.setCatalog(catalog, logoBase, BrandListModel::Filter::WithProducts);
    m_products.clear();
    m_picker.clear();
    Q_EMIT catalogChanged();
}

void KioskSession::setScanner(BarcodeScanner *scanner)
{
    m_scanner = scanner;
    if (m_scanner)
        connect(m_scanner->source(), &FrameSource::statusChanged, this, &KioskSession::cameraChanged);
    Q_EMIT cameraChanged();
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

QObject *KioskSession::videoSink() const
{
    return m_scanner && m_scanner->source() ? m_scanner->source()->videoSink() : nullptr;
}

bool KioskSession::isCameraAvailable() const
{
    if (!m_scanner || !m_scanner->source())
        return false;
    const FrameSource::Status status = m_scanner->source()->status();
    return status != FrameSource::Status::Absent && status != FrameSource::Status::Error;
}

QString KioskSession::variantProductJa() const
{
    return m_variant ? m_variant.product->nameJa : QString();
}

QString KioskSession::variantProductEn() const
{
    return m_variant ? m_variant.product->nameEn : QString();
}

QString KioskSession::variantLabelJa() const
{
    return m_variant ? QStringLiteral("%1 / %2").arg(m_variant.variant->colorJa, m_variant.variant->size) : QString();
}

QString KioskSession::variantLabelEn() const
{
    return m_variant ? QStringLiteral("%1 / %2").arg(m_variant.variant->colorEn, m_variant.variant->size) : QString();
}

QUrl KioskSession::variantImage() const
{
    return m_variant ? productImage(*m_variant.product) : QUrl();
}

QUrl KioskSession::productImage(const Product &product) const
{
    return product.image.isEmpty() ? QUrl() : m_productImageBase.resolved(QUrl(product.image));
}

const Brand *KioskSession::visibleBrand(std::uint32_t brandId) const
{
    const Brand *brand = m_catalog.brand(brandId);
    return brand && brand->enabled ? brand : nullptr;
}

void KioskSession::start()
{
    setProblem(Problem::None);
    setVariant({});
    setScreen(Screen::BrandGrid);
}

bool KioskSession::selectBrand(int brandId)
{
    noteActivity();
    const Brand *brand = brandId > 0 ? visibleBrand(std::uint32_t(brandId)) : nullptr;
    if (!brand) {
        qCWarning(lcSession) << "no visible brand" << brandId;
        return false;
    }
    if (isBusy())
        return false; // one registration at a time; a double tap does not create two
    m_selected = *brand;
    Q_EMIT selectionChanged();
    setVariant({});
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
    // Back to where the code was asked for: the sizes of that product, or the brands.
    if (m_variant)
        showVariant(m_variant);
    else
        setScreen(Screen::BrandGrid);
}

void KioskSession::startRestock()
{
    if (!isRestockAvailable())
        return;
    setProblem(Problem::None);
    setVariant({});
    if (m_scanner)
        m_scanner->worker()->resetRepeats(); // the previous shopper's code counts again
    setScreen(Screen::Scan);
}

void KioskSession::browseProducts()
{
    noteActivity();
    setScreen(Screen::RestockBrands);
}

bool KioskSession::openBrandProducts(int brandId)
{
    noteActivity();
    const Brand *brand = brandId > 0 ? visibleBrand(std::uint32_t(brandId)) : nullptr;
    const QList<const Product *> products = brand ? m_catalog.productsOf(brand->id) : QList<const Product *>{};
    if (products.isEmpty()) {
        qCWarning(lcSession) << "no products of a visible brand" << brandId;
        return false;
    }
    m_products.setProducts(products, m_productImageBase);
    setScreen(Screen::Products);
    return true;
}

bool KioskSession::openProduct(int productId)
{
    noteActivity();
    const Product *product = productId > 0 ? m_catalog.product(std::uint32_t(productId)) : nullptr;
    if (!product || !visibleBrand(product->brandId)) {
        qCWarning(lcSession) << "no product of a visible brand" << productId;
        return false;
    }
    showVariant(VariantRef{product, product->variants.isEmpty() ? nullptr : &product->variants.front()});
    return true;
}

bool KioskSession::chooseVariant(int variantId)
{
    noteActivity();
    const VariantRef found = variantId > 0 ? m_catalog.variant(std::uint32_t(variantId)) : VariantRef{};
    if (!found || !visibleBrand(found.product->brandId)) {
        qCWarning(lcSession) << "no variant of a visible brand" << variantId;
        return false;
    }
    if (isBusy())
        return false; // one registration at a time
    setVariant(found);
    if (found.variant->inStock) {
        setScreen(Screen::InStock);
        return true;
    }
    m_selected = {};
    Q_EMIT selectionChanged();
    setProblem(Problem::None);
    setPending(m_registrations->requestRestock(found.variant->id));
    return true;
}

RestockLookup::Outcome KioskSession::scanCode(const ScannedCode &code)
{
    // Not while a code is on screen, nor while one is being made: the shopper is done choosing.
    if (!isBrowsing(m_screen) && m_screen != Screen::Attract)
        return RestockLookup::Outcome::Unknown;
    if (isBusy() || !isRestockAvailable())
        return RestockLookup::Outcome::Unknown;
    // A QR code or a Code 128 that holds no product code is someone else's: refused quietly,
    // the shopper's screen stays as it is.
    const QString productCode = code.productCode();
    if (productCode.isEmpty())
        return RestockLookup::Outcome::Unknown;
    ++m_scansLookedUp;
    const RestockLookup lookup = RestockLookup::find(m_catalog, productCode);
    // The code itself is not logged: what a shopper scans is theirs.
    qCInfo(lcSession) << "scan looked up:" << int(lookup.outcome);
    setProblem(Problem::None);
    switch (lookup.outcome) {
    case RestockLookup::Outcome::Unknown:
        setVariant({});
        setScreen(Screen::NotFound);
        break;
    case RestockLookup::Outcome::InStock:
        showVariant(lookup.found); // the sizes of that colour, so another size is one touch away
        setScreen(Screen::InStock);
        break;
    case RestockLookup::Outcome::SoldOut:
        showVariant(lookup.found);
        chooseVariant(int(lookup.found.variant->id));
        break;
    }
    return lookup.outcome;
}

void KioskSession::goBack()
{
    noteActivity();
    switch (m_screen) {
    case Screen::Product:
        // The products of the brand of the product shown (it may have been scanned, not browsed to).
        if (const Product *shown = m_catalog.product(std::uint32_t(m_picker.productId()));
            shown && openBrandProducts(int(shown->brandId)))
            return;
        setScreen(Screen::RestockBrands);
        return;
    case Screen::InStock:
        setScreen(Screen::Product);
        return;
    case Screen::Products:
        setScreen(Screen::RestockBrands);
        return;
    case Screen::RestockBrands:
    case Screen::NotFound:
        setScreen(Screen::Scan);
        return;
    default:
        backToAttract();
        return;
    }
}

void KioskSession::showVariant(const VariantRef &found)
{
    setVariant(found);
    m_picker.setProduct(*found.product, productImage(*found.product), found.variant ? found.variant->id : 0);
    setScreen(Screen::Product);
}

void KioskSession::setVariant(const VariantRef &found)
{
    if (found.variant == m_variant.variant && found.product == m_variant.product)
        return;
    m_variant = found;
    Q_EMIT variantChanged();
}

bool KioskSession::isBrowsing(Screen screen) const
{
    switch (screen) {
    case Screen::BrandGrid:
    case Screen::Scan:
    case Screen::RestockBrands:
    case Screen::Products:
    case Screen::Product:
    case Screen::InStock:
    case Screen::NotFound:
        return true;
    default:
        return false;
    }
}


void KioskSession::backToAttract()
{
    clearCode();
    setPending(0);
    m_doneTimer.stop();
    m_selected = {};
    Q_EMIT selectionChanged();
    setVariant({});
    setProblem(Problem::None);
    setScreen(Screen::Attract);
    Q_EMIT returnedToAttract();
}

void KioskSession::noteActivity()
{
    if (isBrowsing(m_screen))
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
    if (isBrowsing(screen))
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
