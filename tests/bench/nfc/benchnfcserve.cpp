// Time from a QR code appearing to the tag being served: KioskSession calls serveLink()
// with the new link; the libnfc backend aborts the reader's card polling and sets the
// PN532 up as a tag (TgInitAsTarget pending, a phone could read the link now). Measured
// through the real libnfc pn532_uart driver against the PN532 simulator on a pty, so the
// number includes libnfc's serial round trips at the simulator's speed, not a real
// UART's 115200 baud (on hardware add about 1 ms per 10 bytes on the line).
// Also: the time until a phone tapped at that moment has the whole link.
#include "benchstats.h"
#include "libnfcdevice.h"
#include "pn532simulator.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QTemporaryDir>

#include <cstdio>
#include <functional>

using namespace poptap;
using namespace std::chrono_literals;
namespace sim = poptap::pn532sim;

namespace {

bool waitFor(const std::function<bool()> &condition, int timeoutMs)
{
    QElapsedTimer timer;
    timer.start();
    while (!condition()) {
        if (timer.elapsed() > timeoutMs)
            return false;
        QCoreApplication::processEvents(QEventLoop::AllEvents, 5);
    }
    return true;
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    const int count = bench::countOption(app.arguments(), 30, QStringLiteral("QR codes shown"));

    QTemporaryDir dir;
    sim::Pn532Simulator pn532(dir.path());
    if (!pn532.isPlugged()) {
        std::fprintf(stderr, "simulator: %s\n", qPrintable(pn532.errorString()));
        return 1;
    }
    LibnfcDevice::Options deviceOptions;
    deviceOptions.connstring = pn532.connstring().toLatin1();
    LibnfcDevice nfc(deviceOptions);
    if (!waitFor([&] { return nfc.status() == NfcDevice::Status::Reading; }, 5000)) {
        std::fprintf(stderr, "the reader did not open: %s\n", qPrintable(nfc.statusReason()));
        return 1;
    }

    QList<double> toServedMs;
    QList<double> toPhoneHasLinkMs;
    for (int i = 0; i < count; ++i) {
        // Between shoppers the reader polls for staff cards.
        nfc.stopServing();
        if (!pn532.waitForPendingCommand(0x60, 3s)) {
            std::fprintf(stderr, "no card polling after stopServing\n");
            return 1;
        }
        const QUrl link(QStringLiteral("https://liff.line.me/2001234567-PopTapDm/r/EZjqTKwAAQAAAAEAAAAHawKRZBipNkj5Ir8uv-%1")
                            .arg(i % 100, 2, 10, QLatin1Char('0')));
        QElapsedTimer timer;
        timer.start();
        nfc.serveLink(link);
        // The GUI thread's event loop keeps running meanwhile, as in the kiosk.
        if (!waitFor([&] { return pn532.pendingCommand() == quint8(0x8C); }, 3000)) {
            std::fprintf(stderr, "the tag was not set up within 3 s\n");
            return 1;
        }
        toServedMs.append(double(timer.nsecsElapsed()) / 1e6);
        if (i % 3 == 0) { // a phone tapped right away, every third QR
            sim::PhoneScript phone = sim::PhoneScript::isoDep();
            const sim::PhoneResult read = pn532.tapPhone(phone);
            if (!read.completed || read.uri != link) {
                std::fprintf(stderr, "phone: %s\n", qPrintable(read.error));
                return 1;
            }
            toPhoneHasLinkMs.append(double(timer.nsecsElapsed()) / 1e6);
        }
    }

    std::printf("QR on screen -> tag served (TgInitAsTarget pending), %d QR codes: p50 %.2f ms, p99 %.2f ms, max %.2f ms\n",
                count, bench::median(toServedMs), bench::percentile(toServedMs, 99), bench::maximum(toServedMs));
    std::printf("QR on screen -> a phone tapped at once has the whole link, %lld phones: p50 %.2f ms, p99 %.2f ms\n",
                qlonglong(toPhoneHasLinkMs.size()), bench::median(toPhoneHasLinkMs), bench::percentile(toPhoneHasLinkMs, 99));
    return 0;
}
