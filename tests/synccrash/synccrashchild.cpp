// sync-crash-child: the kiosk's sync path without its UI, for synccrashtest to SIGKILL. It opens
// a data directory as the kiosk does, syncs it with the service at --service and meanwhile
// commits a brand interest every --commit-every-ms, as shoppers would, for --commit-for-ms.
// Then it waits until the service holds every intent and exits 0.
//
// stdout, one line each, flushed at once (the parent may kill at any moment):
//   ready                          the outbox is open and the engine is starting
//   enrolled <device id>           the engine has an identity
//   committed <intent id>          an intent is durable (the shopper would see its QR code now)
//   done committed=N failed=F unsynced=U dead=D
#include "kiosksyncpath.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QTimer>

#include <cstdio>

using namespace poptap;

namespace {

void say(const QString &line)
{
    std::fputs(qPrintable(line + u'\n'), stdout);
    std::fflush(stdout);
}

int refuse(const QString &why)
{
    std::fprintf(stderr, "sync-crash-child: %s\n", qPrintable(why));
    return 2;
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.addHelpOption();
    const QCommandLineOption dataDirOption(QStringLiteral("data-dir"), QStringLiteral("Kiosk data directory."),
                                           QStringLiteral("dir"));
    const QCommandLineOption serviceOption(QStringLiteral("service"), QStringLiteral("Delivery service URL."),
                                           QStringLiteral("url"));
    const QCommandLineOption codeOption(QStringLiteral("enrollment-code"),
                                        QStringLiteral("Used while the kiosk is not enrolled."), QStringLiteral("code"));
    const QCommandLineOption commitForOption(QStringLiteral("commit-for-ms"),
                                             QStringLiteral("How long shoppers keep registering."), QStringLiteral("ms"),
                                             QStringLiteral("300"));
    const QCommandLineOption commitEveryOption(QStringLiteral("commit-every-ms"),
                                               QStringLiteral("One registration this often."), QStringLiteral("ms"),
                                               QStringLiteral("4"));
    parser.addOptions({dataDirOption, serviceOption, codeOption, commitForOption, commitEveryOption});
    parser.process(app);
    bool forOk = false;
    bool everyOk = false;
    const int commitForMs = parser.value(commitForOption).toInt(&forOk);
    const int commitEveryMs = parser.value(commitEveryOption).toInt(&everyOk);
    const QUrl service(parser.value(serviceOption));
    if (!parser.isSet(dataDirOption) || !service.isValid() || service.isEmpty() || !forOk || !everyOk
        || commitEveryMs < 1)
        return refuse(QStringLiteral("needs --data-dir, --service and whole numbers of ms (see --help)"));

    const sync::SyncSettings settings = synctesting::quickSyncSettings(
        service, parser.value(dataDirOption), parser.value(codeOption), QStringLiteral("sync-crash-child"));

    synctesting::KioskSyncPath kiosk;
    if (const QString error = kiosk.open(settings.dataDir, settings); !error.isEmpty())
        return refuse(error);

    int requested = 0;
    int committed = 0;
    int failed = 0;
    bool committing = true;
    bool enrolled = false;
    // A status counts for "done" only if it was sent after the last commit was answered: the
    // engine sends it from the outbox thread after that commit, so it has seen the intent.
    bool statusAfterLastAnswer = false;
    sync::SyncStatus status;

    const auto finishIfSynced = [&] {
        if (committing || committed + failed < requested || !statusAfterLastAnswer
            || status.state != sync::SyncStatus::State::Synced || status.unsynced != 0)
            return;
        say(QStringLiteral("done committed=%1 failed=%2 unsynced=%3 dead=%4")
                .arg(committed).arg(failed).arg(status.unsynced).arg(status.dead));
        QCoreApplication::exit(failed == 0 && status.dead == 0 ? 0 : 1);
    };
    QObject::connect(kiosk.engine(), &sync::SyncEngine::statusChanged, &app, [&](const sync::SyncStatus &next) {
        status = next;
        statusAfterLastAnswer = true;
        if (!enrolled && !next.deviceId.isEmpty()) {
            enrolled = true;
            say(QStringLiteral("enrolled ") + next.deviceId);
        }
        finishIfSynced();
    });
    QObject::connect(&kiosk.registrations(), &RegistrationService::registered, &app,
                     [&](int, const Registration &registration) {
                         ++committed;
                         statusAfterLastAnswer = false;
                         say(QStringLiteral("committed ") + registration.claims.intentId());
                         finishIfSynced();
                     });
    QObject::connect(&kiosk.registrations(), &RegistrationService::registrationFailed, &app,
                     [&](int, const QString &reason, bool) {
                         ++failed;
                         statusAfterLastAnswer = false;
                         std::fprintf(stderr, "sync-crash-child: a registration failed: %s\n", qPrintable(reason));
                         finishIfSynced();
                     });

    QTimer shopper;
    QElapsedTimer sinceReady;
    QObject::connect(&shopper, &QTimer::timeout, &app, [&] {
        if (sinceReady.elapsed() >= commitForMs) {
            shopper.stop();
            committing = false;
            finishIfSynced();
            return;
        }
        const QList<std::uint32_t> &brands = kiosk.brandIds();
        kiosk.registrations().requestBrandInterest(brands.at(requested % brands.size()));
        ++requested;
    });

    kiosk.startSync();
    say(QStringLiteral("ready"));
    sinceReady.start();
    shopper.start(commitEveryMs);
    return app.exec();
}
