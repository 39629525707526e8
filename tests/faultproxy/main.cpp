// fault-proxy: the fault-injecting HTTP proxy as a process, for tests in other processes and
// for trying the kiosk's sync against a bad network by hand. Serves until SIGTERM or SIGINT.

#include "controlserver.h"
#include "faultproxy.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QSocketNotifier>

#include <csignal>
#include <cstdio>
#include <sys/signalfd.h>
#include <unistd.h>

namespace {

// SIGTERM/SIGINT arrive as readable data on a signalfd, so the event loop ends normally
// (exit code 0) instead of the process dying mid-write. Blocked before any thread exists.
int blockTerminationSignals()
{
    sigset_t terminating;
    sigemptyset(&terminating);
    sigaddset(&terminating, SIGTERM);
    sigaddset(&terminating, SIGINT);
    if (pthread_sigmask(SIG_BLOCK, &terminating, nullptr) != 0)
        return -1;
    return signalfd(-1, &terminating, SFD_CLOEXEC | SFD_NONBLOCK);
}

bool parsePort(const QString &text, quint16 &port)
{
    bool ok = false;
    const uint value = text.toUInt(&ok);
    port = quint16(value);
    return ok && value <= 65535;
}

} // namespace

int main(int argc, char *argv[])
{
    const int signalFd = blockTerminationSignals();
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("fault-proxy"));

    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "HTTP/1.1 proxy on 127.0.0.1 that injects network faults (resets, stalls, slow or cut answers, "
        "error statuses, garbage) into chosen requests. Control API (JSON) on its own port; see README.md."));
    parser.addHelpOption();
    const QCommandLineOption upstream(QStringLiteral("upstream"), QStringLiteral("Where to forward: HOST:PORT."),
                                      QStringLiteral("host:port"));
    const QCommandLineOption port(QStringLiteral("port"), QStringLiteral("Proxy port on 127.0.0.1 (0: any free)."),
                                  QStringLiteral("N"), QStringLiteral("0"));
    const QCommandLineOption controlPort(QStringLiteral("control-port"),
                                         QStringLiteral("Control API port on 127.0.0.1 (0: any free)."),
                                         QStringLiteral("N"), QStringLiteral("0"));
    parser.addOptions({upstream, port, controlPort});
    parser.process(app);

    const QString target = parser.value(upstream);
    const qsizetype colon = target.lastIndexOf(QLatin1Char(':'));
    quint16 upstreamPort = 0, listenPort = 0, controlListenPort = 0;
    if (colon <= 0 || !parsePort(target.mid(colon + 1), upstreamPort) || upstreamPort == 0) {
        std::fprintf(stderr, "fault-proxy: --upstream HOST:PORT is required\n");
        return 2;
    }
    if (!parsePort(parser.value(port), listenPort) || !parsePort(parser.value(controlPort), controlListenPort)) {
        std::fprintf(stderr, "fault-proxy: --port and --control-port must be 0-65535\n");
        return 2;
    }

    poptap::faultproxy::FaultProxy proxy;
    poptap::faultproxy::ControlServer control(proxy);
    if (!proxy.start(target.left(colon), upstreamPort, listenPort)) {
        std::fprintf(stderr, "fault-proxy: cannot listen on 127.0.0.1:%u\n", unsigned(listenPort));
        return 1;
    }
    if (!control.start(controlListenPort)) {
        std::fprintf(stderr, "fault-proxy: cannot listen on 127.0.0.1:%u for control\n", unsigned(controlListenPort));
        return 1;
    }
    if (signalFd >= 0) {
        auto *notifier = new QSocketNotifier(signalFd, QSocketNotifier::Read, &app);
        QObject::connect(notifier, &QSocketNotifier::activated, &app, &QCoreApplication::quit);
    }
    std::printf("fault-proxy listening on http://127.0.0.1:%u control http://127.0.0.1:%u upstream %s\n",
                unsigned(proxy.port()), unsigned(control.port()), qPrintable(target));
    std::fflush(stdout);
    return app.exec();
}
