#include "kioskconfig.h"

#include "staffcards.h"

#include <QCommandLineParser>
#include <QDir>
#include <QFileInfo>
#include <QRegularExpression>
#include <QSettings>
#include <QUrl>

#include <algorithm>
#include <functional>

namespace poptap {
namespace {

// One setting, named once for all three sources: file key, environment variable, flag.
struct Setting {
    const char *key;        // kiosk.conf key in [kiosk], and the flag name
    const char *valueName;  // for --help
    const char *help;
    std::function<QString(KioskConfig &, const QString &)> apply; // returns an error or empty
};

QString toEnvName(const char *key)
{
    return QStringLiteral("POPTAP_") + QString::fromLatin1(key).toUpper().replace(QLatin1Char('-'), QLatin1Char('_'));
}

std::function<QString(KioskConfig &, const QString &)> intIn(int KioskConfig::*field, int min, int max)
{
    return [=](KioskConfig &c, const QString &v) {
        bool ok = false;
        const int n = v.trimmed().toInt(&ok);
        if (!ok || n < min || n > max)
            return QStringLiteral("'%1' is not a whole number from %2 to %3").arg(v).arg(min).arg(max);
        c.*field = n;
        return QString();
    };
}

std::function<QString(KioskConfig &, const QString &)> text(QString KioskConfig::*field)
{
    return [=](KioskConfig &c, const QString &v) {
        c.*field = v.trimmed();
        return QString();
    };
}

std::function<QString(KioskConfig &, const QString &)> boolean(bool KioskConfig::*field)
{
    return [=](KioskConfig &c, const QString &v) {
        const QString s = v.trimmed().toLower();
        if (s == QLatin1String("1") || s == QLatin1String("true") || s == QLatin1String("yes") || s == QLatin1String("on"))
            c.*field = true;
        else if (s == QLatin1String("0") || s == QLatin1String("false") || s == QLatin1String("no") || s == QLatin1String("off"))
            c.*field = false;
        else
            return QStringLiteral("'%1' is not true or false").arg(v);
        return QString();
    };
}

const std::vector<Setting> &settings()
{
    static const std::vector<Setting> all{
        {"data-dir", "dir", "Where the outbox, catalog cache and device key live.", text(&KioskConfig::dataDir)},
        {"language", "ja|en", "Language shown after the kiosk goes idle.",
         [](KioskConfig &c, const QString &v) {
             const QString l = v.trimmed().toLower();
             if (l != QLatin1String("ja") && l != QLatin1String("en"))
                 return QStringLiteral("'%1' is not ja or en").arg(v);
             c.language = l;
             return QString();
         }},
        {"idle-timeout", "seconds", "Back to the attract screen after this long without a touch.",
         intIn(&KioskConfig::idleTimeoutSeconds, 5, 3600)},
        {"code-timeout", "seconds", "How long a registration code stays on screen.",
         intIn(&KioskConfig::codeTimeoutSeconds, 10, 600)},
        {"done-timeout", "seconds", "How long 'check your phone' stays on screen.",
         intIn(&KioskConfig::doneTimeoutSeconds, 2, 120)},
        {"nfc", "backend", "NFC backend: sim, or libnfc:<connstring>.", text(&KioskConfig::nfc)},
        {"nfc-emulation", "type4|felica", "The tag phones read on the kiosk: NFC Forum Type 4, or FeliCa (Type 3).",
         [](KioskConfig &c, const QString &v) {
             const QString e = v.trimmed().toLower();
             if (e != QLatin1String("type4") && e != QLatin1String("felica"))
                 return QStringLiteral("'%1' is not type4 or felica").arg(v);
             c.nfcFelica = e == QLatin1String("felica");
             return QString();
         }},
        {"camera", "source", "Camera for barcodes: none, auto, camera:<id or name>, or images:<file or folder>.",
         text(&KioskConfig::camera)},
        {"handheld-scanner", "true|false", "Take a fast burst of digits ending in Enter as a handheld scanner's code.",
         boolean(&KioskConfig::handheldScanner)},
        {"scanner-key-gap-ms", "ms", "Longest gap between two keys of a handheld scanner's burst.",
         intIn(&KioskConfig::scannerKeyGapMs, 5, 60)},
        {"link-template", "template", "liff, oamessage, friend or a https LINE link template.",
         text(&KioskConfig::linkTemplate)},
        {"message-text", "text", "Prefilled text of oaMessage links; must contain {token}.",
         text(&KioskConfig::messageText)},
        {"token-ttl-hours", "hours", "How long a registration link can be claimed.",
         intIn(&KioskConfig::tokenTtlHours, 1, 255)},
        {"catalog-seed", "file", "Catalog JSON used until the delivery service sends one.",
         text(&KioskConfig::catalogSeed)},
        {"automation-socket", "path|off", "Local automation socket (owner-only).",
         text(&KioskConfig::automationSocket)},
        {"outbox-max-mb", "MiB", "Size cap of the outbox database.",
         [](KioskConfig &c, const QString &v) {
             bool ok = false;
             const qint64 mb = v.trimmed().toLongLong(&ok);
             if (!ok || mb < 1 || mb > 1024 * 1024)
                 return QStringLiteral("'%1' is not a size in MiB").arg(v);
             c.outboxMaxBytes = mb * 1024 * 1024;
             return QString();
         }},
        {"retention-days", "days", "Keep acknowledged registrations this long.",
         intIn(&KioskConfig::retentionDays, 1, 3650)},
        {"fullscreen", "true|false", "Show the kiosk full screen.", boolean(&KioskConfig::fullScreen)},
        {"service-url", "url", "Delivery service (https; http only to this machine). Empty: no sync.",
         [](KioskConfig &c, const QString &v) {
             const QString text = v.trimmed();
             if (text.isEmpty()) {
                 c.serviceUrl.clear();
                 return QString();
             }
             const QUrl url(text, QUrl::StrictMode);
             const QString host = url.host();
             const bool local = host == QLatin1String("localhost") || host == QLatin1String("::1")
                 || QRegularExpression(QStringLiteral("^127\\.\\d+\\.\\d+\\.\\d+$")).match(host).hasMatch();
             if (!url.isValid() || url.host().isEmpty() || !url.query().isEmpty() || !url.fragment().isEmpty()
                 || (url.scheme() != QLatin1String("https") && !(url.scheme() == QLatin1String("http") && local)))
                 return QStringLiteral("'%1' is not an https:// service address (no query or fragment; plain http only to this machine)").arg(v);
             c.serviceUrl = text;
             return QString();
         }},
        {"enrollment-code", "code", "One-time code that enrolls this kiosk with the delivery service.",
         text(&KioskConfig::enrollmentCode)},
        {"device-name", "name", "Label staff see for this kiosk (default: the host name).", text(&KioskConfig::deviceName)},
        {"ca-bundle", "file", "CA certificates (PEM) for the delivery service; default: the system's.",
         text(&KioskConfig::caBundle)},
        {"pinned-public-key", "pins", "Public-key pins of the delivery service: sha256//<base64>[;...].",
         text(&KioskConfig::pinnedPublicKey)},
        {"client-certificate", "file", "Client certificate (PEM) for the delivery service.",
         text(&KioskConfig::clientCertificate)},
        {"client-key", "file", "Private key (PEM) of the client certificate.", text(&KioskConfig::clientKey)},
        {"proxy", "url", "HTTP(S) proxy to the delivery service; default: https_proxy from the environment.",
         text(&KioskConfig::proxy)},
        {"staff-cards", "entries",
         "Cards that open staff mode: pbkdf2-sha256$... entries from --hash-staff-card, comma-separated.",
         [](KioskConfig &c, const QString &v) {
             QStringList errors;
             const QList<StaffCards::Entry> entries = StaffCards::parseList(v, &errors);
             if (!errors.isEmpty())
                 return errors.join(QLatin1String("; "));
             c.staffCards.clear();
             for (const StaffCards::Entry &entry : entries)
                 c.staffCards << entry.toString();
             return QString();
         }},
        {"staff-idle-timeout", "seconds", "Staff mode closes after this long without a touch.",
         intIn(&KioskConfig::staffIdleSeconds, 10, 3600)},
        {"heartbeat-interval", "seconds", "How often the kiosk reports its health.",
         intIn(&KioskConfig::heartbeatSeconds, 10, 86400)},
        {"catalog-refresh-interval", "seconds", "How often the kiosk asks for a new catalog.",
         intIn(&KioskConfig::catalogRefreshSeconds, 10, 86400)},
    };
    return all;
}

void applyFrom(KioskConfig &config, QStringList &errors, const char *key, const QString &value, const QString &origin)
{
    for (const Setting &s : settings()) {
        if (qstrcmp(s.key, key) == 0) {
            const QString error = s.apply(config, value);
            if (!error.isEmpty())
                errors << QStringLiteral("%1: %2: %3").arg(origin, QLatin1String(key), error);
            return;
        }
    }
}

// QSettings reads an unquoted value with commas as a list (staff-cards, a message text):
// rejoined, it reaches the setting as written instead of as an empty string.
QString settingText(const QVariant &value)
{
    return value.typeId() == QMetaType::QStringList ? value.toStringList().join(QLatin1Char(',')) : value.toString();
}

} // namespace

bool isPrintAndExit(const QStringList &arguments)
{
    return std::any_of(arguments.begin(), arguments.end(), [](const QString &a) {
        return a == QLatin1String("--help") || a == QLatin1String("-h") || a == QLatin1String("-?")
            || a == QLatin1String("--hash-staff-card") || a.startsWith(QLatin1String("--hash-staff-card="));
    });
}

QString KioskConfig::automationSocketPath() const
{
    if (automationSocket == QLatin1String("off"))
        return {};
    return automationSocket.isEmpty() ? QDir(dataDir).filePath(QStringLiteral("automation.sock")) : automationSocket;
}

ConfigLoad loadKioskConfig(const QStringList &arguments, const QProcessEnvironment &environment)
{
    ConfigLoad result;
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("PopTap kiosk: LINE subscriptions from a POP display."));
    parser.addHelpOption();
    const QCommandLineOption configOption(QStringLiteral("config"),
                                          QStringLiteral("Configuration file (default /etc/poptap/kiosk.conf)."),
                                          QStringLiteral("file"));
    const QCommandLineOption selfTestOption(QStringLiteral("self-test"),
                                            QStringLiteral("Load the UI with the real catalog, render one frame, exit."));
    const QCommandLineOption hashStaffCardOption(
        QStringLiteral("hash-staff-card"),
        QStringLiteral("Print the staff-cards entry for the card with this UID (hex) and exit."), QStringLiteral("uid"));
    parser.addOption(configOption);
    parser.addOption(selfTestOption);
    parser.addOption(hashStaffCardOption);
    for (const Setting &s : settings())
        parser.addOption({QString::fromLatin1(s.key), QString::fromLatin1(s.help), QString::fromLatin1(s.valueName)});
    // Qt's own flags (-platform, ...) are consumed by QGuiApplication before we see them.
    if (!parser.parse(arguments)) {
        result.errors << parser.errorText();
        return result;
    }
    if (parser.isSet(QStringLiteral("help"))) {
        result.helpRequested = true;
        result.helpText = parser.helpText();
        return result;
    }

