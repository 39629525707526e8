#pragma once
// Shared by the suites that run poptap-delivery against the LINE emulator: the service's
// configuration pointed at the emulator, and the service as its own process.

#include "lineemulator.h"
#include "serviceconfig.h"

#include <QProcess>
#include <QRegularExpression>

#include <csignal>

namespace servicetesting {

// An in-process service on a free port, talking to `line` for everything LINE does.
inline poptap::delivery::ServiceConfig configAgainst(const poptap::lineemu::LineEmulator &line, const QString &dataDir,
                                                     const QString &database)
{
    poptap::delivery::ServiceConfig c;
    c.port = 0;
    c.dataDir = dataDir;
    c.database = database;
    c.lineApiBaseUrl = line.baseUrl().toString();
    c.lineChannelId = line.config().channelId;
    c.lineChannelSecret = line.config().channelSecret;
    c.lineChannelAccessToken = line.config().channelAccessToken;
    return c;
}

// The same settings as poptap-delivery's command line; `configFile` must exist.
inline QStringList argumentsAgainst(const QString &lineUrl, const poptap::lineemu::LineEmulatorConfig &line,
                                    const QString &configFile, const QString &dataDir, const QString &database)
{
    return {QStringLiteral("--config"), configFile, QStringLiteral("--listen"), QStringLiteral("127.0.0.1:0"),
            QStringLiteral("--data-dir"), dataDir, QStringLiteral("--database"), database,
            QStringLiteral("--line-api-base-url"), lineUrl, QStringLiteral("--line-channel-id"), line.channelId,
            QStringLiteral("--line-channel-secret"), line.channelSecret, QStringLiteral("--line-channel-access-token"),
            line.channelAccessToken};
}

// poptap-delivery as its own process: started, killed, measured.
class ServiceProcess
{
public:
    explicit ServiceProcess(QString program) : m_program(std::move(program)) {}
    ~ServiceProcess()
    {
        if (m_process.state() != QProcess::NotRunning) {
            m_process.terminate();
            if (!m_process.waitForFinished(10000))
                m_process.kill();
        }
    }

    // Empty once it listens, or what it said instead.
    QString start(const QStringList &arguments)
    {
        m_process.setProcessChannelMode(QProcess::ForwardedErrorChannel); // its warnings belong in the log
        m_process.start(m_program, arguments);
        static const QRegularExpression listening(QStringLiteral("listening on http://127\\.0\\.0\\.1:(\\d+)"));
        QByteArray said;
        while (m_port == 0 && m_process.waitForReadyRead(15000)) {
            said += m_process.readAllStandardOutput();
            if (const QRegularExpressionMatch match = listening.match(QString::fromUtf8(said)); match.hasMatch())
                m_port = match.captured(1).toUShort();
        }
        return m_port ? QString() : QStringLiteral("poptap-delivery did not start: %1").arg(QString::fromUtf8(said));
    }

    void kill()
    {
        ::kill(pid_t(m_process.processId()), SIGKILL);
        m_process.waitForFinished(5000);
        m_port = 0;
    }

    void stop()
    {
        m_process.terminate();
        m_process.waitForFinished(15000);
    }

    quint16 port() const { return m_port; }
    qint64 pid() const { return m_process.processId(); }

private:
    QString m_program;
    QProcess m_process;
    quint16 m_port = 0;
};

} // namespace servicetesting
