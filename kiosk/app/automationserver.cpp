#include "automationserver.h"

#include "kioskapp.h"
#include "kiosksession.h"
#include "languagecontroller.h"
#include "simnfcdevice.h"
#include "syncengine.h"
#include "syncindicator.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLocalSocket>
#include <QLoggingCategory>
#include <QQuickWindow>

Q_LOGGING_CATEGORY(lcAutomation, "poptap.automation")

namespace poptap {
namespace {
constexpr qint64 kMaxRequestBytes = 64 * 1024;

QJsonObject failure(const QString &error)
{
    return {{QStringLiteral("ok"), false}, {QStringLiteral("error"), error}};
}
QJsonObject success(QJsonObject fields = {})
{
    fields.insert(QStringLiteral("ok"), true);
    return fields;
}
} // namespace

AutomationServer::AutomationServer(KioskApp *app)
    : m_app(app)
{
    m_server.setSocketOptions(QLocalServer::UserAccessOption);
    connect(&m_server, &QLocalServer::newConnection, this, &AutomationServer::onNewConnection);
}

AutomationServer::~AutomationServer()
{
    m_server.close();
}

QString AutomationServer::listen(const QString &path)
{
    QLocalServer::removeServer(path); // a stale socket from a killed kiosk
    if (!m_server.listen(path))
        return QStringLiteral("automation socket %1: %2").arg(path, m_server.errorString());
    qCInfo(lcAutomation).noquote() << "automation socket at" << path;
    return {};
}

void AutomationServer::onNewConnection()
{
    while (QLocalSocket *socket = m_server.nextPendingConnection()) {
        connect(socket, &QLocalSocket::disconnected, socket, &QObject::deleteLater);
        connect(socket, &QLocalSocket::readyRead, this, [this, socket] {
            while (socket->canReadLine()) {
                const QByteArray line = socket->readLine(kMaxRequestBytes);
                QJsonParseError error;
                const QJsonDocument doc = QJsonDocument::fromJson(line, &error);
                const QJsonObject reply = doc.isObject() ? handle(doc.object())
                                                         : failure(QStringLiteral("request is not a JSON object"));
                socket->write(QJsonDocument(reply).toJson(QJsonDocument::Compact) + '\n');
                // A client that closed its sending side (`echo ... | socat`) is reported as
                // disconnected right after this; the answer must be on its way by then.
                socket->flush();
            }
            if (socket->bytesAvailable() > kMaxRequestBytes) {
                socket->write(QJsonDocument(failure(QStringLiteral("request too long"))).toJson(QJsonDocument::Compact) + '\n');
                socket->disconnectFromServer();
            }
        });
    }
}

QJsonObject AutomationServer::handle(const QJsonObject &request)
{
    KioskSession *session = m_app->session();
    const QString cmd = request.value(QLatin1String("cmd")).toString();
    if (cmd == QLatin1String("state"))
        return success(state());
    if (cmd == QLatin1String("start")) {
        session->start();
        return success();
    }
    if (cmd == QLatin1String("cancel")) {
        session->cancel();
        return success();
    }
    if (cmd == QLatin1String("back")) {
        session->backToAttract();
        return success();
    }
    if (cmd == QLatin1String("selectBrand")) {
        const int brandId = request.value(QLatin1String("brandId")).toInt(-1);
        if (session->screen() == KioskSession::Screen::Attract)
            session->start();
        if (session->isBusy())
            return failure(QStringLiteral("busy: a registration is being committed"));
        return session->selectBrand(brandId) ? success() : failure(QStringLiteral("no selectable brand %1").arg(brandId));
    }
    if (cmd == QLatin1String("phoneRead")) {
        auto *sim = qobject_cast<SimNfcDevice *>(m_app->nfc());
        if (!sim)
            return failure(QStringLiteral("phoneRead needs the sim NFC backend"));
        return sim->simulatePhoneRead() ? success() : failure(QStringLiteral("no link is being served"));
    }
    if (cmd == QLatin1String("language")) {
        const QString language = request.value(QLatin1String("language")).toString();
        return m_app->language()->setCurrent(language) ? success() : failure(QStringLiteral("no language %1").arg(language));
    }
    if (cmd == QLatin1String("enroll")) {
        const QString code = request.value(QLatin1String("code")).toString().trimmed();
        if (code.isEmpty())
            return failure(QStringLiteral("enroll needs a code"));
        // The answer comes later: follow "sync" in "state".
        sync::SyncEngine *engine = m_app->syncEngine();
        QMetaObject::invokeMethod(engine, [engine, code] { engine->enrollWith(code); }, Qt::QueuedConnection);
        return success();
    }
    if (cmd == QLatin1String("syncNow")) {
        QMetaObject::invokeMethod(m_app->syncEngine(), &sync::SyncEngine::syncNow, Qt::QueuedConnection);
        return success();
    }
    if (cmd == QLatin1String("screenshot")) {
        const QString path = request.value(QLatin1String("path")).toString();
        if (path.isEmpty())
            return failure(QStringLiteral("screenshot needs a path"));
        const QImage image = m_app->window()->grabWindow();
        if (image.isNull())
            return failure(QStringLiteral("the window could not be grabbed"));
        if (!image.save(path, "PNG"))
            return failure(QStringLiteral("cannot write %1").arg(path));
        return success({{QStringLiteral("width"), image.width()}, {QStringLiteral("height"), image.height()}});
    }
    return failure(QStringLiteral("unknown command '%1'").arg(cmd));
}

QJsonObject AutomationServer::state() const
{
    const KioskSession *session = m_app->session();
    const NfcDevice *nfc = m_app->nfc();
    return {
        {QStringLiteral("screen"), KioskSession::toString(session->screen())},
        {QStringLiteral("language"), m_app->language()->current()},
        {QStringLiteral("busy"), session->isBusy()},
        {QStringLiteral("selectedBrandId"), session->selectedBrandId()},
        {QStringLiteral("link"), session->link()},
        {QStringLiteral("secondsLeft"), session->secondsLeft()},
        {QStringLiteral("problem"), int(session->problem())},
        {QStringLiteral("phoneReads"), session->phoneReads()},
        {QStringLiteral("nfc"),
         QJsonObject{{QStringLiteral("backend"), nfc->backendName()},
                     {QStringLiteral("status"), toString(nfc->status())},
                     {QStringLiteral("reason"), nfc->statusReason()},
                     {QStringLiteral("servedLink"), nfc->servedLink().toString(QUrl::FullyEncoded)}}},
        {QStringLiteral("catalogVersion"), m_app->catalogVersion()},
        {QStringLiteral("pendingCatalog"), m_app->hasPendingCatalog()},
        {QStringLiteral("brands"), session->brandsCount()},
        {QStringLiteral("outbox"), m_app->outboxPath()},
        {QStringLiteral("warnings"), QJsonArray::fromStringList(m_app->startupWarnings())},
        {QStringLiteral("sync"), m_app->syncIndicator()->status().toJson()},
    };
}

} // namespace poptap
