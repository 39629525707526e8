#include "kiosksyncpath.h"

#include "catalog.h"
#include "deeplink.h"
#include "devicekey.h"
#include "kioskconfig.h"

#include <QDir>
#include <QFile>

using namespace poptap;

namespace synctesting {

sync::SyncSettings quickSyncSettings(const QUrl &service, const QString &dataDir, const QString &enrollmentCode,
                                    const QString &deviceName)
{
    sync::SyncSettings settings;
    settings.serviceUrl = service;
    settings.dataDir = dataDir;
    settings.enrollmentCode = enrollmentCode;
    settings.deviceName = deviceName;
    settings.version = QStringLiteral("0.1.0");
    settings.retryBase = std::chrono::milliseconds(20);
    settings.retryCap = std::chrono::milliseconds(300);
    settings.transport.connectTimeout = std::chrono::milliseconds(2000);
    settings.transport.lowSpeedTime = std::chrono::seconds(3);
    return settings;
}

KioskSyncPath::KioskSyncPath() = default;
KioskSyncPath::~KioskSyncPath() = default; // the engine and the outbox close on their thread first

QString KioskSyncPath::open(const QString &dataDir, const sync::SyncSettings &settings)
{
    if (!QDir().mkpath(dataDir))
        return QStringLiteral("cannot create %1").arg(dataDir);
    // As KioskApp: one kiosk per data directory; a killed one's lock is stale and taken over.
    m_lock = std::make_unique<QLockFile>(QDir(dataDir).filePath(QStringLiteral("kiosk.lock")));
    m_lock->setStaleLockTime(0);
    if (!m_lock->tryLock(0))
        return QStringLiteral("another process holds the lock of %1").arg(dataDir);

    DeviceKey::Load key = DeviceKey::loadOrCreate(dataDir);
    if (!key.error.isEmpty())
        return key.error;

    QFile catalogFile(QStringLiteral(POPTAP_DEMO_CATALOG));
    if (!catalogFile.open(QIODevice::ReadOnly))
        return QStringLiteral("cannot read %1: %2").arg(catalogFile.fileName(), catalogFile.errorString());
    const CatalogParse catalog = parseCatalogJson(catalogFile.readAll());
    if (!catalog.errors.isEmpty())
        return catalog.errors.join(QLatin1String("; "));
    for (const Brand &brand : catalog.catalog.visibleBrands())
        m_brandIds.append(brand.id);
    QString templateError;
    const DeepLinkTemplate linkTemplate = DeepLinkTemplate::parse(catalog.catalog.link.linkTemplate, &templateError);
    if (!linkTemplate.isValid())
        return templateError;

    const KioskConfig defaults; // the outbox as a kiosk without a kiosk.conf keeps it
    RegistrationService::Setup setup;
    setup.outboxPath = QDir(dataDir).filePath(QStringLiteral("outbox.db"));
    setup.outboxMaxBytes = defaults.outboxMaxBytes;
    setup.retentionDays = defaults.retentionDays;
    setup.key = key.key;
    setup.tokenTtlHours = defaults.tokenTtlHours;
    setup.linkTemplate = linkTemplate;
    setup.linkParameters = {catalog.catalog.link.liffId, catalog.catalog.link.basicId, {}, defaults.messageText};
    m_registrations = std::make_unique<RegistrationService>();
    if (const SqliteDatabase::OpenResult opened = m_registrations->start(setup); !opened.error.isEmpty())
        return opened.error;

    m_engine = qobject_cast<sync::SyncEngine *>(
        m_registrations->attachToOutbox([settings](OutboxStore &outbox, DeviceKey &deviceKey) -> std::unique_ptr<QObject> {
            return std::make_unique<sync::SyncEngine>(outbox, deviceKey, settings);
        }));
    if (!m_engine)
        return QStringLiteral("the sync engine was not built");
    QObject::connect(m_registrations.get(), &RegistrationService::registered, m_engine, &sync::SyncEngine::nudge,
                     Qt::QueuedConnection);
    return {};
}

void KioskSyncPath::startSync()
{
    QMetaObject::invokeMethod(m_engine, &sync::SyncEngine::start, Qt::QueuedConnection);
}

} // namespace synctesting
