#include "camerasource.h"

#include "scanninglogging.h"
#include "videoframes.h"

#include <QCamera>
#include <QCameraDevice>
#include <QMediaCaptureSession>
#include <QMediaDevices>
#include <QVideoSink>

#include <cmath>
#include <tuple>

namespace poptap {
namespace {

constexpr float kSmoothFrameRate = 15;
constexpr double kWantedPixels = 1280.0 * 720.0;

CameraInfo cameraInfo(const QCameraDevice &device)
{
    return {device.id(), device.description(), device.isDefault()};
}

} // namespace

qsizetype chooseCamera(const QString &selector, const QList<CameraInfo> &cameras)
{
    const QString wanted = selector.trimmed();
    if (wanted.isEmpty() || wanted == QLatin1String("auto")) {
        for (qsizetype i = 0; i < cameras.size(); ++i) {
            if (cameras.at(i).isDefault)
                return i;
        }
        return cameras.isEmpty() ? -1 : 0; // no default flagged: the first one is the system's choice
    }
    for (qsizetype i = 0; i < cameras.size(); ++i) {
        if (cameras.at(i).id == wanted.toUtf8())
            return i;
    }
    for (qsizetype i = 0; i < cameras.size(); ++i) {
        if (cameras.at(i).description.contains(wanted, Qt::CaseInsensitive))
            return i;
    }
    return -1;
}

qsizetype chooseCameraMode(const QList<CameraMode> &modes)
{
    auto cost = [](const CameraMode &m) {
        const double pixels = std::max(1.0, double(m.resolution.width()) * double(m.resolution.height()));
        return std::make_tuple(m.maxFrameRate >= kSmoothFrameRate ? 0 : 1, std::abs(std::log(pixels / kWantedPixels)),
                               lumaCost(m.pixelFormat), -m.maxFrameRate);
    };
    qsizetype best = -1;
    for (qsizetype i = 0; i < modes.size(); ++i) {
        if (best < 0 || cost(modes.at(i)) < cost(modes.at(best)))
            best = i;
    }
    return best;
}

struct CameraSource::Private {
    QString selector;
    QMediaDevices devices; // for videoInputsChanged: cameras plugged in and out
    std::unique_ptr<QVideoSink> sink = std::make_unique<QVideoSink>();
    // Only while started and a camera is there: no capture pipeline, light or CPU otherwise.
    std::unique_ptr<QCamera> camera;
    std::unique_ptr<QMediaCaptureSession> session;
    bool started = false;
};

CameraSource::CameraSource(const QString &selector, QObject *parent) : FrameSource(parent), d(std::make_unique<Private>())
{
    d->selector = selector.trimmed();
    connect(&d->devices, &QMediaDevices::videoInputsChanged, this, &CameraSource::updateCamera);
    updateCamera();
}

CameraSource::~CameraSource()
{
    closeCamera();
}

QString CameraSource::backendName() const
{
    return QStringLiteral("camera");
}

void CameraSource::start()
{
    if (d->started)
        return;
    d->started = true;
    updateCamera();
}

void CameraSource::stop()
{
    if (!d->started)
        return;
    d->started = false;
    closeCamera();
    updateCamera();
}

QVideoSink *CameraSource::videoSink() const
{
    return d->sink.get();
}

// The cameras changed, or the source was started or stopped: open, close or report.
void CameraSource::updateCamera()
{
    const QList<QCameraDevice> inputs = QMediaDevices::videoInputs();
    QString unplugged;
    if (d->camera && !inputs.contains(d->camera->cameraDevice())) {
        unplugged = d->camera->cameraDevice().description();
        closeCamera();
    }
    if (d->camera)
        return; // open and still there; its own signals say how it is doing

    QList<CameraInfo> infos;
    for (const QCameraDevice &device : inputs)
        infos.append(cameraInfo(device));
    const qsizetype chosen = chooseCamera(d->selector, infos);
    if (chosen < 0) {
        QString reason;
        if (!unplugged.isEmpty()) {
            reason = QStringLiteral("the camera \"%1\" was unplugged").arg(unplugged);
        } else if (inputs.isEmpty()) {
            reason = d->selector.isEmpty() || d->selector == QLatin1String("auto")
                ? QStringLiteral("no camera is connected")
                : QStringLiteral("no camera is connected (looking for \"%1\")").arg(d->selector);
        } else {
            QStringList names;
            for (const CameraInfo &info : std::as_const(infos))
                names.append(QStringLiteral("\"%1\" (%2)").arg(info.description, QString::fromUtf8(info.id)));
            reason = QStringLiteral("no camera matches \"%1\"; connected: %2").arg(d->selector, names.join(QLatin1String(", ")));
        }
        setStatus(Status::Absent, reason);
        return;
    }
    if (!d->started) {
        setStatus(Status::Off);
        return;
    }
    openCamera(inputs.at(chosen));
}

void CameraSource::openCamera(const QCameraDevice &device)
{
    d->camera = std::make_unique<QCamera>(device);
    const QList<QCameraFormat> formats = device.videoFormats();
    QList<CameraMode> modes;
    for (const QCameraFormat &format : formats)
        modes.append({format.resolution(), format.pixelFormat(), format.maxFrameRate()});
    if (const qsizetype mode = chooseCameraMode(modes); mode >= 0) {
        d->camera->setCameraFormat(formats.at(mode));
        qCInfo(lcScanning).noquote() << "camera" << device.description() << "capturing"
                                     << modes.at(mode).resolution << QVideoFrameFormat::pixelFormatToString(modes.at(mode).pixelFormat)
                                     << "at up to" << modes.at(mode).maxFrameRate << "fps";
    }
    connect(d->camera.get(), &QCamera::errorOccurred, this, [this](QCamera::Error error, const QString &message) {
        if (error != QCamera::NoError)
            setStatus(Status::Error, message.isEmpty() ? QStringLiteral("camera error %1").arg(int(error)) : message);
    });
    connect(d->camera.get(), &QCamera::activeChanged, this, [this](bool active) {
        if (active)
            setStatus(Status::Active);
        else if (d->started && status() == Status::Active)
            setStatus(Status::Error, QStringLiteral("the camera stopped delivering"));
    });
    d->session = std::make_unique<QMediaCaptureSession>();
    d->session->setCamera(d->camera.get());
    d->session->setVideoSink(d->sink.get());
    setStatus(Status::Starting);
    d->camera->start();
}

void CameraSource::closeCamera()
{
    if (!d->camera)
        return;
    d->camera->disconnect(this);
    d->camera->stop();
    d->session.reset();
    d->camera.reset();
}

} // namespace poptap
