#pragma once

#include <QDateTime>
#include <QHash>
#include <QJsonObject>
#include <QList>
#include <QString>
#include <QUrl>

#include <functional>
#include <optional>

class QHttpServer;
class QHttpServerResponse;

namespace poptap::lineemu {

// A LIFF app as added to the LINE Login channel in the console.
struct LiffApp {
    QString liffId;   // "<channelId>-<8 letters>" when empty
    QUrl endpointUrl; // the page LINE opens; liff.state paths are appended to it
    QJsonObject toJson() const;
};

// Who uses a LIFF app on the phone under test. `loggedIn` false with a userId: the shopper has
// LINE but is not logged in to the app in this browser, so the page must call liff.login().
struct LiffSession {
    QString liffId;
    QString userId;
    bool loggedIn = true;
    QJsonObject toJson() const;
};

// One liff.login() call, as the emulated LINE Login screen received it.
struct LiffLogin {
    QString liffId;
    QString redirectUri;
    QString userId;  // empty: nobody to log in
    QString outcome; // "logged-in", "no-user", "bad-redirect-uri", "unknown-app"
    QDateTime at;
    QJsonObject toJson() const;
};

// The LIFF side of the emulator (README.md): serves the LIFF SDK double at /liff/sdk.js, the
// session the SDK reads on liff.init(), and the LINE Login screen that liff.login() opens.
// ID tokens come from the emulator's own issuer, so its verify endpoint accepts them.
class LiffPlatform
{
public:
    // Issues an ID token for the user, for this channel (LineEmulator::issueIdToken).
    using IdTokenSource = std::function<QString(const QString &userId)>;

    LiffPlatform(QString channelId, IdTokenSource idTokens, std::function<QDateTime()> now);

    void registerRoutes(QHttpServer &server);

    LiffApp addApp(LiffApp added);
    std::optional<LiffApp> app(const QString &liffId) const;
    // Empty when the session was set; otherwise why not (unknown app, malformed userId).
    QString setSession(LiffSession updated);
    std::optional<LiffSession> session(const QString &liffId) const;
    QList<LiffLogin> logins() const { return m_logins; }
    void reset();

private:
    QHttpServerResponse sessionAnswer(const QString &liffId) const;

    QString m_channelId;
    IdTokenSource m_idTokens;
    std::function<QDateTime()> m_now;
    QHash<QString, LiffApp> m_apps;
    QHash<QString, LiffSession> m_sessions;
    QList<LiffLogin> m_logins;
};

} // namespace poptap::lineemu