    KioskConfig &config = result.config;
    if (parser.isSet(configOption))
        config.configFile = parser.value(configOption);
    else if (environment.contains(QStringLiteral("POPTAP_CONFIG")))
        config.configFile = environment.value(QStringLiteral("POPTAP_CONFIG"));

    const bool explicitFile = parser.isSet(configOption) || environment.contains(QStringLiteral("POPTAP_CONFIG"));
    if (QFileInfo::exists(config.configFile)) {
        QSettings file(config.configFile, QSettings::IniFormat);
        if (file.status() != QSettings::NoError)
            result.errors << QStringLiteral("%1: cannot be read or is not an INI file").arg(config.configFile);
        file.beginGroup(QStringLiteral("kiosk"));
        const QStringList keys = file.childKeys();
        for (const QString &key : keys) {
            const bool known = std::any_of(settings().begin(), settings().end(),
                                           [&](const Setting &s) { return key == QLatin1String(s.key); });
            if (!known)
                result.errors << QStringLiteral("%1: unknown setting '%2'").arg(config.configFile, key);
            else
                applyFrom(config, result.errors, key.toLatin1().constData(), settingText(file.value(key)), config.configFile);
        }
    } else if (explicitFile) {
        result.errors << QStringLiteral("%1: configuration file not found").arg(config.configFile);
    }
    for (const Setting &s : settings()) {
        const QString envName = toEnvName(s.key);
        if (environment.contains(envName))
            applyFrom(config, result.errors, s.key, environment.value(envName), envName);
    }
    for (const Setting &s : settings()) {
        const QString name = QString::fromLatin1(s.key);
        if (parser.isSet(name))
            applyFrom(config, result.errors, s.key, parser.value(name), QStringLiteral("--") + name);
    }
    config.selfTest = parser.isSet(selfTestOption);
    if (parser.isSet(hashStaffCardOption))
        result.staffCardToHash = parser.value(hashStaffCardOption);
    return result;
}

QString linkTemplateText(const QString &configured, const LinkSettings &catalogLink)
{
    return configured.isEmpty() ? catalogLink.linkTemplate : configured;
}

} // namespace poptap
