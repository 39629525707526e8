// The scanner end to end: an ImageSource folder of price tags (or frames pushed from another
// thread, as a camera's capture thread does) → the decode worker → scanned() on the scanner's
// thread, only while scanning, each code once per scanning session.
#include "barcodescanner.h"
#include "imagesource.h"
#include "pricetag.h"
#include "videoframes.h"

#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QVideoSink>

#include <atomic>
#include <thread>

using namespace poptap;
using namespace poptap::testing;
using namespace std::chrono_literals;

namespace {

const QString kJan = QStringLiteral("4901234567894");
const QString kLink = QStringLiteral("https://liff.line.me/2001234567-PopTapDm/r/EZjqTK");
constexpr int kTimeoutMs = 30000;

QImage janPicture()
{
    return cameraFrame(QSize(640, 480), priceTag(BarcodeFormat::Ean13, kJan), 2.2);
}

QImage linkPicture()
{
    return cameraFrame(QSize(640, 480), priceTag(BarcodeFormat::QrCode, kLink), 4.0);
}

// A camera stand-in whose frames come from a thread of its own.
class ThreadedSource : public FrameSource
{
public:
    explicit ThreadedSource(QImage picture) : m_picture(std::move(picture)) {}
    ~ThreadedSource() override { stop(); }
    QString backendName() const override { return QStringLiteral("threaded"); }
    QVideoSink *videoSink() const override { return m_sink.get(); }
    void start() override
    {
        if (m_thread.joinable())
            return;
        m_running = true;
        setStatus(Status::Active);
        m_thread = std::thread([this] {
            while (m_running) {
                m_sink->setVideoFrame(videoFrameFromImage(m_picture)); // a new frame each time
                m_pushed.store(QThread::currentThread());
                std::this_thread::sleep_for(10ms);
            }
        });
    }
    void stop() override
    {
        m_running = false;
        if (m_thread.joinable())
            m_thread.join();
        setStatus(Status::Off);
    }
    std::atomic<QThread *> m_pushed{nullptr};

private:
    QImage m_picture;
    std::unique_ptr<QVideoSink> m_sink = std::make_unique<QVideoSink>();
    std::atomic<bool> m_running{false};
    std::thread m_thread;
};

} // namespace

class BarcodeScannerTest : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;

