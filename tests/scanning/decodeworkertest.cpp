// The one decode worker: its own thread, frames dropped while it is busy (never queued), a code
// held in front of the camera reported once, again after the hold-off or resetRepeats(), a
// different code at once, and a clean end with frames still in flight. No timing is asserted:
// waits are generous, and a short hold-off is only ever waited out, never raced.
#include "decodeworker.h"
#include "pricetag.h"
#include "videoframes.h"

#include <QMutex>
#include <QTest>

#include <algorithm>
#include <atomic>
#include <thread>

using namespace poptap;
using namespace poptap::testing;
using namespace std::chrono_literals;

namespace {

const QString kJan = QStringLiteral("4901234567894");
const QString kEan8 = QStringLiteral("49123456");
const QString kLink = QStringLiteral("https://liff.line.me/2001234567-PopTapDm/r/EZjqTK");
constexpr int kTimeoutMs = 30000;

QVideoFrame frameWith(BarcodeFormat format, const QString &text, QSize size = QSize(640, 480))
{
    const PriceTag tag = priceTag(format, text);
    return videoFrameFromImage(cameraFrame(size, tag, format == BarcodeFormat::QrCode ? 4.0 : 2.2));
}

QVideoFrame nothingFrame()
{
    return videoFrameFromImage(emptyFrame(QSize(640, 480)));
}

// What the worker says, heard on the test's thread (queued, in the order it was said).
class Recorder : public QObject
{
public:
    explicit Recorder(DecodeWorker &worker)
    {
        connect(&worker, &DecodeWorker::codeScanned, this, [this](const ScannedCode &code) { codes.append(code.text); },
                Qt::QueuedConnection);
        connect(&worker, &DecodeWorker::frameDecoded, this,
                [this](qint64 micros, int found) {
                    decodeMicros.append(micros);
                    codesFound.append(found);
                },
                Qt::QueuedConnection);
    }
    qsizetype frames() const { return codesFound.size(); }

    QStringList codes;
    QList<qint64> decodeMicros;
    QList<int> codesFound;
};

// Submits `frame` to an idle worker and waits until it is decoded.
bool decodeOne(DecodeWorker &worker, Recorder &recorder, const QVideoFrame &frame)
{
    const qsizetype before = recorder.frames();
    if (!worker.submit(frame))
        return false;
    return QTest::qWaitFor([&] { return recorder.frames() > before; }, kTimeoutMs);
}

// decodeOne() for each of `frames`, in order; false at the first that fails.
bool decodeEach(DecodeWorker &worker, Recorder &recorder, const QList<QVideoFrame> &frames)
{
    return std::all_of(frames.begin(), frames.end(),
                       [&](const QVideoFrame &frame) { return decodeOne(worker, recorder, frame); });
}

} // namespace

class DecodeWorkerTest : public QObject
{
    Q_OBJECT

private:
    QVideoFrame m_jan;
    QVideoFrame m_ean8;
    QVideoFrame m_nothing;

private Q_SLOTS:
    void initTestCase()
    {
        qRegisterMetaType<ScannedCode>();
        m_jan = frameWith(BarcodeFormat::Ean13, kJan);
        m_ean8 = frameWith(BarcodeFormat::Ean8, kEan8);
        m_nothing = nothingFrame();
    }

    void decodesOnItsOwnThread()
    {
        DecodeWorker worker;
        Recorder recorder(worker);
        QMutex mutex;
        QThread *decodingThread = nullptr;
        connect(&worker, &DecodeWorker::frameDecoded, &worker,
                [&] {
                    QMutexLocker lock(&mutex);
                    decodingThread = QThread::currentThread();
                },
                Qt::DirectConnection);
        QVERIFY(decodeOne(worker, recorder, m_jan));
        QMutexLocker lock(&mutex);
        QVERIFY(decodingThread);
        QVERIFY(decodingThread != QThread::currentThread());
        QCOMPARE(decodingThread->objectName(), QStringLiteral("poptap-decode"));
        QCOMPARE(recorder.codes, QStringList{kJan});
    }

