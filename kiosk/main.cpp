// poptap-kiosk: the thin executable. Everything it does is in KioskApp.
#include "kioskapp.h"
#include "kiosksession.h"

#include <QFont>
#include <QRawFont>
#include <QGuiApplication>
#include <QQuickWindow>
#include <QTimer>
#include <QtQml/QQmlExtensionPlugin>

#include <cstdio>

Q_IMPORT_QML_PLUGIN(PopTap_KioskPlugin)
Q_IMPORT_QML_PLUGIN(PopTap_UiPlugin)

namespace {
constexpr int kSelfTestTimeoutMs = 30000;
}

int main(int argc, char *argv[])
{
    QGuiApplication app(argc, argv);
    QGuiApplication::setApplicationName(QStringLiteral("poptap-kiosk"));
    QGuiApplication::setOrganizationName(QStringLiteral("PopTap"));
    QGuiApplication::setApplicationVersion(QStringLiteral(POPTAP_VERSION));
    // Japanese first: Latin glyphs come from the same family, so both languages match.
    QGuiApplication::setFont(QFont(QStringLiteral("Noto Sans CJK JP")));

    const poptap::ConfigLoad load = poptap::loadKioskConfig(app.arguments(), QProcessEnvironment::systemEnvironment());
    if (load.helpRequested) {
        std::fputs(qPrintable(load.helpText), stdout);
        return 0;
    }
    if (!load.errors.isEmpty()) {
        for (const QString &error : load.errors)
            std::fprintf(stderr, "poptap-kiosk: configuration: %s\n", qPrintable(error));
        return 2;
    }

    poptap::KioskApp kiosk(load.config);
    if (const QString error = kiosk.start(); !error.isEmpty()) {
        std::fprintf(stderr, "poptap-kiosk: cannot start: %s\n", qPrintable(error));
        return 1;
    }

    if (load.config.selfTest) {
        QObject::connect(&kiosk, &poptap::KioskApp::firstFrameShown, &app, [&] {
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
        QTimer::singleShot(kSelfTestTimeoutMs, &app, [] {
            std::fputs("self-test FAILED: no frame was rendered\n", stderr);
            QCoreApplication::exit(1);
        });
    }
    return app.exec();
}
