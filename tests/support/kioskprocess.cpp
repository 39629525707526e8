#include "kioskprocess.h"

#include <QDeadlineTimer>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonDocument>
#include <QThread>

#include <csignal>

#include <sys/prctl.h>

namespace poptap::test {
namespace {

constexpr int kPollMs = 10;

QJsonObject failure(const QString &error)
{
    return {{QStringLiteral("ok"), false}, {QStringLiteral("error"), error}};
}

QString argumentValue(const QStringList &arguments, const QString &flag)
{
    const qsizetype i = arguments.indexOf(flag);
    if (i >= 0 && i + 1 < arguments.size())
        return arguments.at(i + 1);
    const QString prefix = flag + QLatin1Char('=');
    for (const QString &a : arguments)
        if (a.startsWith(prefix))
            return a.mid(prefix.size());
    return {};
}

bool hasFlag(const QStringList &arguments, const QString &flag)
{
    const QString prefix = flag + QLatin1Char('=');
    return std::any_of(arguments.begin(), arguments.end(),
                       [&](const QString &a) { return a == flag || a.startsWith(prefix); });
}

// An empty configuration file, unless the caller brings one.
QStringList isolated(QStringList arguments, const QTemporaryDir &temp)
{
    if (!hasFlag(arguments, QStringLiteral("--config"))) {
        const QString path = temp.filePath(QStringLiteral("kiosk.conf"));
        QFile file(path);
        if (file.open(QIODevice::WriteOnly))
            file.write("[kiosk]\n");
        arguments.prepend(path);
        arguments.prepend(QStringLiteral("--config"));
    }
    return arguments;
}

// In the child: a kiosk outlives no test, even one that crashed.
void dieWithParent()
{
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
}

QByteArray readFile(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

} // namespace

KioskProcess::KioskProcess(QStringList extraArguments, QString dataDir)
    : m_dataDir(dataDir.isEmpty() ? m_temp.filePath(QStringLiteral("data")) : dataDir)
{
    if (!hasFlag(extraArguments, QStringLiteral("--data-dir")))
        extraArguments << QStringLiteral("--data-dir") << m_dataDir;
    else
        m_dataDir = argumentValue(extraArguments, QStringLiteral("--data-dir"));
    m_arguments = isolated(extraArguments, m_temp);
}

KioskProcess::~KioskProcess()
{
    stop(2000);
}

QJsonObject KioskProcess::command(const char *cmd, QJsonObject fields)
{
    fields.insert(QStringLiteral("cmd"), QString::fromLatin1(cmd));
    return fields;
}

QString KioskProcess::binaryPath()
{
    return QStringLiteral(POPTAP_KIOSK_BINARY);
}

QProcessEnvironment KioskProcess::environment()
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    const QStringList keys = env.keys();
    for (const QString &key : keys)
        if (key.startsWith(QLatin1String("POPTAP_")))
            env.remove(key);
    env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
    env.insert(QStringLiteral("QT_QUICK_BACKEND"), QStringLiteral("software"));
    return env;
}

QString KioskProcess::socketPath() const
{
    const QString path = argumentValue(m_arguments, QStringLiteral("--automation-socket"));
    return path.isEmpty() ? QDir(m_dataDir).filePath(QStringLiteral("automation.sock")) : path;
}

QByteArray KioskProcess::standardError() const
{
    return readFile(m_temp.filePath(QStringLiteral("stderr.log")));
}

QString KioskProcess::diagnostics() const
{
    QString text = m_error.isEmpty() ? QString() : m_error + QLatin1Char('\n');
    const QByteArray err = standardError();
    text += QStringLiteral("--- kiosk stderr (last 4 KiB) ---\n") + QString::fromUtf8(err.right(4096));
    return text;
}

bool KioskProcess::start(int timeoutMs)
{
    if (!m_temp.isValid()) {
        m_error = QStringLiteral("no temporary directory: %1").arg(m_temp.errorString());
        return false;
    }
    m_process.setProgram(binaryPath());
    m_process.setArguments(m_arguments);
    m_process.setProcessEnvironment(environment());
    m_process.setStandardOutputFile(m_temp.filePath(QStringLiteral("stdout.log")));
    m_process.setStandardErrorFile(m_temp.filePath(QStringLiteral("stderr.log")));
    m_process.setChildProcessModifier(dieWithParent);
    m_process.start();
    if (!m_process.waitForStarted(timeoutMs)) {
        m_error = QStringLiteral("%1 did not start: %2").arg(binaryPath(), m_process.errorString());
        return false;
    }
    const QDeadlineTimer deadline(timeoutMs);
    while (!deadline.hasExpired()) {
        // Doubles as the poll interval, and notices an early exit.
        if (m_process.waitForFinished(kPollMs)) {
            m_error = QStringLiteral("the kiosk exited during start-up with code %1").arg(m_process.exitCode());
            return false;
        }
        if (connectSocket())
            return true;
    }
    m_error = QStringLiteral("the automation socket %1 did not accept within %2 ms").arg(socketPath()).arg(timeoutMs);
    return false;
}

bool KioskProcess::connectSocket()
{
    if (!QFile::exists(socketPath()))
        return false;
    auto socket = std::make_unique<QLocalSocket>();
    socket->connectToServer(socketPath());
    if (!socket->waitForConnected(200))
        return false;
    m_socket = std::move(socket);
    return true;
}

QJsonObject KioskProcess::call(const QJsonObject &request, int timeoutMs)
{
    const QString what = request.value(QLatin1String("cmd")).toString();
    if (!m_socket || m_socket->state() != QLocalSocket::ConnectedState)
        return failure(QStringLiteral("%1: not connected to the kiosk").arg(what));
    m_socket->write(QJsonDocument(request).toJson(QJsonDocument::Compact) + '\n');
    const QDeadlineTimer deadline(timeoutMs);
    if (!m_socket->waitForBytesWritten(int(deadline.remainingTime())))
        return failure(QStringLiteral("%1: request not sent: %2").arg(what, m_socket->errorString()));
    while (!m_socket->canReadLine()) {
        if (deadline.hasExpired() || !m_socket->waitForReadyRead(int(qMax<qint64>(1, deadline.remainingTime())))) {
            m_error = QStringLiteral("%1: no answer within %2 ms (%3)").arg(what).arg(timeoutMs).arg(m_socket->errorString());
            return failure(m_error);
        }
    }
    QJsonParseError error;
    const QJsonDocument reply = QJsonDocument::fromJson(m_socket->readLine(), &error);
    if (!reply.isObject())
        return failure(QStringLiteral("%1: the answer is not a JSON object: %2").arg(what, error.errorString()));
    return reply.object();
}

bool KioskProcess::waitForScreen(const QString &screen, int timeoutMs)
{
    const QDeadlineTimer deadline(timeoutMs);
    QString last;
    do {
        const QJsonObject s = state();
        if (!s.value(QLatin1String("ok")).toBool()) {
            m_error = s.value(QLatin1String("error")).toString();
            return false;
        }
        last = s.value(QLatin1String("screen")).toString();
        if (last == screen)
            return true;
        QThread::msleep(kPollMs);
    } while (!deadline.hasExpired());
    m_error = QStringLiteral("screen %1 not reached within %2 ms; still on %3").arg(screen).arg(timeoutMs).arg(last);
    return false;
}

int KioskProcess::stop(int graceMs)
{
    m_socket.reset();
    if (m_process.state() != QProcess::NotRunning) {
        m_process.terminate();
        if (!m_process.waitForFinished(graceMs)) {
            m_process.kill();
            m_process.waitForFinished(graceMs);
        }
    }
    return m_process.exitStatus() == QProcess::NormalExit ? m_process.exitCode() : -1;
}

KioskProcess::Run KioskProcess::run(const QStringList &arguments, int timeoutMs)
{
    QTemporaryDir temp;
    QProcess process;
    process.setProgram(binaryPath());
    process.setArguments(isolated(arguments, temp));
    process.setProcessEnvironment(environment());
    process.setChildProcessModifier(dieWithParent);
    Run result;
    QElapsedTimer clock;
    clock.start();
    process.start();
    result.finished = process.waitForFinished(timeoutMs);
    result.elapsedNs = clock.nsecsElapsed();
    if (!result.finished) {
        process.kill();
        process.waitForFinished();
    }
    result.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
    result.standardOutput = process.readAllStandardOutput();
    result.standardError = process.readAllStandardError();
    return result;
}

} // namespace poptap::test
