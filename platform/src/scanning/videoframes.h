#pragma once

#include <QImage>
#include <QVideoFrame>
#include <QVideoFrameFormat>

namespace poptap {

// The luminance of a video frame as an 8-bit image: the Y plane copied as is for the YUV
// formats cameras deliver (NV12, NV21, YUV420P, YV12, YUYV, UYVY, ...), a conversion for the
// rest. A null image when the frame cannot be mapped.
QImage lumaImage(const QVideoFrame &frame);

// The same luminance for as long as this lives, without the copy where the frame has an 8-bit Y
// plane (NV12, YUV420P, ...): image() is then a view of the mapped plane. The decode worker's
// per-frame path.
class FrameLuma
{
public:
    explicit FrameLuma(const QVideoFrame &frame);
    ~FrameLuma();
    FrameLuma(const FrameLuma &) = delete;
    FrameLuma &operator=(const FrameLuma &) = delete;

    // Null when the frame gives none (lumaImage() would not either); valid only while this lives.
    const QImage &image() const { return m_image; }

private:
    QVideoFrame m_frame;
    bool m_mapped = false;
    QImage m_image;
};

// How cheaply lumaImage() gets the luminance of `format`, for choosing a camera mode: 0 a plane
// or a byte stride (YUV), 1 RGB, 2 JPEG, 3 not at all (GPU-only formats the decoder cannot map).
int lumaCost(QVideoFrameFormat::PixelFormat format);

// A video frame holding `image` (Qt 6.4 has no QVideoFrame(QImage)): how still images and
// folders of test pictures enter the same pipeline as the camera's frames.
QVideoFrame videoFrameFromImage(const QImage &image);

} // namespace poptap
