#pragma once

#include <QByteArray>
#include <QJsonObject>
#include <QLocalSocket>
#include <QProcess>
#include <QString>
#include <QStringList>
#include <QTemporaryDir>

#include <memory>

namespace poptap::test {

// The real poptap-kiosk binary as a child process: offscreen, software-rendered, in a
// temporary data directory, with an empty configuration file so that no
// /etc/poptap/kiosk.conf or POPTAP_* variable of the machine leaks into a test.
// Driven over its automation socket, one JSON object per line.
class KioskProcess
{
public:
    // `dataDir` empty: a fresh directory inside this object's temporary directory.
    explicit KioskProcess(QStringList extraArguments = {}, QString dataDir = {});
    ~KioskProcess();
    KioskProcess(const KioskProcess &) = delete;
    KioskProcess &operator=(const KioskProcess &) = delete;

    // Starts the binary and waits until its automation socket accepts a connection.
    // False (see errorString()) when it exits or does not answer in time.
    bool start(int timeoutMs = 15000);

    // Sends one request and waits for its answer. On a timeout, a lost connection or a
    // reply that is not JSON, returns {"ok": false, "error": ...}.
    QJsonObject call(const QJsonObject &request, int timeoutMs = 5000);
    QJsonObject state() { return call(command("state")); }
    // An automation request: {"cmd": cmd, ...fields}.
    static QJsonObject command(const char *cmd, QJsonObject fields = {});
    QString screen() { return state().value(QLatin1String("screen")).toString(); }

    // Polls `state` until the kiosk shows `screen` ("Attract", "BrandGrid", "Code", "Done").
    bool waitForScreen(const QString &screen, int timeoutMs);

    // SIGTERM, then SIGKILL after `graceMs`. Returns the exit code, or -1 after a crash or kill.
    int stop(int graceMs = 5000);

    bool isRunning() const { return m_process.state() != QProcess::NotRunning; }
    qint64 pid() const { return m_process.processId(); }
    QString dataDir() const { return m_dataDir; }
    QString socketPath() const;
    QString tempPath(const QString &name) const { return m_temp.filePath(name); }
    QString errorString() const { return m_error; }
    // Everything the kiosk wrote to stderr so far.
    QByteArray standardError() const;
    // What to print when a check fails: the last error and the tail of stderr.
    QString diagnostics() const;

    // The binary under test (POPTAP_KIOSK_BINARY) and the environment it runs in.
    static QString binaryPath();
    static QProcessEnvironment environment();

    // Runs the binary to completion (for --self-test, --help and refused configurations).
    struct Run {
        bool finished = false;  // false: timed out and was killed
        int exitCode = -1;
        QByteArray standardOutput;
        QByteArray standardError;
        qint64 elapsedNs = 0;   // from start() to exit, monotonic
    };
    static Run run(const QStringList &arguments, int timeoutMs = 30000);

private:
    bool connectSocket();

    QTemporaryDir m_temp;
    QString m_dataDir;
    QStringList m_arguments;
    QProcess m_process;
    std::unique_ptr<QLocalSocket> m_socket;
    QString m_error;
};

} // namespace poptap::test
