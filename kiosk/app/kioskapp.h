#pragma once

#include "catalog.h"
#include "kioskconfig.h"

#include <QObject>
#include <QString>

#include <memory>

class QLockFile;
class QQmlApplicationEngine;
class QQuickWindow;

namespace poptap {

namespace sync {
class SyncEngine;
}

class ActivityFilter;
class BarcodeScanner;
class HidScannerFilter;
class AutomationServer;
class CatalogCache;
class CatalogUpdater;
class KioskSession;
class LanguageController;
class NfcDevice;
class RegistrationService;
class StaffMode;
class SyncIndicator;

// The composition root: builds every service from the configuration, on the stack of
// main() (or of a test or benchmark), and shows the QML scene.
class KioskApp : public QObject
{
    Q_OBJECT
public:
    explicit KioskApp(const KioskConfig &config, QObject *parent = nullptr);
    ~KioskApp() override;

    // Returns an empty string when the kiosk is up, else what stopped it (for the log and exit code).
    QString start();

    KioskSession *session() const { return m_session.get(); }
    NfcDevice *nfc() const { return m_nfc.get(); }
    // Null when configured without a camera (camera=none).
    BarcodeScanner *scanner() const { return m_scanner.get(); }
    qint64 cameraScans() const { return m_cameraScans; }
    qint64 handheldScans() const { return m_handheldScans; }
    qint64 handheldRejects() const { return m_handheldRejects; }
    QQuickWindow *window() const { return m_window; }
    LanguageController *language() const { return m_language.get(); }
    const KioskConfig &config() const { return m_config; }
    QString outboxPath() const;
    QString catalogVersion() const { return m_catalogVersion; }
    QStringList startupWarnings() const { return m_warnings; }
    SyncIndicator *syncIndicator() const { return m_syncIndicator.get(); }
    StaffMode *staffMode() const { return m_staffMode.get(); }
    // A catalog from the service waits for the current shopper to finish.
    bool hasPendingCatalog() const;
    // Lives on the outbox thread: reach it with queued calls only.
    sync::SyncEngine *syncEngine() const { return m_sync; }

Q_SIGNALS:
    void firstFrameShown();

private:
    // Opens the cache, seeds it when needed, and returns the catalog to show.
    QString loadCatalog(Catalog &catalog);
    // Builds the sync engine on the outbox thread and connects it to the screen and the catalog.
    void startSync();
    void reportHealth();
    // Staff cards from the configuration, and the staff mode they open.
    void createStaffMode();
    // The camera (if configured) and the handheld-scanner filter, feeding the session.
    QString createScanning();
    // Runs the camera while the screen showing wants it (scan screen, enrollment panel).
    void updateCamera();

    KioskConfig m_config;
    std::unique_ptr<QLockFile> m_lock;
    QStringList m_warnings;
    QString m_catalogVersion;
    std::unique_ptr<CatalogCache> m_catalogCache;
    std::unique_ptr<NfcDevice> m_nfc;
    std::unique_ptr<BarcodeScanner> m_scanner;
    std::unique_ptr<HidScannerFilter> m_handheld;
    qint64 m_cameraScans = 0;     // validated codes the camera read, whatever they were for
    qint64 m_handheldScans = 0;
    qint64 m_handheldRejects = 0;
    std::unique_ptr<RegistrationService> m_registrations;
    std::unique_ptr<QQmlApplicationEngine> m_engine;
    std::unique_ptr<LanguageController> m_language;
    std::unique_ptr<KioskSession> m_session;
    std::unique_ptr<AutomationServer> m_automation;
    std::unique_ptr<ActivityFilter> m_activity;
    std::unique_ptr<SyncIndicator> m_syncIndicator;
    std::unique_ptr<StaffMode> m_staffMode;
    std::unique_ptr<CatalogUpdater> m_catalogUpdater;
    sync::SyncEngine *m_sync = nullptr; // owned by the outbox thread (RegistrationService)
    int m_registrationsMade = 0;
    QQuickWindow *m_window = nullptr;
};

} // namespace poptap