private Q_SLOTS:
    void initTestCase()
    {
        qRegisterMetaType<ScannedCode>();
        QVERIFY(m_dir.isValid());
        QVERIFY(janPicture().save(m_dir.filePath(QStringLiteral("1-jan.png"))));
        QVERIFY(linkPicture().save(m_dir.filePath(QStringLiteral("2-link.png"))));
        QVERIFY(emptyFrame(QSize(640, 480)).save(m_dir.filePath(QStringLiteral("3-nothing.png"))));
    }

    void folderOfPriceTags()
    {
        BarcodeScanner scanner(std::make_unique<ImageSource>(m_dir.path(), 30));
        scanner.worker()->setRepeatHoldoff(1h);
        QSignalSpy scanningChanged(&scanner, &BarcodeScanner::scanningChanged);
        QStringList codes;
        QList<QThread *> threads;
        connect(&scanner, &BarcodeScanner::scanned, this, [&](const ScannedCode &code) {
            codes.append(code.text);
            threads.append(QThread::currentThread());
            QVERIFY(code.source == ScanSource::Camera);
        });
        QVERIFY(!scanner.isScanning());
        QCOMPARE(toString(scanner.source()->status()), QStringLiteral("off"));

        scanner.start();
        QVERIFY(scanner.isScanning());
        QCOMPARE(scanningChanged.count(), 1);
        QCOMPARE(toString(scanner.source()->status()), QStringLiteral("active"));
        QVERIFY(QTest::qWaitFor([&] { return codes.size() >= 2; }, kTimeoutMs));
        // Three more rounds of the folder: still each code once.
        const qint64 decoded = scanner.worker()->framesDecoded();
        QVERIFY(QTest::qWaitFor([&] { return scanner.worker()->framesDecoded() >= decoded + 9; }, kTimeoutMs));
        QStringList sorted = codes;
        sorted.sort();
        QCOMPARE(sorted, (QStringList{kJan, kLink}));
        QCOMPARE(threads, (QList<QThread *>{QThread::currentThread(), QThread::currentThread()}));

        scanner.stop();
        QVERIFY(!scanner.isScanning());
        QCOMPARE(scanningChanged.count(), 2);
        QCOMPARE(toString(scanner.source()->status()), QStringLiteral("off"));
        QTest::qWait(100); // a frame in flight finishes
        const qint64 stopped = scanner.worker()->framesDecoded();
        QTest::qWait(200);
        QCOMPARE(scanner.worker()->framesDecoded(), stopped);
        QCOMPARE(codes.size(), 2);

        // A new session: the same codes count again.
        scanner.start();
        QVERIFY(QTest::qWaitFor([&] { return codes.size() >= 4; }, kTimeoutMs));
        scanner.stop();
    }

    // A code decoded from a frame taken before stop() is not reported after it.
    void nothingReportedAfterStop()
    {
        auto source = std::make_unique<ImageSource>(QString(), 0);
        ImageSource *images = source.get();
        BarcodeScanner scanner(std::move(source));
        QSignalSpy scanned(&scanner, &BarcodeScanner::scanned); // emitted on this thread
        int decoded = 0; // the worker's signal comes from its thread: heard here, queued
        connect(scanner.worker(), &DecodeWorker::frameDecoded, this, [&] { ++decoded; }, Qt::QueuedConnection);
        scanner.start();
        QVERIFY(images->show(janPicture())); // handed to the worker now
        scanner.stop();                       // before its code can come back to this thread
        QVERIFY(QTest::qWaitFor([&] { return decoded == 1; }, kTimeoutMs)); // the code came back first
        QCOMPARE(scanned.count(), 0);

        scanner.start(); // and the next session reports it
        QVERIFY(images->show(janPicture()));
        QVERIFY(scanned.wait(kTimeoutMs));
        QCOMPARE(scanned.count(), 1);
    }

    // Frames arrive on a capture thread, as a camera's do; codes arrive on the scanner's thread.
    void framesFromAnotherThread()
    {
        auto source = std::make_unique<ThreadedSource>(janPicture());
        ThreadedSource *camera = source.get();
        BarcodeScanner scanner(std::move(source));
        QThread *reportedOn = nullptr;
        QStringList codes;
        connect(&scanner, &BarcodeScanner::scanned, this, [&](const ScannedCode &code) {
            codes.append(code.text);
            reportedOn = QThread::currentThread();
        });
        scanner.start();
        QVERIFY(QTest::qWaitFor([&] { return !codes.isEmpty(); }, kTimeoutMs));
        QVERIFY(camera->m_pushed.load() != QThread::currentThread());
        QCOMPARE(reportedOn, QThread::currentThread());
        QCOMPARE(codes, QStringList{kJan});
        QVERIFY(QTest::qWaitFor([&] { return scanner.worker()->framesDecoded() >= 5; }, kTimeoutMs));
        QCOMPARE(codes, QStringList{kJan});
        // Gone while frames still come from the capture thread.
    }

    void withoutCameraNothingHappens()
    {
        BarcodeScanner scanner(nullptr);
        QSignalSpy scanningChanged(&scanner, &BarcodeScanner::scanningChanged);
        QVERIFY(!scanner.source());
        QVERIFY(scanner.worker());
        scanner.start();
        QVERIFY(!scanner.isScanning());
        scanner.stop();
        QCOMPARE(scanningChanged.count(), 0);
    }

    void destroyedWhileScanning()
    {
        for (int round = 0; round < 5; ++round) {
            BarcodeScanner scanner(std::make_unique<ImageSource>(m_dir.path(), 200));
            scanner.start();
            QVERIFY(QTest::qWaitFor([&] { return scanner.worker()->framesSubmitted() >= 3 + round; }, kTimeoutMs));
        }
    }
};

QTEST_MAIN(BarcodeScannerTest)
#include "barcodescannertest.moc"
