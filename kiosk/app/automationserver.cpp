#include "automationserver.h"

#include "automationreply.h"
#include "restockautomation.h"
#include "kioskapp.h"
#include "kiosksession.h"
#include "languagecontroller.h"
#include "simnfcdevice.h"
#include "staffcards.h"
#include "staffmode.h"
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
using automation::failure;
using automation::success;
} // namespace

AutomationServer::AutomationServer(KioskApp *app)
    : m_app(app)
    , m_restock(std::make_unique<RestockAutomation>(app))
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
    if (cmd == QLatin1String("restock"))
        return m_restock->handleRestock(request);
    if (cmd == QLatin1String("frame"))
        return m_restock->handleFrame(request);
    if (cmd == QLatin1String("keys"))
        return m_restock->handleKeys(request);
    if (cmd == QLatin1String("card"))
        return handleCard(request);
    if (cmd == QLatin1String("sticker"))
        return handleSticker(request);
    if (cmd == QLatin1String("staff"))
        return handleStaff(request);
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
        {QStringLiteral("staff"), staffState()},
        {QStringLiteral("restock"), m_restock->state()},
    };
}

QJsonObject AutomationServer::staffState() const
{
    const StaffMode *staff = m_app->staffMode();
    return {
        {QStringLiteral("active"), staff->isActive()},
        {QStringLiteral("writeState"), StaffMode::toString(staff->writeState())},
        {QStringLiteral("writeReason"), staff->writeReason()},
        {QStringLiteral("writingPopId"), staff->writingPopId()},
        {QStringLiteral("writingLink"), staff->writingLink()},
        {QStringLiteral("writingLocks"), staff->writingLocks()},
        {QStringLiteral("lastWrittenLink"), staff->lastWrittenLink()},
        {QStringLiteral("lastWrittenTagType"), staff->lastWrittenTagType()},
        {QStringLiteral("lastWrittenLocked"), staff->lastWrittenLocked()},
        {QStringLiteral("permanentLock"), staff->permanentLock()},
        {QStringLiteral("popLinkProblem"), StaffMode::toString(staff->popLinkProblem())},
        {QStringLiteral("pops"), int(m_app->session()->catalog().pops.size())},
        {QStringLiteral("canEnroll"), staff->canEnroll()},
        {QStringLiteral("enrollmentState"), StaffMode::toString(staff->enrollmentState())},
        {QStringLiteral("enrollmentReason"), staff->enrollmentReason()}, // the service's words; never the code
        {QStringLiteral("opens"), staff->opens()},
        {QStringLiteral("unknownCards"), staff->unknownCards()},
        {QStringLiteral("stickersWritten"), staff->stickersWritten()},
    };
}

QJsonObject AutomationServer::handleCard(const QJsonObject &request)
{
    auto *sim = qobject_cast<SimNfcDevice *>(m_app->nfc());
    if (!sim)
        return failure(QStringLiteral("card needs the sim NFC backend; this kiosk uses %1").arg(m_app->nfc()->backendName()));
    QString error;
    const QByteArray uid = StaffCards::parseUid(request.value(QLatin1String("uid")).toString(), &error);
    if (uid.isEmpty())
        return failure(QStringLiteral("uid: %1").arg(error));
    const QByteArray ndef = QByteArray::fromHex(request.value(QLatin1String("ndef")).toString().toLatin1());
    if (!sim->simulateCard(uid, ndef))
        return failure(QStringLiteral("the reader is not reading cards (%1): the card goes unnoticed")
                           .arg(toString(sim->status())));
    return success();
}

QJsonObject AutomationServer::handleSticker(const QJsonObject &request)
{
    auto *sim = qobject_cast<SimNfcDevice *>(m_app->nfc());
    if (!sim)
        return failure(QStringLiteral("sticker needs the sim NFC backend; this kiosk uses %1").arg(m_app->nfc()->backendName()));
    const QString name = request.value(QLatin1String("type")).toString(QStringLiteral("ntag213")).toLower();
    std::optional<nfc::NtagType> type;
    for (const nfc::NtagType t : {nfc::NtagType::Ntag213, nfc::NtagType::Ntag215, nfc::NtagType::Ntag216})
        if (nfc::toString(t).toLower() == name)
            type = t;
    if (!type)
        return failure(QStringLiteral("type: '%1' is not ntag213, ntag215 or ntag216").arg(name));
    const QByteArray memory = sim->simulateBlankSticker(*type);
    if (memory.isEmpty())
        return failure(QStringLiteral("no sticker write is pending (the reader is %1)").arg(toString(sim->status())));
    return success({{QStringLiteral("memory"), QString::fromLatin1(memory.toHex())}});
}

QJsonObject AutomationServer::handleStaff(const QJsonObject &request)
{
    StaffMode *staff = m_app->staffMode();
    const QString action = request.value(QLatin1String("action")).toString();
    // Only a staff card opens staff mode, here too.
    if (!staff->isActive())
        return failure(QStringLiteral("staff mode is not open (hold a staff card to the reader)"));
    if (action == QLatin1String("writePop")) {
        const int popId = request.value(QLatin1String("popId")).toInt(-1);
        if (request.value(QLatin1String("lock")).toBool(false)) {
            // Both questions of the staff screen, asked and answered.
            staff->requestPermanentLock();
            staff->confirmPermanentLock();
        } else {
            staff->clearPermanentLock();
        }
        if (const PopLink link = staff->linkFor(std::uint32_t(qMax(popId, 0))); link.problem != PopLink::Problem::None)
            return failure(QStringLiteral("POP stickers cannot be written: %1").arg(link.error));
        return staff->writePop(popId) ? success() : failure(QStringLiteral("no POP %1 in the catalog").arg(popId));
    }
    if (action == QLatin1String("cancelWrite")) {
        staff->cancelWrite();
        return success();
    }
    if (action == QLatin1String("dismiss")) {
        staff->dismissWriteResult();
        return success();
    }
    if (action == QLatin1String("exit")) {
        staff->exit();
        return success();
    }
    if (action == QLatin1String("enroll")) {
        if (!staff->canEnroll())
            return failure(staff->isServiceConfigured() ? QStringLiteral("this kiosk is enrolled already")
                                                        : QStringLiteral("no delivery service is configured"));
        return staff->submitEnrollmentCode(request.value(QLatin1String("code")).toString())
            ? success()
            : failure(QStringLiteral("that is not an enrollment code (16 characters, like 7KQ2-M9XD-4PRT-W3HF)"));
    }
    return failure(QStringLiteral("unknown staff action '%1' (writePop, cancelWrite, dismiss, exit, enroll)").arg(action));
}

} // namespace poptap
