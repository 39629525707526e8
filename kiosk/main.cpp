// poptap-kiosk: the thin executable. Everything it does is in KioskApp.
#include "kioskapp.h"
#include "kiosksession.h"
#include "staffcards.h"

#include <QFont>
#include <QRawFont>
#include <QGuiApplication>
#include <QQuickWindow>
#include <QTimer>
#include <QtQml/QQmlExtensionPlugin>

#include <cstdio>
#include <memory>

Q_IMPORT_QML_PLUGIN(PopTap_KioskPlugin)
Q_IMPORT_QML_PLUGIN(PopTap_UiPlugin)

namespace {
constexpr int kSelfTestTimeoutMs = 30000;

QStringList argumentsOf(int argc, char *argv[])
{
    QStringList arguments;
    for (int i = 0; i < argc; ++i)
        arguments << QString::fromLocal8Bit(argv[i]);
    return arguments;
}

// Prints the kiosk.conf entry of a staff card. The salt comes from the staff-cards already
// configured, so it reads the configuration (file, environment) as the kiosk would.
int printStaffCardEntry(const poptap::ConfigLoad &load)
{
    QList<poptap::StaffCards::Entry> configured;
    for (const QString &text : load.config.staffCards)
        if (const auto entry = poptap::StaffCards::parseEntry(text, nullptr))
            configured << *entry;
    const poptap::StaffCardHash hashed = poptap::hashStaffCard(*load.staffCardToHash, configured);
    if (!hashed.error.isEmpty()) {
        std::fprintf(stderr, "poptap-kiosk: --hash-staff-card: %s\n", qPrintable(hashed.error));
        return 2;
    }
    std::fprintf(stderr, "Add this entry to staff-cards in %s (comma-separated), %s\n",
                 qPrintable(load.config.configFile), qPrintable(hashed.note));
    std::printf("%s\n", qPrintable(hashed.entry));
    return 0;
}
} // namespace

int main(int argc, char *argv[])
{
    // A command that prints and exits gets no GUI, so that it runs without a display.
    const bool printAndExit = poptap::isPrintAndExit(argumentsOf(argc, argv));
    const std::unique_ptr<QCoreApplication> app =
        printAndExit ? std::make_unique<QCoreApplication>(argc, argv) : std::make_unique<QGuiApplication>(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("poptap-kiosk"));
    QCoreApplication::setOrganizationName(QStringLiteral("PopTap"));
    QCoreApplication::setApplicationVersion(QStringLiteral(POPTAP_VERSION));

    const poptap::ConfigLoad load = poptap::loadKioskConfig(app->arguments(), QProcessEnvironment::systemEnvironment());
    if (load.helpRequested) {
        std::fputs(qPrintable(load.helpText), stdout);
        return 0;
    }
    if (load.staffCardToHash) // before the configuration's errors: only staff-cards matters here
        return printStaffCardEntry(load);
    if (!load.errors.isEmpty()) {
        for (const QString &error : load.errors)
            std::fprintf(stderr, "poptap-kiosk: configuration: %s\n", qPrintable(error));
        return 2;
    }
    // Japanese first: Latin glyphs come from the same family, so both languages match.
    QGuiApplication::setFont(QFont(QStringLiteral("Noto Sans CJK JP")));

    poptap::KioskApp kiosk(load.config);
    if (const QString error = kiosk.start(); !error.isEmpty()) {
        std::fprintf(stderr, "poptap-kiosk: cannot start: %s\n", qPrintable(error));
        return 1;
    }

    if (load.config.selfTest) {
        QObject::connect(&kiosk, &poptap::KioskApp::firstFrameShown, app.get(), [&] {
            const int brands = kiosk.session()->brandsCount();
            // Japanese must render with real glyphs, not boxes: the shopper's first language.
            const QRawFont font = QRawFont::fromFont(QGuiApplication::font());
            const bool japanese = font.supportsCharacter(QChar(u'新')) && font.supportsCharacter(QChar(u'タ'));
            const bool ok = brands > 0 && kiosk.window()->isVisible() && japanese;
            std::printf("self-test %s: catalog %s with %d brands shown, first frame %dx%d, font %s%s\n",
                        ok ? "passed" : "FAILED", qPrintable(kiosk.catalogVersion()), brands,
                        kiosk.window()->width(), kiosk.window()->height(), qPrintable(font.familyName()),
                        japanese ? " with Japanese glyphs" : " WITHOUT Japanese glyphs");
            std::fflush(stdout); // the verdict must reach a pipe even if the exit is abrupt
            QCoreApplication::exit(ok ? 0 : 1);
        });
        QTimer::singleShot(kSelfTestTimeoutMs, app.get(), [] {
            std::fputs("self-test FAILED: no frame was rendered\n", stderr);
            QCoreApplication::exit(1);
        });
    }
    return app->exec();
}
