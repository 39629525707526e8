#pragma once

#include <QImage>
#include <QVideoFrame>

namespace poptap {

// The luminance of a video frame as an 8-bit image: the Y plane copied as is for the YUV
// formats cameras deliver (NV12, NV21, YUV420P, YV12, YUYV, UYVY, ...), a conversion for the
// rest. A null image when the frame cannot be mapped.
QImage lumaImage(const QVideoFrame &frame);

// A video frame holding `image` (Qt 6.4 has no QVideoFrame(QImage)): how still images and
// folders of test pictures enter the same pipeline as the camera's frames.
QVideoFrame videoFrameFromImage(const QImage &image);

} // namespace poptap
