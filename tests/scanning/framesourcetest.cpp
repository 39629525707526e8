// Where frames come from: ImageSource (folders, files, show()), CameraSource without a camera
// (this machine has none: a clear Absent, no crash), choosing a camera and its mode, and the
// configuration's camera= specs.
#include "camerasource.h"
#include "framesourcefactory.h"
#include "imagesource.h"
#include "videoframes.h"

#include <QCameraDevice>
#include <QMediaDevices>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QVideoSink>

using namespace poptap;

namespace {

constexpr int kTimeoutMs = 30000;

QImage solid(int grey, QSize size = QSize(64, 48))
{
    QImage image(size, QImage::Format_RGB32);
    image.fill(qRgb(grey, grey, grey));
    return image;
}

// The grey of a frame's first pixel: which picture it shows.
int greyOf(const QVideoFrame &frame)
{
    const QImage luma = lumaImage(frame);
    return luma.isNull() ? -1 : luma.constScanLine(0)[0];
}

// The pictures a source delivers, as greys, in order.
class FrameLog : public QObject
{
public:
    explicit FrameLog(FrameSource &source)
    {
        connect(source.videoSink(), &QVideoSink::videoFrameChanged, this,
                [this](const QVideoFrame &frame) { greys.append(greyOf(frame)); });
    }
    QList<int> greys;
};

} // namespace

