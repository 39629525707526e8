// select → intent durable → QR frame, in-process: the real KioskApp (outbox thread with
// synchronous=FULL commits, QML scene, software renderer), timed from the shopper's
// tap (KioskSession::selectBrand) to the first frame swapped that shows the code.
#include "benchstats.h"
#include "kioskapp.h"
#include "kiosksession.h"
#include "testcatalog.h"

#include <QElapsedTimer>
#include <QEventLoop>
#include <QFont>
#include <QGuiApplication>
#include <QJsonArray>
#include <QQuickWindow>
#include <QTemporaryDir>
#include <QTimer>
#include <QtQml/QQmlExtensionPlugin>

#include <cstdio>

Q_IMPORT_QML_PLUGIN(PopTap_KioskPlugin)
Q_IMPORT_QML_PLUGIN(PopTap_UiPlugin)

using namespace poptap;

namespace {
constexpr int kTimeoutMs = 5000;

// Runs the event loop until `signal` of `sender` fires, or `timeoutMs` passes.
template<typename Sender, typename Signal>
bool waitFor(Sender *sender, Signal signal, int timeoutMs)
{
    QEventLoop loop;
    QTimer guard;
    guard.setSingleShot(true);
    bool fired = false;
    QObject::connect(sender, signal, &loop, [&] { fired = true; loop.quit(); });
    QObject::connect(&guard, &QTimer::timeout, &loop, &QEventLoop::quit);
    guard.start(timeoutMs);
    loop.exec();
    return fired;
}

QList<int> enabledBrandIds()
{
    QList<int> ids;
    const QJsonArray brands = test::demoCatalog().value(QLatin1String("brands")).toArray();
    for (const QJsonValue &b : brands)
        if (b.toObject().value(QLatin1String("enabled")).toBool(true))
            ids << b.toObject().value(QLatin1String("id")).toInt();
    return ids;
}
} // namespace

int main(int argc, char *argv[])
{
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QQuickWindow::setGraphicsApi(QSGRendererInterface::Software);
    QGuiApplication app(argc, argv);
    QGuiApplication::setFont(QFont(QStringLiteral("Noto Sans CJK JP"))); // as main.cpp does
    const int count = bench::countOption(app.arguments(), 200, QStringLiteral("Registrations to time."));

    QTemporaryDir temp;
    KioskConfig config;
    config.dataDir = temp.filePath(QStringLiteral("data"));
    config.catalogSeed = test::demoCatalogPath();
    config.automationSocket = QStringLiteral("off");
    config.idleTimeoutSeconds = 3600;
    config.codeTimeoutSeconds = 600;
    KioskApp kiosk(config);
    if (const QString error = kiosk.start(); !error.isEmpty()) {
        std::fprintf(stderr, "bench-select-to-qr: the kiosk did not start: %s\n", qPrintable(error));
        return 1;
    }
    QQuickWindow *window = kiosk.window();
    KioskSession *session = kiosk.session();
    if (!waitFor(&kiosk, &KioskApp::firstFrameShown, kTimeoutMs)) {
        std::fputs("bench-select-to-qr: no first frame\n", stderr);
        return 1;
    }
    session->start();
    waitFor(window, &QQuickWindow::frameSwapped, 1000);

    const QList<int> brandIds = enabledBrandIds();
    QList<double> toFrame, toDurable;
    for (int i = 0; i < count; ++i) {
        QElapsedTimer clock;
        qint64 durableNs = -1;
        qint64 frameNs = -1;
        QEventLoop loop;
        QTimer guard;
        guard.setSingleShot(true);
        QObject::connect(&guard, &QTimer::timeout, &loop, &QEventLoop::quit);
        // Code is shown only once the intent is committed (RegistrationService::registered).
        const auto onScreen = QObject::connect(session, &KioskSession::screenChanged, &loop, [&] {
            if (session->screen() == KioskSession::Screen::Code && durableNs < 0)
                durableNs = clock.nsecsElapsed();
        });
        const auto onFrame = QObject::connect(window, &QQuickWindow::frameSwapped, &loop, [&] {
            if (durableNs >= 0 && frameNs < 0) {
                frameNs = clock.nsecsElapsed();
                loop.quit();
            }
        });
        guard.start(kTimeoutMs);
        clock.start();
        if (!session->selectBrand(brandIds.at(i % brandIds.size()))) {
            std::fprintf(stderr, "bench-select-to-qr: brand %d was refused\n", brandIds.at(i % brandIds.size()));
            return 1;
        }
        loop.exec();
        QObject::disconnect(onScreen);
        QObject::disconnect(onFrame);
        if (frameNs < 0) {
            std::fprintf(stderr, "bench-select-to-qr: no code frame within %d ms (problem %d)\n", kTimeoutMs,
                         int(session->problem()));
            return 1;
        }
        toDurable << durableNs / 1e6;
        toFrame << frameNs / 1e6;
        session->cancel();
        waitFor(window, &QQuickWindow::frameSwapped, 1000); // the grid is back on screen
    }

    std::printf("select → intent durable → QR frame: p50 %.1f ms, p99 %.1f ms, max %.1f ms (n=%d); target p99 < 50 ms\n",
                bench::median(toFrame), bench::percentile(toFrame, 99), bench::maximum(toFrame), count);
    std::printf("  of which select → intent durable (code screen up): p50 %.1f ms, p99 %.1f ms, max %.1f ms\n",
                bench::median(toDurable), bench::percentile(toDurable, 99), bench::maximum(toDurable));
    return 0;
}
