#pragma once

#include "framesource.h"

#include <memory>

namespace poptap {

// A camera through Qt Multimedia (QCamera → QMediaCaptureSession → QVideoSink). `selector` is
// "auto" (the system's default camera) or a camera id or part of its description, as
// QMediaDevices lists them. A camera unplugged is Absent; plugged back in, it resumes.
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
    struct Private;
    std::unique_ptr<Private> d;
};

} // namespace poptap
