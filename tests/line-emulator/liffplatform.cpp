// The LIFF side of the emulator: the SDK double, the per-phone session it reads, and the
// LINE Login screen liff.login() opens. Routes are listed in README.md ("LIFF").

#include "liffplatform.h"

#include "lineids.h"

#include <QFile>
#include <QHttpServer>
#include <QHttpServerRequest>
#include <QHttpServerResponder>
#include <QHttpServerResponse>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRandomGenerator>
#include <QUrlQuery>

namespace poptap::lineemu {

namespace {

using Method = QHttpServerRequest::Method;
using Status = QHttpServerResponder::StatusCode;

QHttpServerResponse jsonError(const QString &message, Status status = Status::BadRequest)
{
    return QHttpServerResponse(QJsonObject{{QStringLiteral("message"), message}}, status);
}

QHttpServerResponse page(const QString &title, const QString &text, Status status)
{
    const QString html = QStringLiteral("<!doctype html><meta charset=\"utf-8\"><title>%1</title><h1>%1</h1><p id=\"detail\">%2</p>")
                             .arg(title.toHtmlEscaped(), text.toHtmlEscaped());
    return QHttpServerResponse("text/html; charset=utf-8", html.toUtf8(), status);
}

QString newLiffId(const QString &channelId)
{
    static constexpr char kLetters[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    QString suffix;
    for (int i = 0; i < 8; ++i)
        suffix += QLatin1Char(kLetters[QRandomGenerator::global()->bounded(int(sizeof kLetters - 1))]);
    return channelId + u'-' + suffix;
}

// LINE opens only redirect URIs under the app's endpoint URL after login.
bool isUnderEndpoint(const QUrl &redirect, const QUrl &endpoint)
{
    return redirect.isValid() && redirect.scheme() == endpoint.scheme() && redirect.host() == endpoint.host()
        && redirect.port() == endpoint.port() && redirect.path().startsWith(endpoint.path());
}

} // namespace

QJsonObject LiffApp::toJson() const
{
    return QJsonObject{{QStringLiteral("liffId"), liffId}, {QStringLiteral("endpointUrl"), endpointUrl.toString()}};
}

QJsonObject LiffSession::toJson() const
{
    return QJsonObject{{QStringLiteral("liffId"), liffId},
                       {QStringLiteral("userId"), userId},
                       {QStringLiteral("loggedIn"), loggedIn}};
}

QJsonObject LiffLogin::toJson() const
{
    return QJsonObject{{QStringLiteral("liffId"), liffId},
                       {QStringLiteral("redirectUri"), redirectUri},
                       {QStringLiteral("userId"), userId},
                       {QStringLiteral("outcome"), outcome},
                       {QStringLiteral("at"), at.toString(Qt::ISODateWithMs)}};
}

LiffPlatform::LiffPlatform(QString channelId, IdTokenSource idTokens, std::function<QDateTime()> now)
    : m_channelId(std::move(channelId))
    , m_idTokens(std::move(idTokens))
    , m_now(std::move(now))
{
}

LiffApp LiffPlatform::addApp(LiffApp added)
{
    if (added.liffId.isEmpty())
        added.liffId = newLiffId(m_channelId);
    m_apps.insert(added.liffId, added);
    return added;
}

std::optional<LiffApp> LiffPlatform::app(const QString &liffId) const
{
    const auto found = m_apps.constFind(liffId);
    if (found == m_apps.cend())
        return std::nullopt;
    return *found;
}

QString LiffPlatform::setSession(LiffSession updated)
{
    if (!m_apps.contains(updated.liffId))
        return QStringLiteral("unknown liffId; add the app with POST /_emulator/liff/apps first");
    if (updated.userId.isEmpty())
        updated.userId = lineids::userId();
    else if (!lineids::isUserId(updated.userId))
        return QStringLiteral("userId must be a LINE user ID (U + 32 hex)");
    m_sessions.insert(updated.liffId, updated);
    return {};
}

std::optional<LiffSession> LiffPlatform::session(const QString &liffId) const
{
    const auto found = m_sessions.constFind(liffId);
    if (found == m_sessions.cend())
        return std::nullopt;
    return *found;
}

void LiffPlatform::reset()
{
    m_apps.clear();
    m_sessions.clear();
    m_logins.clear();
}

// A fresh ID token on every read, as LIFF has one per login; none when nobody is logged in.
QHttpServerResponse LiffPlatform::sessionAnswer(const QString &liffId) const
{
    const std::optional<LiffApp> known = app(liffId);
    if (!known)
        return jsonError(QStringLiteral("no LIFF app with this liffId"), Status::NotFound);
    QJsonObject body = known->toJson();
    const std::optional<LiffSession> current = session(liffId);
    const bool loggedIn = current && current->loggedIn;
    body.insert(QStringLiteral("loggedIn"), loggedIn);
    if (loggedIn) {
        body.insert(QStringLiteral("userId"), current->userId);
        body.insert(QStringLiteral("idToken"), m_idTokens(current->userId));
    }
    return QHttpServerResponse(body);
}

void LiffPlatform::registerRoutes(QHttpServer &server)
{
    server.route(QStringLiteral("/liff/sdk.js"), Method::Get, [] {
        QFile sdk(QStringLiteral(":/line-emulator/liff-sdk.js"));
        if (!sdk.open(QIODevice::ReadOnly))
            qFatal("line emulator: the LIFF SDK double is not in the resources"); // a broken build
        QHttpServerResponse response("text/javascript; charset=utf-8", sdk.readAll());
        response.addHeader("Cache-Control", "no-store");
        return response;
    });

    // What sdk.js reads on liff.init(). It runs on the LIFF page's origin, hence CORS; a simple
    // GET with no credentials, so the browser sends no preflight.
    server.route(QStringLiteral("/_emulator/liff/session"), Method::Get, [this](const QHttpServerRequest &request) {
        const QString liffId = request.query().queryItemValue(QStringLiteral("liffId"));
        QHttpServerResponse response = sessionAnswer(liffId);
        response.addHeader("Access-Control-Allow-Origin", "*");
        response.addHeader("Cache-Control", "no-store");
        return response;
    });

    server.route(QStringLiteral("/_emulator/liff/session"), Method::Post, [this](const QHttpServerRequest &request) {
        const QJsonObject body = QJsonDocument::fromJson(request.body()).object();
        LiffSession requested;
        requested.liffId = body.value(u"liffId").toString();
        requested.userId = body.value(u"userId").toString();
        requested.loggedIn = body.value(u"loggedIn").toBool(true);
        if (const QString error = setSession(requested); !error.isEmpty())
            return jsonError(error);
        return QHttpServerResponse(session(requested.liffId)->toJson());
    });

    server.route(QStringLiteral("/_emulator/liff/apps"), Method::Post, [this](const QHttpServerRequest &request) {
        const QJsonObject body = QJsonDocument::fromJson(request.body()).object();
        LiffApp liffApp;
        liffApp.liffId = body.value(u"liffId").toString();
        liffApp.endpointUrl = QUrl(body.value(u"endpointUrl").toString());
        if (!liffApp.endpointUrl.isValid() || !liffApp.endpointUrl.scheme().startsWith(u"http"))
            return jsonError(QStringLiteral("endpointUrl must be an http(s) URL"));
        return QHttpServerResponse(addApp(liffApp).toJson());
    });

    server.route(QStringLiteral("/_emulator/liff/logins"), Method::Get, [this] {
        QJsonArray list;
        for (const LiffLogin &login : std::as_const(m_logins))
            list.append(login.toJson());
        return QHttpServerResponse(QJsonObject{{QStringLiteral("logins"), list}});
    });

    // The LINE Login screen liff.login() opens. The shopper of the session logs in at once and
    // goes back to redirectUri; with no LINE user on this phone the screen just stays.
    server.route(QStringLiteral("/liff/login"), Method::Get, [this](const QHttpServerRequest &request) {
        const QUrlQuery query = request.query();
        LiffLogin login;
        login.liffId = query.queryItemValue(QStringLiteral("liffId"), QUrl::FullyDecoded);
        login.redirectUri = query.queryItemValue(QStringLiteral("redirectUri"), QUrl::FullyDecoded);
        login.at = m_now();
        const std::optional<LiffApp> known = app(login.liffId);
        auto current = m_sessions.find(login.liffId);
        if (!known)
            login.outcome = QStringLiteral("unknown-app");
        else if (!isUnderEndpoint(QUrl(login.redirectUri), known->endpointUrl))
            login.outcome = QStringLiteral("bad-redirect-uri");
        else if (current == m_sessions.end())
            login.outcome = QStringLiteral("no-user");
        else
            login.outcome = QStringLiteral("logged-in");
        if (current != m_sessions.end())
            login.userId = current->userId;
        m_logins.append(login);

        if (login.outcome == u"logged-in") {
            current->loggedIn = true;
            QHttpServerResponse response(Status::Found);
            response.addHeader("Location", QUrl(login.redirectUri).toEncoded());
            return response;
        }
        if (login.outcome == u"no-user")
            return page(QStringLiteral("LINE Login"), QStringLiteral("No LINE user on this phone."), Status::Ok);
        return page(QStringLiteral("LINE Login"), QStringLiteral("Login failed: ") + login.outcome, Status::BadRequest);
    });
}

} // namespace poptap::lineemu
