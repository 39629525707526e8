#include "kioskapp.h"

#include "activityfilter.h"
#include "automationserver.h"
#include "barcodescanner.h"
#include "catalogcache.h"
#include "catalogupdater.h"
#include "deeplink.h"
#include "devicekey.h"
#include "framesourcefactory.h"
#include "hidscannerfilter.h"
#include "kiosksession.h"
#include "kiosksync.h"
#include "languagecontroller.h"
#include "nfcdevicefactory.h"
#include "registrationservice.h"
#include "staffcards.h"
#include "staffmode.h"
#include "syncengine.h"
#include "syncindicator.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QLockFile>
#include <QLoggingCategory>
#include <QMap>
#include <QQmlApplicationEngine>
#include <QQuickWindow>

Q_LOGGING_CATEGORY(lcApp, "poptap.app")

namespace poptap {
namespace {
const QString kBuiltInCatalog = QStringLiteral(":/qt/qml/PopTap/Ui/catalog/demo-catalog.json");
const QUrl kBuiltInLogos(QStringLiteral("qrc:/qt/qml/PopTap/Ui/catalog/logos/"));
const QUrl kBuiltInProductImages(QStringLiteral("qrc:/qt/qml/PopTap/Ui/catalog/products/"));
const QUrl kMainQml(QStringLiteral("qrc:/qt/qml/PopTap/Ui/Main.qml"));
}

KioskApp::KioskApp(const KioskConfig &config, QObject *parent)
    : QObject(parent)
    , m_config(config)
{
}

KioskApp::~KioskApp()
{
    m_automation.reset();
    m_engine.reset(); // QML goes before the objects it binds to
    // Views release delegates with deleteLater(); after exec() has returned no event loop
    // would run those deletions, and their images and textures would never be freed.
    QCoreApplication::sendPostedEvents(nullptr, QEvent::DeferredDelete);
    m_staffMode.reset(); // it watches the session, the indicator and the reader
    m_catalogUpdater.reset();
    m_session.reset();
    m_language.reset();
    m_registrations.reset(); // the sync engine goes with the outbox thread
    m_syncIndicator.reset();
}

QString KioskApp::outboxPath() const
{
    return QDir(m_config.dataDir).filePath(QStringLiteral("outbox.db"));
}

bool KioskApp::hasPendingCatalog() const
{
    return m_catalogUpdater && m_catalogUpdater->hasPending();
}

QString KioskApp::loadCatalog(Catalog &catalog)
{
    m_catalogCache = std::make_unique<CatalogCache>();
    const auto opened = m_catalogCache->open(QDir(m_config.dataDir).filePath(QStringLiteral("catalog.db")));
    if (!opened.error.isEmpty())
        return opened.error;
    if (!opened.quarantinedTo.isEmpty())
        m_warnings << QStringLiteral("catalog cache was corrupt and was moved to %1").arg(opened.quarantinedTo);

    const QString seedPath = m_config.catalogSeed.isEmpty() ? kBuiltInCatalog : m_config.catalogSeed;
    std::optional<Catalog> cached = m_catalogCache->load();
    // The seed stands in until the delivery service sends a catalog; a newer seed replaces an older one.
    if (!cached || (m_catalogCache->source() == CatalogCache::Source::Seed)) {
        QFile seed(seedPath);
        if (!seed.open(QIODevice::ReadOnly))
            return QStringLiteral("cannot read catalog seed %1: %2").arg(seedPath, seed.errorString());
        const CatalogParse parsed = parseCatalogJson(seed.readAll());
        if (!parsed.errors.isEmpty())
            return QStringLiteral("catalog seed %1 refused:\n  %2").arg(seedPath, parsed.errors.join(QLatin1String("\n  ")));
        if (!cached || *cached != parsed.catalog) {
            if (const QString error = m_catalogCache->apply(parsed.catalog, CatalogCache::Source::Seed); !error.isEmpty())
                return QStringLiteral("cannot store the catalog: %1").arg(error);
            qCInfo(lcApp).noquote() << "catalog" << parsed.catalog.version << "seeded from" << seedPath;
            cached = m_catalogCache->load();
        }
    }
    if (!cached)
        return QStringLiteral("the catalog cache could not be read back");
    catalog = *cached;
    m_catalogVersion = cached->version;
    return {};
}

QString KioskApp::start()
{
    if (!QDir().mkpath(m_config.dataDir))
        return QStringLiteral("cannot create data directory %1").arg(m_config.dataDir);
    QFile::setPermissions(m_config.dataDir, QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner);
    // One kiosk per data directory: a second one (a --self-test on a live appliance, say)
    // would share the outbox and take over the automation socket. A lock left by a
    // killed kiosk is stale (its process is gone) and is taken over.
    m_lock = std::make_unique<QLockFile>(QDir(m_config.dataDir).filePath(QStringLiteral("kiosk.lock")));
    m_lock->setStaleLockTime(0);
    if (!m_lock->tryLock(0)) {
        qint64 pid = 0;
        QString host, app;
        m_lock->getLockInfo(&pid, &host, &app);
        return QStringLiteral("another kiosk (pid %1) is using %2; give this one its own --data-dir")
            .arg(pid).arg(m_config.dataDir);
    }

    DeviceKey::Load key = DeviceKey::loadOrCreate(m_config.dataDir);
    if (!key.error.isEmpty())
        return key.error;
    Catalog catalog;
    if (const QString error = loadCatalog(catalog); !error.isEmpty())
        return error;

    QString templateError;
    const DeepLinkTemplate linkTemplate =
        DeepLinkTemplate::parse(linkTemplateText(m_config.linkTemplate, catalog.link), &templateError);
    if (!linkTemplate.isValid())
        return templateError;

    NfcDeviceCreation nfc = createNfcDevice(
        m_config.nfc, m_config.nfcFelica ? LibnfcReader::Emulation::FeliCa : LibnfcReader::Emulation::Type4);
    if (!nfc.device)
        return nfc.error;
    m_nfc = std::move(nfc.device);

    RegistrationService::Setup setup;
    setup.outboxPath = outboxPath();
    setup.outboxMaxBytes = m_config.outboxMaxBytes;
    setup.retentionDays = m_config.retentionDays;
    setup.key = key.key;
    setup.tokenTtlHours = m_config.tokenTtlHours;
    setup.linkTemplate = linkTemplate;
    setup.linkParameters = {catalog.link.liffId, catalog.link.basicId, {}, m_config.messageText};
    m_registrations = std::make_unique<RegistrationService>();
    const SqliteDatabase::OpenResult outbox = m_registrations->start(setup);
    if (!outbox.error.isEmpty())
        return outbox.error;
    if (!outbox.quarantinedTo.isEmpty())
        m_warnings << QStringLiteral("outbox was corrupt (%1) and was moved to %2; a new one was started")
                          .arg(outbox.corruption, outbox.quarantinedTo);

    m_engine = std::make_unique<QQmlApplicationEngine>();
    m_engine->addImportPath(QStringLiteral("qrc:/qt/qml"));
    m_language = std::make_unique<LanguageController>(m_engine.get(), m_config.language);
    m_session = std::make_unique<KioskSession>(
        m_registrations.get(), m_nfc.get(),
        KioskSession::Timeouts{m_config.idleTimeoutSeconds, m_config.codeTimeoutSeconds, m_config.doneTimeoutSeconds});
    m_session->setCatalog(catalog, kBuiltInLogos, kBuiltInProductImages);
    connect(m_session.get(), &KioskSession::returnedToAttract, m_language.get(), &LanguageController::resetToDefault);
    m_syncIndicator = std::make_unique<SyncIndicator>(nullptr);
    createStaffMode();
    if (const QString error = createScanning(); !error.isEmpty())
        return error;

    m_engine->load(kMainQml);
    if (m_engine->rootObjects().isEmpty())
        return QStringLiteral("the user interface could not be loaded (see the QML errors above)");
    m_window = qobject_cast<QQuickWindow *>(m_engine->rootObjects().constFirst());
    if (!m_window)
        return QStringLiteral("Main.qml did not create a window");
    if (m_config.fullScreen)
        m_window->showFullScreen();
    m_activity = std::make_unique<ActivityFilter>();
    connect(m_activity.get(), &ActivityFilter::activity, m_session.get(), &KioskSession::noteActivity);
    connect(m_activity.get(), &ActivityFilter::activity, m_staffMode.get(), &StaffMode::noteActivity);
    m_window->installEventFilter(m_activity.get());
    connect(m_window, &QQuickWindow::frameSwapped, this, &KioskApp::firstFrameShown, Qt::SingleShotConnection);

    for (const QString &warning : std::as_const(m_warnings))
        qCCritical(lcApp).noquote() << warning;

    if (const QString socket = m_config.automationSocketPath(); !socket.isEmpty()) {
        m_automation = std::make_unique<AutomationServer>(this);
        if (const QString error = m_automation->listen(socket); !error.isEmpty())
            return error;
    }
    startSync();
    return {};
}

void KioskApp::createStaffMode()
{
    QList<StaffCards::Entry> entries;
    for (const QString &text : std::as_const(m_config.staffCards)) // validated by loadKioskConfig
        if (const std::optional<StaffCards::Entry> entry = StaffCards::parseEntry(text, nullptr))
            entries << *entry;
    const StaffCards cards(entries);
    if (cards.derivationsPerMatch() > 1)
        qCWarning(lcApp) << "staff-cards use" << cards.derivationsPerMatch() << "different salts: every card held to"
                         << "the reader costs that many PBKDF2 derivations on the GUI thread; hash the cards again"
                         << "with --hash-staff-card so they share one";
    qCInfo(lcApp) << cards.size() << "staff card(s) configured";
    m_staffMode = std::make_unique<StaffMode>(
        m_nfc.get(), m_session.get(), m_syncIndicator.get(), cards,
        StaffMode::Settings{std::chrono::seconds(m_config.staffIdleSeconds), m_config.linkTemplate,
                            QCoreApplication::applicationVersion()});
    // The next shopper starts in the configured language, whatever staff switched to.
    connect(m_staffMode.get(), &StaffMode::activeChanged, m_language.get(), [this] {
        if (!m_staffMode->isActive())
            m_language->resetToDefault();
    });
    connect(m_staffMode.get(), &StaffMode::countersChanged, this, &KioskApp::reportHealth);
}

QString KioskApp::createScanning()
{
    QString error;
    std::unique_ptr<FrameSource> camera = createFrameSource(m_config.camera, &error); // null for "none"
    if (!error.isEmpty())
        return QStringLiteral("camera: %1").arg(error);
    if (camera) {
        m_scanner = std::make_unique<BarcodeScanner>(std::move(camera));
        m_session->setScanner(m_scanner.get());
        connect(m_scanner->source(), &FrameSource::statusChanged, this, &KioskApp::reportHealth);
        // Staff mode hides the shopper's screens: a code goes to whichever side is showing.
        connect(m_scanner.get(), &BarcodeScanner::scanned, this, [this](const ScannedCode &code) {
            ++m_cameraScans;
            if (m_staffMode->isActive())
                m_staffMode->scanEnrollmentCode(code);
            else
                m_session->scanCode(code);
        });
        connect(m_session.get(), &KioskSession::screenChanged, this, &KioskApp::updateCamera);
        connect(m_staffMode.get(), &StaffMode::activeChanged, this, &KioskApp::updateCamera);
        connect(m_staffMode.get(), &StaffMode::enrollmentChanged, this, &KioskApp::updateCamera);
    }
    if (m_config.handheldScanner) {
        HidBurstParser::Settings settings;
        settings.maxGapMs = m_config.scannerKeyGapMs;
        m_handheld = std::make_unique<HidScannerFilter>(settings);
        connect(m_handheld.get(), &HidScannerFilter::scanned, this, [this](const ScannedCode &code) {
            ++m_handheldScans;
            // Staff mode has no use for product codes; the shopper's screens are hidden then.
            if (!m_staffMode->isActive())
                m_session->scanCode(code);
        });
        connect(m_handheld.get(), &HidScannerFilter::rejected, this, [this] { ++m_handheldRejects; });
        qApp->installEventFilter(m_handheld.get());
    }
    return {};
}

void KioskApp::updateCamera()
{
    const bool wanted = m_staffMode->isActive() ? m_staffMode->wantsCamera() : m_session->wantsCamera();
    if (wanted == m_scanner->isScanning())
        return;
    if (wanted)
        m_scanner->start();
    else
        m_scanner->stop();
}

void KioskApp::startSync()
{
    m_catalogUpdater = std::make_unique<CatalogUpdater>(CatalogUpdater::Targets{
        m_catalogCache.get(), m_session.get(), m_registrations.get(), m_config.linkTemplate, m_config.messageText,
        kBuiltInLogos, kBuiltInProductImages});
    connect(m_catalogUpdater.get(), &CatalogUpdater::applied, this, [this](const QString &version) { m_catalogVersion = version; });

    const QByteArray etag = m_catalogCache->source() == CatalogCache::Source::Service ? m_catalogCache->etag() : QByteArray();
    const sync::SyncSettings settings = syncSettingsFor(m_config, etag);
    m_sync = static_cast<sync::SyncEngine *>(m_registrations->attachToOutbox([settings](OutboxStore &outbox, DeviceKey &key) {
        return std::make_unique<sync::SyncEngine>(outbox, key, settings);
    }));
    // Every connection crosses to the outbox thread or back, so each is queued.
    connect(m_sync, &sync::SyncEngine::statusChanged, m_syncIndicator.get(), &SyncIndicator::setStatus);
    connect(m_sync, &sync::SyncEngine::catalogReceived, m_catalogUpdater.get(), &CatalogUpdater::offer);
    connect(m_catalogUpdater.get(), &CatalogUpdater::refused, m_sync, &sync::SyncEngine::reportError);
    connect(m_registrations.get(), &RegistrationService::registered, m_sync, &sync::SyncEngine::nudge);
    connect(m_registrations.get(), &RegistrationService::registered, this, [this] {
        ++m_registrationsMade;
        reportHealth();
    });
    // A code staff typed goes to the engine's thread, as the automation "enroll" sends one.
    connect(m_staffMode.get(), &StaffMode::enrollmentRequested, m_sync, &sync::SyncEngine::enrollWith,
            Qt::QueuedConnection);
    connect(m_nfc.get(), &NfcDevice::statusChanged, this, &KioskApp::reportHealth);
    connect(m_nfc.get(), &NfcDevice::linkRead, this, &KioskApp::reportHealth, Qt::QueuedConnection);
    for (const QString &warning : std::as_const(m_warnings))
        QMetaObject::invokeMethod(m_sync, [engine = m_sync, warning] { engine->reportError(warning); }, Qt::QueuedConnection);
    reportHealth();
    QMetaObject::invokeMethod(m_sync, &sync::SyncEngine::start, Qt::QueuedConnection);
}

// What the next heartbeat says about this kiosk besides its queue.
void KioskApp::reportHealth()
{
    if (!m_sync)
        return; // before startSync(): the first report follows there
    const NfcDevice::Status nfc = m_nfc->status();
    const wire::ComponentStatus reader = nfc == NfcDevice::Status::Absent ? wire::ComponentStatus::Absent
        : nfc == NfcDevice::Status::Error                                 ? wire::ComponentStatus::Error
                                                                          : wire::ComponentStatus::Ok;
    // Counts only: no card UID, no code, nothing about a person.
    QMap<QString, qint64> counters{
        {QStringLiteral("registrations"), m_registrationsMade},
        {QStringLiteral("phoneReads"), m_session->phoneReads()},
        {QStringLiteral("staffCardOpens"), m_staffMode->opens()},
        {QStringLiteral("unknownCards"), m_staffMode->unknownCards()},
        {QStringLiteral("popStickersWritten"), m_staffMode->stickersWritten()},
        {QStringLiteral("scansLookedUp"), m_session->scansLookedUp()},
        {QStringLiteral("handheldScans"), m_handheldScans},
        {QStringLiteral("handheldRejects"), m_handheldRejects},
    };
    int camera = -1; // no camera configured
    QString cameraReason;
    if (m_scanner) {
        const FrameSource::Status status = m_scanner->source()->status();
        camera = int(status == FrameSource::Status::Absent ? wire::ComponentStatus::Absent
                     : status == FrameSource::Status::Error ? wire::ComponentStatus::Error
                                                            : wire::ComponentStatus::Ok);
        cameraReason = m_scanner->source()->statusReason();
    }
    QMetaObject::invokeMethod(m_sync, [engine = m_sync, reader, reason = m_nfc->statusReason(), counters, camera,
                                        cameraReason] {
        engine->setReaderHealth(int(reader), reason);
        engine->setCameraHealth(camera, cameraReason);
        for (auto it = counters.cbegin(); it != counters.cend(); ++it)
            engine->setCounter(it.key(), it.value());
    }, Qt::QueuedConnection);
}

} // namespace poptap
