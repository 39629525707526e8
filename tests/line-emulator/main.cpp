// line-emulator: the LINE platform test double as a process, for tests in other processes
// and the local demo. Serves on 127.0.0.1 until SIGTERM or SIGINT.

#include "lineemulator.h"
#include "lineids.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QSocketNotifier>

#include <csignal>
#include <cstdio>
#include <unistd.h>

namespace {

int signalPipe[2] = {-1, -1};

void onTerminate(int)
{
    const char byte = 1;
    [[maybe_unused]] const auto written = ::write(signalPipe[1], &byte, 1);
}

// Quit the event loop cleanly on SIGTERM/SIGINT (a signal handler may only write a byte).
void quitOnTerminate(QCoreApplication &app)
{
    if (::pipe(signalPipe) != 0)
        return;
    auto *notifier = new QSocketNotifier(signalPipe[0], QSocketNotifier::Read, &app);
    QObject::connect(notifier, &QSocketNotifier::activated, &app, &QCoreApplication::quit);
    struct sigaction action = {};
    action.sa_handler = onTerminate;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESTART;
    sigaction(SIGTERM, &action, nullptr);
    sigaction(SIGINT, &action, nullptr);
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("line-emulator"));

    poptap::lineemu::LineEmulatorConfig config;
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Test double of the LINE platform (Messaging API push/multicast/reply/profile, "
        "LINE Login ID-token verify, webhooks, a LIFF SDK double at /liff/sdk.js). Control API under /_emulator; "
        "see README.md."));
    parser.addHelpOption();
    const QCommandLineOption port(QStringLiteral("port"), QStringLiteral("Port on 127.0.0.1 (0: any free)."),
                                  QStringLiteral("N"), QStringLiteral("0"));
    const QCommandLineOption channelId(QStringLiteral("channel-id"),
                                       QStringLiteral("LINE Login channel ID: aud of ID tokens."),
                                       QStringLiteral("id"), config.channelId);
    const QCommandLineOption accessToken(QStringLiteral("channel-access-token"),
                                         QStringLiteral("Bearer token the Messaging API accepts."),
                                         QStringLiteral("token"), config.channelAccessToken);
    const QCommandLineOption secret(QStringLiteral("channel-secret"),
                                    QStringLiteral("Key of the webhook x-line-signature."),
                                    QStringLiteral("secret"), config.channelSecret);
    const QCommandLineOption botUserId(QStringLiteral("bot-user-id"),
                                       QStringLiteral("Webhook destination (U + 32 hex); derived if omitted."),
                                       QStringLiteral("id"));
    parser.addOptions({port, channelId, accessToken, secret, botUserId});
    parser.process(app);

    bool portOk = false;
    const uint portNumber = parser.value(port).toUInt(&portOk);
    if (!portOk || portNumber > 65535) {
        std::fprintf(stderr, "line-emulator: --port must be 0-65535\n");
        return 2;
    }
    config.channelId = parser.value(channelId);
    config.channelAccessToken = parser.value(accessToken);
    config.channelSecret = parser.value(secret);
    config.botUserId = parser.value(botUserId);
    if (!config.botUserId.isEmpty() && !poptap::lineemu::lineids::isUserId(config.botUserId)) {
        std::fprintf(stderr, "line-emulator: --bot-user-id must be U followed by 32 lowercase hex digits\n");
        return 2;
    }

    poptap::lineemu::LineEmulator emulator(config);
    if (!emulator.start(quint16(portNumber))) {
        std::fprintf(stderr, "line-emulator: cannot listen on 127.0.0.1:%u\n", portNumber);
        return 1;
    }
    quitOnTerminate(app);
    std::printf("line-emulator listening on %s\n", qPrintable(emulator.baseUrl().toString()));
    std::fflush(stdout);
    return app.exec();
}
