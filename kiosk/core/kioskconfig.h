#pragma once

#include "catalog.h"

#include <QProcessEnvironment>
#include <QString>
#include <QStringList>

#include <optional>

namespace poptap {

// Everything an installer or a store can set, from one file (/etc/poptap/kiosk.conf),
// overridden by environment (POPTAP_*) and then by command-line flags.
struct KioskConfig {
    QString configFile = QStringLiteral("/etc/poptap/kiosk.conf");
    QString dataDir = QStringLiteral("/var/lib/poptap");
    QString language = QStringLiteral("ja");            // ja | en: the language shown after idle
    int idleTimeoutSeconds = 45;                         // no touch → back to the attract screen
    int codeTimeoutSeconds = 60;                         // how long a QR code stays on screen
    int doneTimeoutSeconds = 8;                          // "check your phone" before going back
    QString nfc = QStringLiteral("sim");                 // sim | libnfc:<connstring>
    bool nfcFelica = false;                              // emulate a FeliCa (Type 3) tag instead of Type 4
    QString camera = QStringLiteral("auto");             // none | auto | camera:<id|name> | images:<path>
    bool handheldScanner = true;                         // take keyboard bursts ending in Enter as scans
    int scannerKeyGapMs = 35;                            // longest gap between a handheld scanner's keys
    QString linkTemplate;                                // empty: the catalog's; or liff|oamessage|friend|URL
    QString messageText = QStringLiteral("PopTap {token}"); // oaMessage prefilled text
    int tokenTtlHours = 24;
    QString catalogSeed;                                 // empty: the demo catalog built in
    QString automationSocket;                            // empty: <dataDir>/automation.sock; "off" disables
    qint64 outboxMaxBytes = 256ll * 1024 * 1024;         // size cap of the outbox database
    int retentionDays = 30;                              // acknowledged intents kept this long
    // The delivery service (empty: the kiosk works alone and keeps every registration).
    QString serviceUrl;                                  // https://...; http only to this machine
    QString enrollmentCode;                              // one-time code from poptap-deliveryctl
    QString deviceName;                                  // staff-visible label; empty: the host name
    QString caBundle;                                    // PEM; empty: the system's CA store
    QString pinnedPublicKey;                             // sha256//<base64>[;sha256//...]
    QString clientCertificate;                           // PEM, with client-key
    QString clientKey;
    QString proxy;                                       // empty: https_proxy etc. from the environment
    QStringList staffCards;                              // validated pbkdf2-sha256$... entries (StaffCards)
    int staffIdleSeconds = 60;                           // staff mode closes after this long without a touch
    int heartbeatSeconds = 300;
    int catalogRefreshSeconds = 900;
    bool fullScreen = false;
    bool selfTest = false;

    QString automationSocketPath() const;
};

struct ConfigLoad {
    KioskConfig config;
    QStringList errors; // empty when the configuration is usable
    bool helpRequested = false;
    QString helpText;
    // --hash-staff-card <uid hex>: print a staff-cards entry and exit.
    std::optional<QString> staffCardToHash;
};

// Commands that print and exit (--help, --hash-staff-card) need no display: main() runs them
// without a GUI, so an installer can use them over SSH while the kiosk holds the screen.
bool isPrintAndExit(const QStringList &arguments);

// The link template in force: kiosk.conf's `link-template` when set, else the catalog's.
QString linkTemplateText(const QString &configured, const LinkSettings &catalogLink);

// `arguments` includes the program name as argv[0].
ConfigLoad loadKioskConfig(const QStringList &arguments, const QProcessEnvironment &environment);

} // namespace poptap