class FrameSourceTest : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QString m_folder; // b.png (50), a.png (100), c.jpg (150), notes.txt, broken.png, sub/
    QString m_emptyFolder;

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_folder = m_dir.filePath(QStringLiteral("pictures"));
        m_emptyFolder = m_dir.filePath(QStringLiteral("empty"));
        QVERIFY(QDir().mkpath(m_folder + QStringLiteral("/sub")));
        QVERIFY(QDir().mkpath(m_emptyFolder));
        QVERIFY(solid(50).save(m_folder + QStringLiteral("/b.png")));
        QVERIFY(solid(100).save(m_folder + QStringLiteral("/a.png")));
        QVERIFY(solid(150).save(m_folder + QStringLiteral("/c.jpg"), "JPEG", 100));
        QVERIFY(solid(200).save(m_folder + QStringLiteral("/sub/d.png")));
        QFile notes(m_folder + QStringLiteral("/notes.txt"));
        QVERIFY(notes.open(QIODevice::WriteOnly));
        notes.write("not a picture\n");
        QFile broken(m_folder + QStringLiteral("/broken.png"));
        QVERIFY(broken.open(QIODevice::WriteOnly));
        broken.write("this is no PNG at all");
        QFile emptyNotes(m_emptyFolder + QStringLiteral("/readme.txt"));
        QVERIFY(emptyNotes.open(QIODevice::WriteOnly));
    }

    void statusNames()
    {
        QCOMPARE(toString(FrameSource::Status::Off), QStringLiteral("off"));
        QCOMPARE(toString(FrameSource::Status::Starting), QStringLiteral("starting"));
        QCOMPARE(toString(FrameSource::Status::Active), QStringLiteral("active"));
        QCOMPARE(toString(FrameSource::Status::Absent), QStringLiteral("absent"));
        QCOMPARE(toString(FrameSource::Status::Error), QStringLiteral("error"));
    }

    // The folder's readable pictures, by name, round and round while started; nothing after stop.
    void folderPicturesInNameOrder()
    {
        ImageSource source(m_folder, 50);
        QCOMPARE(source.backendName(), QStringLiteral("images"));
        QCOMPARE(source.pictureCount(), 3);
        QCOMPARE(toString(source.status()), QStringLiteral("off"));
        QVERIFY(source.videoSink());
        FrameLog log(source);
        QSignalSpy statusChanged(&source, &FrameSource::statusChanged);

        source.start();
        QCOMPARE(toString(source.status()), QStringLiteral("active"));
        QVERIFY(QTest::qWaitFor([&] { return log.greys.size() >= 7; }, kTimeoutMs));
        source.stop();
        QCOMPARE(toString(source.status()), QStringLiteral("off"));
        const QList<int> seen = log.greys.mid(0, 7);
        for (qsizetype i = 0; i < seen.size(); ++i) // a, b, c (JPEG: within a grey level)
            QVERIFY2(std::abs(seen.at(i) - QList<int>{100, 50, 150}.at(i % 3)) <= 2, qPrintable(QString::number(seen.at(i))));
        QCOMPARE(statusChanged.count(), 2); // active, off

        const qsizetype afterStop = log.greys.size();
        QTest::qWait(200);
        QCOMPARE(log.greys.size(), afterStop);
    }

    void startAndStopTwiceChangeNothingMore()
    {
        ImageSource source(m_folder, 5);
        QSignalSpy statusChanged(&source, &FrameSource::statusChanged);
        source.start();
        source.start();
        QCOMPARE(statusChanged.count(), 1);
        source.stop();
        source.stop();
        QCOMPARE(statusChanged.count(), 2);
    }

    void singlePicture()
    {
        ImageSource source(m_folder + QStringLiteral("/a.png"), 50);
        QCOMPARE(source.pictureCount(), 1);
        FrameLog log(source);
        source.start();
        QVERIFY(QTest::qWaitFor([&] { return log.greys.size() >= 3; }, kTimeoutMs));
        QCOMPARE(log.greys.mid(0, 3), (QList<int>{100, 100, 100}));
    }

    // No pictures: Absent with the reason, before and after start; show() still works.
    void folderWithoutPicturesIsAbsent()
    {
        ImageSource source(m_emptyFolder, 50);
        QCOMPARE(source.pictureCount(), 0);
        QCOMPARE(toString(source.status()), QStringLiteral("absent"));
        QVERIFY(source.statusReason().contains(m_emptyFolder));
        FrameLog log(source);
        source.start();
        QCOMPARE(toString(source.status()), QStringLiteral("absent"));
        QTest::qWait(100);
        QCOMPARE(log.greys.size(), 0);
        QVERIFY(source.show(solid(77)));
        QCOMPARE(toString(source.status()), QStringLiteral("active"));
        QVERIFY(!log.greys.isEmpty());
        QCOMPARE(log.greys.first(), 77);
    }

    void missingPathIsAbsent()
    {
        const QString missing = m_dir.filePath(QStringLiteral("no-such-folder"));
        ImageSource source(missing);
        QCOMPARE(toString(source.status()), QStringLiteral("absent"));
        QVERIFY(source.statusReason().contains(missing));
    }

    // An empty path is a camera that sees nothing until show(): on, but silent.
    void emptyPathShowsOnlyWhatIsShown()
    {
        ImageSource source(QString(), 50);
        QCOMPARE(toString(source.status()), QStringLiteral("off"));
        FrameLog log(source);
        source.start();
        QCOMPARE(toString(source.status()), QStringLiteral("active"));
        QTest::qWait(100);
        QCOMPARE(log.greys.size(), 0);
        QVERIFY(source.show(solid(33)));
        QCOMPARE(log.greys.value(0), 33); // at once, not at the next tick
        QVERIFY(QTest::qWaitFor([&] { return log.greys.size() >= 3; }, kTimeoutMs)); // and held there
        QCOMPARE(log.greys.mid(0, 3), (QList<int>{33, 33, 33}));
    }

    void shownPictureReplacesTheFolder()
    {
        ImageSource source(m_folder, 50);
        FrameLog log(source);
        source.start();
        QVERIFY(QTest::qWaitFor([&] { return !log.greys.isEmpty(); }, kTimeoutMs));
        QVERIFY(source.show(solid(222)));
        const qsizetype from = log.greys.size() - 1;
        QVERIFY(QTest::qWaitFor([&] { return log.greys.size() >= from + 4; }, kTimeoutMs));
        QCOMPARE(log.greys.mid(from, 4), (QList<int>{222, 222, 222, 222}));
    }

    void showWhileStoppedWaitsForStart()
    {
        ImageSource source(QString(), 0);
        FrameLog log(source);
        QVERIFY(source.show(solid(90)));
        QCOMPARE(log.greys.size(), 0);
        source.start();
        QCOMPARE(log.greys, QList<int>{90});
    }

    // Stopping the camera takes the picture away: the next start shows the folder (or nothing)
    // again, not the last shopper's price tag.
    void stopTakesTheShownPictureAway()
    {
        ImageSource source(QString(), 50);
        FrameLog log(source);
        source.start();
        QVERIFY(source.show(solid(44)));
        source.stop();
        log.greys.clear();
        source.start();
        QTest::qWait(150);
        QCOMPARE(log.greys.size(), 0);

        ImageSource folder(m_folder, 0);
        FrameLog folderLog(folder);
        folder.start();
        QVERIFY(folder.show(solid(44)));
        folder.stop();
        folder.start();
        QCOMPARE(folderLog.greys.last(), 50); // the folder's next picture, b.png
    }

    // fps 0: a frame at start() and one per show(), nothing by timer.
    void noRepeatsAtZeroFps()
    {
        ImageSource source(m_folder, 0);
        FrameLog log(source);
        source.start();
        QCOMPARE(log.greys, QList<int>{100});
        QTest::qWait(150);
        QCOMPARE(log.greys.size(), 1);
        source.show(solid(10));
        source.show(solid(20));
        QCOMPARE(log.greys, (QList<int>{100, 10, 20}));
    }

    void showRefusesWhatIsNoPicture()
    {
        ImageSource source(QString(), 0);
        source.start();
        QVERIFY(!source.show(QImage()));
        QString error;
        QVERIFY(!source.showFile(m_folder + QStringLiteral("/broken.png"), &error));
        QVERIFY2(error.contains(QStringLiteral("broken.png")), qPrintable(error));
        QVERIFY(!source.showFile(m_folder + QStringLiteral("/missing.png"), &error));
        QVERIFY2(error.contains(QStringLiteral("missing.png")), qPrintable(error));
        QVERIFY(!source.showFile(m_folder + QStringLiteral("/missing.png"))); // no error wanted: fine
        FrameLog log(source);
        QVERIFY(source.showFile(m_folder + QStringLiteral("/b.png"), &error));
        QCOMPARE(log.greys, QList<int>{50});
    }

    // No camera on this machine: "auto" is Absent and says why; start() and stop() are harmless.
    void autoWithoutCameraIsAbsent()
    {
        if (!QMediaDevices::videoInputs().isEmpty())
            QSKIP("this machine has a camera");
        CameraSource camera(QStringLiteral("auto"));
        QCOMPARE(camera.backendName(), QStringLiteral("camera"));
        QCOMPARE(toString(camera.status()), QStringLiteral("absent"));
        QCOMPARE(camera.statusReason(), QStringLiteral("no camera is connected"));
        QVERIFY(camera.videoSink());
        QSignalSpy statusChanged(&camera, &FrameSource::statusChanged);
        camera.start();
        QCOMPARE(toString(camera.status()), QStringLiteral("absent"));
        camera.stop();
        camera.start();
        QCOMPARE(toString(camera.status()), QStringLiteral("absent"));
        QCOMPARE(statusChanged.count(), 0);
    }

    void unknownCameraIsAbsent()
    {
        CameraSource camera(QStringLiteral("no-such-camera-7f3a"));
        camera.start();
        QCOMPARE(toString(camera.status()), QStringLiteral("absent"));
        if (QMediaDevices::videoInputs().isEmpty())
            QCOMPARE(camera.statusReason(), QStringLiteral("no camera is connected (looking for \"no-such-camera-7f3a\")"));
        else
            QVERIFY(camera.statusReason().contains(QStringLiteral("no camera matches \"no-such-camera-7f3a\"")));
        camera.stop();
    }

    void choosingACamera_data()
    {
        QTest::addColumn<QString>("selector");
        QTest::addColumn<int>("chosen");
        QTest::newRow("auto: the default") << QStringLiteral("auto") << 1;
        QTest::newRow("empty: the default") << QString() << 1;
        QTest::newRow("by id") << QStringLiteral("/dev/video0") << 0;
        QTest::newRow("by part of the name") << QStringLiteral("c920") << 0;
        QTest::newRow("by name, any case") << QStringLiteral("INTEGRATED") << 1;
        QTest::newRow("id before name") << QStringLiteral("/dev/video4") << 2;
        QTest::newRow("no such camera") << QStringLiteral("Logitech Brio") << -1;
    }

    void choosingACamera()
    {
        QFETCH(QString, selector);
        QFETCH(int, chosen);
        const QList<CameraInfo> cameras{
            {QByteArrayLiteral("/dev/video0"), QStringLiteral("HD Pro Webcam C920"), false},
            {QByteArrayLiteral("/dev/video2"), QStringLiteral("Integrated Camera"), true},
            {QByteArrayLiteral("/dev/video4"), QStringLiteral("USB camera (was /dev/video0)"), false},
        };
        QCOMPARE(chooseCamera(selector, cameras), chosen);
    }

    void choosingACameraFromFew()
    {
        QCOMPARE(chooseCamera(QStringLiteral("auto"), {}), -1);
        QCOMPARE(chooseCamera(QStringLiteral("C920"), {}), -1);
        // No camera flagged as the default: the first one is the system's choice.
        QCOMPARE(chooseCamera(QStringLiteral("auto"), {{QByteArrayLiteral("a"), QStringLiteral("A"), false},
                                                       {QByteArrayLiteral("b"), QStringLiteral("B"), false}}),
                 0);
    }

    void choosingACameraMode()
    {
        using F = QVideoFrameFormat;
        const CameraMode fullHdJpeg{QSize(1920, 1080), F::Format_Jpeg, 30};
        const CameraMode hdJpeg{QSize(1280, 720), F::Format_Jpeg, 30};
        const CameraMode hdYuyvSlow{QSize(1280, 720), F::Format_YUYV, 10};
        const CameraMode hdYuyv{QSize(1280, 720), F::Format_YUYV, 30};
        const CameraMode hdYuyv15{QSize(1280, 720), F::Format_YUYV, 15};
        const CameraMode vgaYuyv{QSize(640, 480), F::Format_YUYV, 30};
        const CameraMode tiny{QSize(160, 120), F::Format_YUYV, 30};
        const CameraMode qhdNv12{QSize(960, 540), F::Format_NV12, 30};
        const CameraMode fullHdNv12{QSize(1920, 1080), F::Format_NV12, 30};
        // A typical USB webcam: 720p YUYV only at 10 fps over USB 2, MJPEG at 30.
        QCOMPARE(chooseCameraMode({fullHdJpeg, hdYuyvSlow, hdJpeg, vgaYuyv, tiny}), 2);
        QCOMPARE(chooseCameraMode({hdJpeg, hdYuyv}), 1);          // YUV before JPEG
        QCOMPARE(chooseCameraMode({hdYuyvSlow, vgaYuyv}), 1);     // smooth before sharp
        QCOMPARE(chooseCameraMode({hdYuyv15, hdYuyv}), 1);        // then the higher frame rate
        QCOMPARE(chooseCameraMode({fullHdNv12, qhdNv12}), 1);     // nearest 1280×720 by area ratio
        QCOMPARE(chooseCameraMode({hdYuyvSlow}), 0);              // all there is
        QCOMPARE(chooseCameraMode({}), -1);
    }

    void specs_data()
    {
        QTest::addColumn<QString>("spec");
        QTest::addColumn<QString>("backend"); // empty: no source
        QTest::addColumn<QString>("error");   // part of the error; empty: none
        QTest::newRow("none") << QStringLiteral("none") << QString() << QString();
        QTest::newRow("none, spaced") << QStringLiteral(" none ") << QString() << QString();
        QTest::newRow("auto") << QStringLiteral("auto") << QStringLiteral("camera") << QString();
        QTest::newRow("camera by name") << QStringLiteral("camera:C920") << QStringLiteral("camera") << QString();
        QTest::newRow("camera by id, spaced") << QStringLiteral("camera: /dev/video0 ") << QStringLiteral("camera") << QString();
        QTest::newRow("camera without a name") << QStringLiteral("camera:") << QString()
                                               << QStringLiteral("needs a camera id or part of its name");
        QTest::newRow("images alone") << QStringLiteral("images:") << QStringLiteral("images") << QString();
        QTest::newRow("images folder") << QStringLiteral("images:") + m_folder << QStringLiteral("images") << QString();
        QTest::newRow("images file") << QStringLiteral("images:") + m_folder + QStringLiteral("/a.png")
                                     << QStringLiteral("images") << QString();
        QTest::newRow("images missing") << QStringLiteral("images:/no/such/folder") << QString()
                                        << QStringLiteral("there is no picture file or folder at /no/such/folder");
        QTest::newRow("empty") << QString() << QString() << QStringLiteral("no camera given");
        QTest::newRow("unknown") << QStringLiteral("webcam") << QString() << QStringLiteral("unknown camera 'webcam'");
        QTest::newRow("wrong case") << QStringLiteral("Auto") << QString() << QStringLiteral("unknown camera 'Auto'");
        QTest::newRow("images without colon") << QStringLiteral("images") << QString()
                                              << QStringLiteral("expected none, auto, camera:<id or name> or images:");
        QTest::newRow("unknown backend") << QStringLiteral("v4l2:/dev/video0") << QString()
                                         << QStringLiteral("unknown camera 'v4l2:/dev/video0'");
    }

    void specs()
    {
        QFETCH(QString, spec);
        QFETCH(QString, backend);
        QFETCH(QString, error);
        QString why = QStringLiteral("(left over)");
        const std::unique_ptr<FrameSource> source = createFrameSource(spec, &why);
        QCOMPARE(source ? source->backendName() : QString(), backend);
        if (error.isEmpty())
            QCOMPARE(why, QString());
        else
            QVERIFY2(why.contains(error), qPrintable(why));
    }

    void specsWithoutErrorOutput()
    {
        QVERIFY(!createFrameSource(QStringLiteral("bogus"), nullptr));
        QVERIFY(createFrameSource(QStringLiteral("images:"), nullptr));
    }

    void imagesSpecGivesAWorkingSource()
    {
        QString error;
        const std::unique_ptr<FrameSource> source = createFrameSource(QStringLiteral("images:") + m_folder, &error);
        auto *images = qobject_cast<ImageSource *>(source.get());
        QVERIFY(images);
        QCOMPARE(images->pictureCount(), 3);
    }
};

QTEST_MAIN(FrameSourceTest)
#include "framesourcetest.moc"
