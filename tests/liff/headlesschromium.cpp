#include "headlesschromium.h"

#include <QJsonDocument>
#include <QRegularExpression>
#include <QTest>

namespace {

constexpr qsizetype kLogTail = 16 * 1024;

} // namespace

HeadlessChromium::HeadlessChromium(QObject *parent)
    : QObject(parent)
{
    connect(&m_socket, &QWebSocket::textMessageReceived, this, &HeadlessChromium::onMessage);
    connect(&m_process, &QProcess::readyReadStandardError, this, &HeadlessChromium::onStderr);
}

HeadlessChromium::~HeadlessChromium()
{
    if (m_process.state() == QProcess::NotRunning)
        return;
    // Browser.close lets Chromium take its renderers down with it; SIGKILL only as the last resort.
    if (m_socket.state() == QAbstractSocket::ConnectedState)
        send(QStringLiteral("Browser.close"), {}, false);
    else
        m_process.terminate();
    if (!m_process.waitForFinished(5000)) {
        m_process.kill();
        m_process.waitForFinished(2000);
    }
}

QString HeadlessChromium::start(const QString &binary, int timeoutMs)
{
    if (!m_profile.isValid())
        return QStringLiteral("no temporary profile directory: ") + m_profile.errorString();
    m_process.setProgram(binary);
    m_process.setArguments({
        QStringLiteral("--headless"),
        QStringLiteral("--no-sandbox"), // the sandbox needs user namespaces, which CI containers lack
        QStringLiteral("--disable-gpu"),
        QStringLiteral("--disable-quic"),
        QStringLiteral("--no-first-run"),
        QStringLiteral("--disable-background-networking"),
        QStringLiteral("--disable-component-update"),
        QStringLiteral("--disable-sync"),
        QStringLiteral("--disable-dev-shm-usage"), // containers give /dev/shm 64 MB; Chromium then crashes
        QStringLiteral("--user-data-dir=") + m_profile.path(),
        QStringLiteral("--remote-debugging-port=0"), // Chromium picks a free port and prints it
        QStringLiteral("about:blank"),
    });
    m_process.setStandardOutputFile(QProcess::nullDevice());
    m_process.start();
    if (!m_process.waitForStarted(5000))
        return QStringLiteral("cannot run %1: %2").arg(binary, m_process.errorString());

    if (!QTest::qWaitFor([this] { return !m_devToolsUrl.isEmpty() || m_process.state() == QProcess::NotRunning; },
                         timeoutMs)
        || m_devToolsUrl.isEmpty())
        return QStringLiteral("Chromium printed no DevTools address. Its log:\n") + log();

    m_socket.open(QUrl(m_devToolsUrl));
    if (!QTest::qWaitFor([this] { return m_socket.state() == QAbstractSocket::ConnectedState; }, 5000))
        return QStringLiteral("cannot connect to DevTools at %1: %2").arg(m_devToolsUrl, m_socket.errorString());

    const Reply target = await(send(QStringLiteral("Target.createTarget"),
                                    {{QStringLiteral("url"), QStringLiteral("about:blank")}}, false),
                               10000);
    if (!target.ok())
        return QStringLiteral("Target.createTarget: ") + target.error;
    const Reply attached = await(send(QStringLiteral("Target.attachToTarget"),
                                      {{QStringLiteral("targetId"), target.result.value(u"targetId")},
                                       {QStringLiteral("flatten"), true}},
                                      false),
                                 10000);
    if (!attached.ok())
        return QStringLiteral("Target.attachToTarget: ") + attached.error;
    m_sessionId = attached.result.value(u"sessionId").toString();
    return {};
}

HeadlessChromium::Reply HeadlessChromium::call(const QString &method, const QJsonObject &params, int timeoutMs)
{
    return await(send(method, params, true), timeoutMs);
}

void HeadlessChromium::post(const QString &method, const QJsonObject &params)
{
    send(method, params, true);
}

int HeadlessChromium::send(const QString &method, const QJsonObject &params, bool toTab)
{
    const int id = ++m_nextId;
    QJsonObject message{{QStringLiteral("id"), id}, {QStringLiteral("method"), method}, {QStringLiteral("params"), params}};
    if (toTab)
        message.insert(QStringLiteral("sessionId"), m_sessionId);
    m_socket.sendTextMessage(QString::fromUtf8(QJsonDocument(message).toJson(QJsonDocument::Compact)));
    m_socket.flush(); // the destructor's Browser.close is sent with no event loop running
    return id;
}

HeadlessChromium::Reply HeadlessChromium::await(int id, int timeoutMs)
{
    Reply reply;
    if (!QTest::qWaitFor([&] { return m_replies.contains(id) || m_socket.state() != QAbstractSocket::ConnectedState; },
                         timeoutMs)
        || !m_replies.contains(id)) {
        reply.error = QStringLiteral("no answer within %1 ms").arg(timeoutMs);
        return reply;
    }
    const QJsonObject message = m_replies.take(id);
    if (message.contains(u"error"))
        reply.error = message.value(u"error").toObject().value(u"message").toString(QStringLiteral("error"));
    reply.result = message.value(u"result").toObject();
    return reply;
}

void HeadlessChromium::onMessage(const QString &text)
{
    const QJsonObject message = QJsonDocument::fromJson(text.toUtf8()).object();
    if (message.contains(u"id"))
        m_replies.insert(message.value(u"id").toInt(), message);
    else if (message.contains(u"method"))
        Q_EMIT event(message.value(u"method").toString(), message.value(u"params").toObject());
}

void HeadlessChromium::onStderr()
{
    m_log += m_process.readAllStandardError();
    if (m_devToolsUrl.isEmpty()) {
        static const QRegularExpression listening(QStringLiteral("DevTools listening on (ws://\\S+)"));
        const QRegularExpressionMatch match = listening.match(QString::fromUtf8(m_log));
        if (match.hasMatch())
            m_devToolsUrl = match.captured(1);
    }
    if (m_log.size() > kLogTail)
        m_log = m_log.right(kLogTail);
}
