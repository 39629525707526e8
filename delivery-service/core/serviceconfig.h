#pragma once

#include <QHostAddress>
#include <QProcessEnvironment>
#include <QString>
#include <QStringList>

namespace poptap::delivery {

// What an operator sets for poptap-delivery: one INI file ([delivery] section), then
// POPTAP_DELIVERY_* environment variables, then flags. Secrets may be given as
// <key>-file=/path so they stay out of the process list and the config file.
struct ServiceConfig {
    QString configFile = QStringLiteral("/etc/poptap/delivery.conf");
    QHostAddress listenAddress = QHostAddress::LocalHost;
    quint16 port = 8080;
    QString dataDir = QStringLiteral("/var/lib/poptap-delivery");
    // Empty: an embedded SQLite file in dataDir. Else postgresql://user:pass@host:port/db.
    QString database;
    QString lineApiBaseUrl = QStringLiteral("https://api.line.me");
    QString lineChannelId;          // the LINE Login channel of the LIFF app (ID token audience)
    QString lineChannelSecret;      // Messaging API channel: webhook signatures
    QString lineChannelAccessToken; // Messaging API channel: push, reply
    QString liffId;
    QString liffSdkUrl = QStringLiteral("https://static.line-scdn.net/liff/edge/2/sdk.js");
    // Where phones reach this service from outside (tracked links in messages: <public-url>/c/<id>).
    QString publicUrl = QStringLiteral("http://127.0.0.1:8080");
    // LINE's published limits per channel (DESIGN.md); the fan-out never sends faster.
    int multicastPerSecond = 200;
    int pushPerSecond = 2000;
    // The shops' local day, for the frequency cap and analytics (IANA name).
    QString timeZone = QStringLiteral("Asia/Tokyo");

    QString sqlitePath() const;
};

struct ServiceConfigLoad {
    ServiceConfig config;
    QStringList errors;
    bool helpRequested = false;
    QString helpText;
};

ServiceConfigLoad loadServiceConfig(const QStringList &arguments, const QProcessEnvironment &environment);

} // namespace poptap::delivery