    // A camera's frames: the JAN read straight from the Y plane of an NV12 frame.
    void decodesACamerasYuvFrame()
    {
        DecodeWorker worker;
        Recorder recorder(worker);
        const QVideoFrame frame = nv12Frame(cameraFrame(QSize(640, 480), priceTag(BarcodeFormat::Ean13, kJan), 2.2));
        QCOMPARE(frame.pixelFormat(), QVideoFrameFormat::Format_NV12);
        QVERIFY(decodeOne(worker, recorder, frame));
        QCOMPARE(recorder.codes, QStringList{kJan});
        QVERIFY(!frame.isMapped()); // mapped only while it was decoded
    }

    void everyFrameIsAccountedFor()
    {
        DecodeWorker worker;
        Recorder recorder(worker);
        // The last frame cannot be mapped: nothing found, no harm.
        QVERIFY(decodeEach(worker, recorder, {m_jan, m_nothing, QVideoFrame()}));
        QCOMPARE(recorder.codesFound, (QList<int>{1, 0, 0}));
        QVERIFY(recorder.decodeMicros.at(0) > 0);
        QCOMPARE(worker.framesSubmitted(), 3);
        QCOMPARE(worker.framesDecoded(), 3);
        QCOMPARE(worker.framesDropped(), 0);
    }

    // Frames offered faster than they decode are dropped at the door: at most one is ever
    // waiting or being decoded, however many come.
    void busyWorkerDropsFrames()
    {
        DecodeWorker worker;
        const QVideoFrame big = frameWith(BarcodeFormat::Ean13, kJan, QSize(1280, 720));
        qint64 accepted = 0;
        for (int i = 0; i < 500; ++i) {
            if (worker.submit(big))
                ++accepted;
            const qint64 inFlight = accepted - worker.framesDecoded();
            QVERIFY2(inFlight >= 0 && inFlight <= 1, qPrintable(QString::number(inFlight)));
        }
        QCOMPARE(worker.framesSubmitted(), 500);
        QCOMPARE(worker.framesSubmitted() - worker.framesDropped(), accepted);
        QVERIFY(worker.framesDropped() > 0);
        QVERIFY(QTest::qWaitFor([&] { return worker.framesDecoded() == accepted; }, kTimeoutMs));
        // Nothing was queued behind: once the last accepted frame is done the worker is idle.
        QTest::qWait(50);
        QCOMPARE(worker.framesDecoded(), accepted);
        QVERIFY(worker.submit(big));
    }

    void submitFromManyThreads()
    {
        DecodeWorker worker;
        std::vector<std::thread> threads;
        for (int t = 0; t < 4; ++t) {
            threads.emplace_back([&] {
                for (int i = 0; i < 200; ++i)
                    worker.submit(i % 2 ? m_jan : m_nothing);
            });
        }
        for (std::thread &thread : threads)
            thread.join();
        QCOMPARE(worker.framesSubmitted(), 800);
        const qint64 accepted = worker.framesSubmitted() - worker.framesDropped();
        QVERIFY(accepted >= 1);
        QVERIFY(QTest::qWaitFor([&] { return worker.framesDecoded() == accepted; }, kTimeoutMs));
    }

    void heldCodeIsReportedOnce()
    {
        DecodeWorker worker;
        worker.setRepeatHoldoff(1h);
        Recorder recorder(worker);
        QVERIFY(decodeEach(worker, recorder, QList<QVideoFrame>(12, m_jan)));
        QCOMPARE(recorder.codes, QStringList{kJan});
        QCOMPARE(recorder.codesFound, QList<int>(12, 1));
    }

    // Looking away for a few frames is not "out of sight for the hold-off".
    void shortGapIsNoRepeat()
    {
        DecodeWorker worker;
        worker.setRepeatHoldoff(1h);
        Recorder recorder(worker);
        QVERIFY(decodeEach(worker, recorder, {m_jan, m_nothing, m_nothing, m_nothing, m_nothing, m_nothing, m_jan}));
        QCOMPARE(recorder.codes, QStringList{kJan});
    }

