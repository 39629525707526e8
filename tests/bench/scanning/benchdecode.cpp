// Barcode decoding (DESIGN.md target: < 30 ms per 1280×720 frame): BarcodeDecoder on generated
// camera frames at 1280×720 and 640×480, with a price-tag JAN and with nothing in view (the usual
// frame while a shopper gets ready), each decode timed on its own; the worker's luminance step per
// frame, for a camera's NV12 and a picture's RGBX; then frames through the decode worker, offered
// at a camera's 30 fps and flat out, counting the frames processed and dropped.
#include "barcodedecoder.h"
#include "benchstats.h"
#include "decodeworker.h"
#include "pricetag.h"
#include "videoframes.h"

#include <QElapsedTimer>
#include <QGuiApplication>
#include <QTest>

#include <chrono>
#include <cstdio>

using namespace poptap;
using Clock = std::chrono::steady_clock;

namespace {

constexpr double kTargetMs = 30;
const QString kJan = QStringLiteral("4901234567894");

int fail(const QString &why)
{
    std::fprintf(stderr, "bench-decode: %s\n", qPrintable(why));
    return 1;
}

QImage janFrame(QSize size)
{
    const testing::PriceTag tag = testing::priceTag(BarcodeFormat::Ean13, kJan);
    return testing::cameraFrame(size, tag, size.width() >= 1280 ? 3.0 : 2.2, 0, QPointF(0.45, 0.55));
}

// Times `count` decodes of `frame`'s luminance (lumaImage(), the same as the worker's FrameLuma); false when
// a decode did not find what the frame holds, which would make the numbers meaningless.
bool timeDecodes(const BarcodeDecoder &decoder, const QImage &frame, const QString &expected, int count,
                 QList<double> &samples)
{
    const QImage luma = lumaImage(videoFrameFromImage(frame));
    if (luma.isNull())
        return false;
    samples.reserve(count);
    for (int i = 0; i < count; ++i) {
        const auto start = Clock::now();
        const QList<DecodedBarcode> found = decoder.decode(luma);
        samples.append(std::chrono::duration<double, std::milli>(Clock::now() - start).count());
        const bool right = expected.isEmpty() ? found.isEmpty() : (found.size() == 1 && found.first().code.text == expected);
        if (!right)
            return false;
    }
    return true;
}

// Times `count` FrameLuma extractions from `frame` (what the worker does before each decode).
QList<double> timeLuma(const QVideoFrame &frame, int count)
{
    QList<double> samples;
    for (int i = 0; i < count; ++i) {
        const auto start = Clock::now();
        const FrameLuma luma(frame);
        if (luma.image().isNull())
            return {};
        samples.append(std::chrono::duration<double, std::milli>(Clock::now() - start).count());
    }
    return samples;
}

void report(const char *what, const QList<double> &samples, bool against)
{
    std::printf("  %-30s p50 %6.2f ms, p99 %6.2f ms, max %6.2f ms (n=%lld)%s\n", what, bench::median(samples),
                bench::percentile(samples, 99), bench::maximum(samples), static_cast<long long>(samples.size()),
                against ? "; target < 30 ms" : "");
}

struct WorkerRun {
    qint64 submitted = 0;
    qint64 decoded = 0;
    qint64 dropped = 0;
    double seconds = 0;
};

// Offers `frame` to a decode worker every `intervalMs` (0: as fast as submit() returns) until
// `decodes` frames are decoded.
WorkerRun runWorker(const QVideoFrame &frame, int intervalMs, int decodes)
{
    DecodeWorker worker;
    WorkerRun run;
    QElapsedTimer elapsed;
    elapsed.start();
    auto next = Clock::now();
    while (worker.framesDecoded() < decodes) {
        if (intervalMs > 0) {
            next += std::chrono::milliseconds(intervalMs);
            worker.submit(frame);
            // Sleep to the next frame time, keeping events flowing (30 fps, as a camera's sink).
            while (Clock::now() < next)
                QTest::qWait(1);
        } else {
            worker.submit(frame);
            QCoreApplication::processEvents();
        }
        if (elapsed.elapsed() > 120000)
            break; // a stuck worker: reported as such below
    }
    run.seconds = elapsed.nsecsElapsed() / 1e9;
    run.submitted = worker.framesSubmitted();
    run.decoded = worker.framesDecoded();
    run.dropped = worker.framesDropped();
    return run;
}

void reportWorker(const char *what, const WorkerRun &run)
{
    std::printf("  %-30s %6.1f frames/s decoded; %lld offered, %lld decoded, %lld dropped (%.0f %%) in %.2f s\n", what,
                run.decoded / run.seconds, static_cast<long long>(run.submitted), static_cast<long long>(run.decoded),
                static_cast<long long>(run.dropped), run.submitted ? 100.0 * run.dropped / run.submitted : 0.0,
                run.seconds);
}

} // namespace

int main(int argc, char *argv[])
{
    QGuiApplication app(argc, argv);
    const int count = bench::countOption(app.arguments(), 20, QStringLiteral("Decodes to time per kind of frame."));

    const BarcodeDecoder decoder;
    std::printf("BarcodeDecoder (try-harder, rotation, EAN/UPC/Code 128 + QR), %d decodes per frame kind\n", count);
    for (const QSize size : {QSize(1280, 720), QSize(640, 480)}) {
        QList<double> withJan;
        QList<double> empty;
        if (!timeDecodes(decoder, janFrame(size), kJan, count, withJan))
            return fail(QStringLiteral("the JAN on the %1×%2 price tag was not read").arg(size.width()).arg(size.height()));
        if (!timeDecodes(decoder, testing::emptyFrame(size), {}, count, empty))
            return fail(QStringLiteral("a code was read from an empty %1×%2 frame").arg(size.width()).arg(size.height()));
        const QByteArray label = QStringLiteral("%1×%2").arg(size.width()).arg(size.height()).toUtf8();
        report(QByteArray(label + " price-tag JAN").constData(), withJan, size.width() == 1280);
        report(QByteArray(label + " nothing in view").constData(), empty, size.width() == 1280);
    }

    const QVideoFrame frame = videoFrameFromImage(janFrame(QSize(1280, 720)));
    const QVideoFrame nv12 = testing::nv12Frame(janFrame(QSize(1280, 720)));
    std::printf("Luminance of a 1280×720 frame on the worker (FrameLuma), %d per format\n", count);
    const QList<double> nv12Luma = timeLuma(nv12, count);
    const QList<double> rgbxLuma = timeLuma(frame, count);
    if (nv12Luma.isEmpty() || rgbxLuma.isEmpty())
        return fail(QStringLiteral("no luminance from a 1280×720 frame"));
    report("NV12 (Y plane in place)", nv12Luma, false);
    report("RGBX (converted)", rgbxLuma, false);

    std::printf("DecodeWorker, 1280×720 frames with the JAN\n");
    const int decodes = std::max(10, count);
    const WorkerRun camera = runWorker(frame, 33, decodes);
    const WorkerRun flatOut = runWorker(frame, 0, decodes);
    const WorkerRun nv12FlatOut = runWorker(nv12, 0, decodes);
    if (camera.decoded < decodes || flatOut.decoded < decodes || nv12FlatOut.decoded < decodes)
        return fail(QStringLiteral("the decode worker stopped decoding"));
    reportWorker("RGBX offered at 30 fps", camera);
    reportWorker("RGBX offered flat out", flatOut);
    reportWorker("NV12 offered flat out", nv12FlatOut);
    return 0;
}
