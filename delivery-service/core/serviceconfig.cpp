#include "serviceconfig.h"

#include <QCommandLineParser>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSettings>
#include <QTimeZone>
#include <QUrl>

#include <functional>

namespace poptap::delivery {
namespace {

using Apply = std::function<QString(ServiceConfig &, const QString &)>;

struct Setting {
    const char *key;
    const char *valueName;
    const char *help;
    Apply apply;
    bool secret = false; // may also be given as <key>-file
};

Apply text(QString ServiceConfig::*field)
{
    return [=](ServiceConfig &c, const QString &v) {
        c.*field = v.trimmed();
        return QString();
    };
}

Apply perSecond(int ServiceConfig::*field)
{
    return [=](ServiceConfig &c, const QString &v) {
        bool ok = false;
        const int n = v.trimmed().toInt(&ok);
        if (!ok || n < 1 || n > 100000)
            return QStringLiteral("'%1' is not a rate from 1 to 100000 per second").arg(v);
        c.*field = n;
        return QString();
    };
}

const std::vector<Setting> &settings()
{
    static const std::vector<Setting> all{
        {"listen", "address:port", "Where to listen for kiosks, phones and LINE (default 127.0.0.1:8080).",
         [](ServiceConfig &c, const QString &v) {
             const QString value = v.trimmed();
             const qsizetype colon = value.lastIndexOf(u':');
             bool ok = false;
             const uint port = colon > 0 ? value.mid(colon + 1).toUInt(&ok) : 0;
             QHostAddress address;
             if (!ok || port > 65535 || !address.setAddress(value.left(colon).remove(u'[').remove(u']')))
                 return QStringLiteral("'%1' is not address:port").arg(v);
             c.listenAddress = address;
             c.port = quint16(port);
             return QString();
         }},
        {"data-dir", "dir", "Where the embedded SQLite database lives.", text(&ServiceConfig::dataDir)},
        {"database", "url", "postgresql://user:password@host:port/db; empty for embedded SQLite.",
         [](ServiceConfig &c, const QString &v) {
             const QString value = v.trimmed();
             if (!value.isEmpty()) {
                 const QUrl url(value, QUrl::StrictMode);
                 const QString scheme = url.scheme();
                 if (!url.isValid() || (scheme != QLatin1String("postgresql") && scheme != QLatin1String("postgres"))
                     || url.path().size() < 2)
                     return QStringLiteral("'%1' is not postgresql://user:password@host:port/database")
                         .arg(QUrl(value).toDisplayString(QUrl::RemovePassword));
             }
             c.database = value;
             return QString();
         }},
        {"line-api-base-url", "url", "LINE platform base URL (an emulator in tests and demos).",
         [](ServiceConfig &c, const QString &v) {
             const QUrl url(v.trimmed(), QUrl::StrictMode);
             if (!url.isValid() || (url.scheme() != QLatin1String("https") && url.scheme() != QLatin1String("http")))
                 return QStringLiteral("'%1' is not an http(s) URL").arg(v);
             c.lineApiBaseUrl = v.trimmed();
             return QString();
         }},
        {"line-channel-id", "id", "LINE Login channel id of the LIFF app.", text(&ServiceConfig::lineChannelId)},
        {"line-channel-secret", "secret", "Messaging API channel secret (webhook signatures).",
         text(&ServiceConfig::lineChannelSecret), true},
        {"line-channel-access-token", "token", "Messaging API channel access token.",
         text(&ServiceConfig::lineChannelAccessToken), true},
        {"liff-id", "id", "LIFF app id the claim page initialises.", text(&ServiceConfig::liffId)},
        {"liff-sdk-url", "url", "Where the claim page loads the LIFF SDK from.", text(&ServiceConfig::liffSdkUrl)},
        {"public-url", "url", "This service's address as phones reach it (tracked links in messages).",
         [](ServiceConfig &c, const QString &v) {
             const QUrl url(v.trimmed(), QUrl::StrictMode);
             if (!url.isValid() || url.host().isEmpty()
                 || (url.scheme() != QLatin1String("https") && url.scheme() != QLatin1String("http")))
                 return QStringLiteral("'%1' is not an http(s) URL").arg(v);
             c.publicUrl = v.trimmed().endsWith(u'/') ? v.trimmed().chopped(1) : v.trimmed();
             return QString();
         }},
        {"multicast-per-second", "n", "Multicast requests per second, shared by all instances (default 200, LINE's limit).",
         perSecond(&ServiceConfig::multicastPerSecond)},
        {"push-per-second", "n", "Push requests per second, shared by all instances (default 2000, LINE's limit).",
         perSecond(&ServiceConfig::pushPerSecond)},
        {"time-zone", "zone", "The shops' time zone, for daily caps and analytics (default Asia/Tokyo).",
         [](ServiceConfig &c, const QString &v) {
             if (!QTimeZone(v.trimmed().toUtf8()).isValid())
                 return QStringLiteral("'%1' is not a known time zone").arg(v);
             c.timeZone = v.trimmed();
             return QString();
         }},
    };
    return all;
}

QString envName(const QString &key)
{
    return QStringLiteral("POPTAP_DELIVERY_") + key.toUpper().replace(u'-', u'_');
}

// Applies `value` to `key`, where key may be "<secret>-file" naming a file to read.
void apply(ServiceConfig &config, QStringList &errors, const QString &key, const QString &value, const QString &origin)
{
    for (const Setting &s : settings()) {
        const QString name = QString::fromLatin1(s.key);
        QString effective = value;
        if (s.secret && key == name + QStringLiteral("-file")) {
            QFile file(value.trimmed());
            if (!file.open(QIODevice::ReadOnly)) {
                errors << QStringLiteral("%1: %2: cannot read %3").arg(origin, key, value.trimmed());
                return;
            }
            effective = QString::fromUtf8(file.read(64 * 1024)).trimmed();
        } else if (key != name) {
            continue;
        }
        if (const QString error = s.apply(config, effective); !error.isEmpty())
            errors << QStringLiteral("%1: %2: %3").arg(origin, key, error);
        return;
    }
    errors << QStringLiteral("%1: unknown setting '%2'").arg(origin, key);
}

QStringList allKeys()
{
    QStringList keys;
    for (const Setting &s : settings()) {
        keys << QString::fromLatin1(s.key);
        if (s.secret)
            keys << QString::fromLatin1(s.key) + QStringLiteral("-file");
    }
    return keys;
}

} // namespace

QString ServiceConfig::sqlitePath() const
{
    return QDir(dataDir).filePath(QStringLiteral("delivery.db"));
}

ServiceConfigLoad loadServiceConfig(const QStringList &arguments, const QProcessEnvironment &environment)
{
    ServiceConfigLoad result;
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("PopTap delivery service: kiosk API, LIFF claims, LINE webhook."));
    parser.addHelpOption();
    const QCommandLineOption configOption(QStringLiteral("config"), QStringLiteral("Configuration file."),
                                          QStringLiteral("file"));
    parser.addOption(configOption);
    const QStringList keys = allKeys();
    for (const QString &key : keys)
        parser.addOption({key, QStringLiteral("See the configuration file."), QStringLiteral("value")});
    if (!parser.parse(arguments)) {
        result.errors << parser.errorText();
        return result;
    }
    if (parser.isSet(QStringLiteral("help"))) {
        result.helpRequested = true;
        result.helpText = parser.helpText();
        return result;
    }
    ServiceConfig &config = result.config;
    const bool explicitFile = parser.isSet(configOption) || environment.contains(QStringLiteral("POPTAP_DELIVERY_CONFIG"));
    if (parser.isSet(configOption))
        config.configFile = parser.value(configOption);
    else if (explicitFile)
        config.configFile = environment.value(QStringLiteral("POPTAP_DELIVERY_CONFIG"));
    if (QFileInfo::exists(config.configFile)) {
        QSettings file(config.configFile, QSettings::IniFormat);
        file.beginGroup(QStringLiteral("delivery"));
        const QStringList fileKeys = file.childKeys();
        for (const QString &key : fileKeys)
            apply(config, result.errors, key, file.value(key).toString(), config.configFile);
    } else if (explicitFile) {
        result.errors << QStringLiteral("%1: configuration file not found").arg(config.configFile);
    }
    for (const QString &key : keys)
        if (environment.contains(envName(key)))
            apply(config, result.errors, key, environment.value(envName(key)), envName(key));
    for (const QString &key : keys)
        if (parser.isSet(key))
            apply(config, result.errors, key, parser.value(key), QStringLiteral("--") + key);
    return result;
}

} // namespace poptap::delivery
