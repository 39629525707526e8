#pragma once

#include "framesource.h"

#include <QByteArray>
#include <QList>
#include <QSize>
#include <QVideoFrameFormat>

#include <memory>

class QCameraDevice;

namespace poptap {

// A camera through Qt Multimedia (QCamera → QMediaCaptureSession → QVideoSink). `selector` is
// "auto" (the system's default camera) or a camera id or part of its description, as
// QMediaDevices lists them. A camera unplugged is Absent; plugged back in, it resumes.
// With no matching camera the source is Absent from the start, with the reason.
class CameraSource : public FrameSource
{
    Q_OBJECT
public:
    explicit CameraSource(const QString &selector, QObject *parent = nullptr);
    ~CameraSource() override;

    QString backendName() const override;
    void start() override;
    void stop() override;
    QVideoSink *videoSink() const override;

private:
    void updateCamera();
    void openCamera(const QCameraDevice &device);
    void closeCamera();

    struct Private;
    std::unique_ptr<Private> d;
};

// What the system says about a camera, as plain values, so that choosing one can be tested
// without a camera.
struct CameraInfo {
    QByteArray id;
    QString description;
    bool isDefault = false;
};

// The camera `selector` names among `cameras`: "auto" (or empty) the default one, else the first
// whose id equals `selector` or whose description contains it (case-insensitive); -1 for none.
qsizetype chooseCamera(const QString &selector, const QList<CameraInfo> &cameras);

struct CameraMode {
    QSize resolution;
    QVideoFrameFormat::PixelFormat pixelFormat = QVideoFrameFormat::Format_Invalid;
    float maxFrameRate = 0;
};

// The mode to capture in: a smooth frame rate (15 fps or more) first, then the resolution nearest
// 1280×720 (enough for a price tag at arm's length, and what the decode budget is set for), then
// YUV over RGB over Motion-JPEG (cheapest luminance), then the higher frame rate. -1 when
// `modes` is empty.
qsizetype chooseCameraMode(const QList<CameraMode> &modes);

} // namespace poptap