    void codeIsReportedAgainAfterTheHoldoff()
    {
        DecodeWorker worker;
        worker.setRepeatHoldoff(50ms);
        Recorder recorder(worker);
        QVERIFY(decodeOne(worker, recorder, m_jan));
        QCOMPARE(recorder.codes, QStringList{kJan});
        QTest::qWait(300); // out of sight for six hold-offs
        QVERIFY(decodeEach(worker, recorder, {m_nothing, m_jan}));
        QCOMPARE(recorder.codes, (QStringList{kJan, kJan}));
    }

    void defaultHoldoffKeepsARepeatQuiet()
    {
        DecodeWorker worker; // 1.5 s: the next frames come well within it
        Recorder recorder(worker);
        QVERIFY(decodeEach(worker, recorder, {m_jan, m_jan}));
        QCOMPARE(recorder.codes, QStringList{kJan});
    }

    void resetRepeatsReportsAgain()
    {
        DecodeWorker worker;
        worker.setRepeatHoldoff(1h);
        Recorder recorder(worker);
        QVERIFY(decodeEach(worker, recorder, {m_jan, m_jan}));
        QCOMPARE(recorder.codes, QStringList{kJan});
        worker.resetRepeats(); // a new shopper
        QVERIFY(decodeOne(worker, recorder, m_jan));
        QCOMPARE(recorder.codes, (QStringList{kJan, kJan}));
    }

    // Each code has its own hold-off: a new code is reported at once; going back to the first one
    // within its hold-off is still the same look at it.
    void differentCodeIsReportedAtOnce()
    {
        DecodeWorker worker;
        worker.setRepeatHoldoff(1h);
        Recorder recorder(worker);
        QVERIFY(decodeEach(worker, recorder, {m_jan, m_ean8}));
        QCOMPARE(recorder.codes, (QStringList{kJan, kEan8}));
        QVERIFY(decodeOne(worker, recorder, m_jan));
        QCOMPARE(recorder.codes, (QStringList{kJan, kEan8}));
    }

    // A JAN and a QR link on one label: both reported, each once, however long it is held.
    void twoCodesInViewAreEachReportedOnce()
    {
        QImage picture = cameraFrame(QSize(1280, 720), priceTag(BarcodeFormat::Ean13, kJan), 3.0, 0, QPointF(0.3, 0.5));
        placeTag(picture, priceTag(BarcodeFormat::QrCode, kLink), 5.0, 0, QPointF(0.75, 0.5));
        const QVideoFrame both = videoFrameFromImage(picture);
        DecodeWorker worker;
        worker.setRepeatHoldoff(1h);
        Recorder recorder(worker);
        QVERIFY(decodeEach(worker, recorder, QList<QVideoFrame>(4, both)));
        QCOMPARE(recorder.codesFound, QList<int>(4, 2));
        QStringList codes = recorder.codes;
        codes.sort();
        QCOMPARE(codes, (QStringList{kJan, kLink}));
    }

    void productSymbologiesOnly()
    {
        BarcodeDecoder::Options options;
        options.qrCodes = false;
        DecodeWorker worker(options);
        Recorder recorder(worker);
        QVERIFY(decodeEach(worker, recorder, {frameWith(BarcodeFormat::QrCode, kLink), m_jan}));
        QCOMPARE(recorder.codes, QStringList{kJan});
    }

    // The worker goes away while a frame is being decoded and others wait in the event queue of a
    // receiver: no crash, no hang, nothing delivered to a dead object.
    void destructionWithFramesInFlight()
    {
        const QVideoFrame big = frameWith(BarcodeFormat::Ean13, kJan, QSize(1280, 720));
        for (int round = 0; round < 20; ++round) {
            auto worker = std::make_unique<DecodeWorker>();
            Recorder recorder(*worker);
            QVERIFY(worker->submit(big));
            if (round % 2)
                std::this_thread::sleep_for(std::chrono::milliseconds(round % 5)); // caught mid-decode
            worker->submit(big); // dropped, or queued behind a finished one
            worker.reset();
            QCoreApplication::processEvents(); // codes queued from the worker thread are harmless
        }
    }
};

QTEST_MAIN(DecodeWorkerTest)
#include "decodeworkertest.moc"
