// poptap-delivery: the cloud side kiosks sync to and shoppers' phones reach through LINE.
#include "deliveryserver.h"

#include <QCoreApplication>

#include <csignal>
#include <cstdio>

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("poptap-delivery"));
    QCoreApplication::setApplicationVersion(QStringLiteral(POPTAP_VERSION));

    const auto load = poptap::delivery::loadServiceConfig(app.arguments(), QProcessEnvironment::systemEnvironment());
    if (load.helpRequested) {
        std::fputs(qPrintable(load.helpText), stdout);
        return 0;
    }
    if (!load.errors.isEmpty()) {
        for (const QString &error : load.errors)
            std::fprintf(stderr, "poptap-delivery: configuration: %s\n", qPrintable(error));
        return 2;
    }
    poptap::delivery::DeliveryServer server(load.config);
    if (const QString error = server.start(); !error.isEmpty()) {
        std::fprintf(stderr, "poptap-delivery: cannot start: %s\n", qPrintable(error));
        return 1;
    }
    std::printf("poptap-delivery listening on http://%s:%u (%s)\n",
                qPrintable(load.config.listenAddress.toString()), unsigned(server.port()),
                qPrintable(server.databaseDescription()));
    std::fflush(stdout);
    // Every state change is committed when it happens, so a plain SIGTERM loses nothing.
    std::signal(SIGTERM, [](int) { QCoreApplication::quit(); });
    return app.exec();
}
