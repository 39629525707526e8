#include "videoframes.h"

#include <QPainter>
#include <QVideoFrameFormat>

#include <cstring>

namespace poptap {
namespace {

// A frame mapped for reading for as long as this lives.
class MappedFrame
{
public:
    explicit MappedFrame(const QVideoFrame &frame) : m_frame(frame) { m_mapped = m_frame.map(QVideoFrame::ReadOnly); }
    ~MappedFrame()
    {
        if (m_mapped)
            m_frame.unmap();
    }
    MappedFrame(const MappedFrame &) = delete;
    MappedFrame &operator=(const MappedFrame &) = delete;

    bool isMapped() const { return m_mapped; }
    const uchar *bits(int plane) const { return m_frame.bits(plane); }
    int bytesPerLine(int plane) const { return m_frame.bytesPerLine(plane); }
    int mappedBytes(int plane) const { return m_frame.mappedBytes(plane); }

private:
    QVideoFrame m_frame;
    bool m_mapped = false;
};

// Where luminance sits in one pixel of a packed format: every `step` bytes, starting at `offset`.
struct PackedLuma {
    int step = 0;
    int offset = 0;
};

// Byte positions of R, G and B in a 32-bit pixel; Qt Multimedia names these formats in memory order.
struct Rgb32 {
    int r = 0, g = 0, b = 0;
};

bool planeFits(const MappedFrame &mapped, int plane, int rowBytes, int height)
{
    const int stride = mapped.bytesPerLine(plane);
    return mapped.bits(plane) && stride >= rowBytes
        && qint64(mapped.mappedBytes(plane)) >= qint64(stride) * (height - 1) + rowBytes;
}

// Every `step`-th byte from `offset` of each row, or the high byte of 16-bit samples (offset 1,
// step 2, little-endian), into an 8-bit image.
QImage gatherLuma(const MappedFrame &mapped, int width, int height, PackedLuma layout)
{
    if (!planeFits(mapped, 0, width * layout.step, height))
        return {};
    QImage luma(width, height, QImage::Format_Grayscale8);
    for (int y = 0; y < height; ++y) {
        const uchar *src = mapped.bits(0) + qsizetype(y) * mapped.bytesPerLine(0) + layout.offset;
        uchar *dst = luma.scanLine(y);
        for (int x = 0; x < width; ++x)
            dst[x] = src[qsizetype(x) * layout.step];
    }
    return luma;
}

QImage copyPlane(const MappedFrame &mapped, int width, int height)
{
    if (!planeFits(mapped, 0, width, height))
        return {};
    QImage luma(width, height, QImage::Format_Grayscale8);
    for (int y = 0; y < height; ++y)
        std::memcpy(luma.scanLine(y), mapped.bits(0) + qsizetype(y) * mapped.bytesPerLine(0), size_t(width));
    return luma;
}

// 10-bit samples in the low bits of little-endian 16-bit words (YUV420P10).
QImage shiftPlane10(const MappedFrame &mapped, int width, int height)
{
    if (!planeFits(mapped, 0, width * 2, height))
        return {};
    QImage luma(width, height, QImage::Format_Grayscale8);
    for (int y = 0; y < height; ++y) {
        const uchar *src = mapped.bits(0) + qsizetype(y) * mapped.bytesPerLine(0);
        uchar *dst = luma.scanLine(y);
        for (int x = 0; x < width; ++x)
            dst[x] = uchar(((src[2 * x] | (src[2 * x + 1] << 8)) >> 2) & 0xff);
    }
    return luma;
}

// ITU-R BT.601 weights in 1/1024, as ZXing weighs RGB itself.
QImage rgbLuma(const MappedFrame &mapped, int width, int height, Rgb32 order)
{
    if (!planeFits(mapped, 0, width * 4, height))
        return {};
    QImage luma(width, height, QImage::Format_Grayscale8);
    for (int y = 0; y < height; ++y) {
        const uchar *src = mapped.bits(0) + qsizetype(y) * mapped.bytesPerLine(0);
        uchar *dst = luma.scanLine(y);
        for (int x = 0; x < width; ++x, src += 4)
            dst[x] = uchar((306 * src[order.r] + 601 * src[order.g] + 117 * src[order.b] + 0x200) >> 10);
    }
    return luma;
}

} // namespace

QImage lumaImage(const QVideoFrame &frame)
{
    if (!frame.isValid())
        return {};
    const MappedFrame mapped(frame);
    if (!mapped.isMapped())
        return {};
    const int w = frame.width();
    const int h = frame.height();
    if (w <= 0 || h <= 0)
        return {};

    using F = QVideoFrameFormat;
    switch (frame.pixelFormat()) {
    // Planar and semi-planar YUV: plane 0 is the Y plane.
    case F::Format_YUV420P:
    case F::Format_YUV422P:
    case F::Format_YV12:
    case F::Format_NV12:
    case F::Format_NV21:
    case F::Format_IMC1:
    case F::Format_IMC2:
    case F::Format_IMC3:
    case F::Format_IMC4:
    case F::Format_Y8:
        return copyPlane(mapped, w, h);
    // 16-bit samples with the value in the high bits: keep the high byte.
    case F::Format_Y16:
    case F::Format_P010:
    case F::Format_P016:
        return gatherLuma(mapped, w, h, {2, 1});
    case F::Format_YUV420P10:
        return shiftPlane10(mapped, w, h);
    // Packed YUV.
    case F::Format_YUYV:
        return gatherLuma(mapped, w, h, {2, 0});
    case F::Format_UYVY:
        return gatherLuma(mapped, w, h, {2, 1});
    case F::Format_AYUV:
    case F::Format_AYUV_Premultiplied:
        return gatherLuma(mapped, w, h, {4, 1});
    // 32-bit RGB, named in memory order.
    case F::Format_ARGB8888:
    case F::Format_ARGB8888_Premultiplied:
    case F::Format_XRGB8888:
        return rgbLuma(mapped, w, h, {1, 2, 3});
    case F::Format_BGRA8888:
    case F::Format_BGRA8888_Premultiplied:
    case F::Format_BGRX8888:
        return rgbLuma(mapped, w, h, {2, 1, 0});
    case F::Format_ABGR8888:
    case F::Format_XBGR8888:
        return rgbLuma(mapped, w, h, {3, 2, 1});
    case F::Format_RGBA8888:
    case F::Format_RGBX8888:
        return rgbLuma(mapped, w, h, {0, 1, 2});
    // Motion-JPEG cameras: each frame is a JPEG file.
    case F::Format_Jpeg:
        if (!mapped.bits(0) || mapped.mappedBytes(0) <= 0)
            return {};
        return QImage::fromData(mapped.bits(0), mapped.mappedBytes(0)).convertToFormat(QImage::Format_Grayscale8);
    case F::Format_Invalid:
    case F::Format_SamplerExternalOES:
    case F::Format_SamplerRect:
        return {};
    }
    return {};
}

QVideoFrame videoFrameFromImage(const QImage &image)
{
    if (image.isNull())
        return {};
    // A picture held up to a camera is printed on paper: transparency shows white.
    QImage rgb(image.size(), QImage::Format_RGBX8888);
    if (image.hasAlphaChannel()) {
        rgb.fill(Qt::white);
        QPainter painter(&rgb);
        painter.drawImage(0, 0, image);
    } else {
        rgb = image.convertToFormat(QImage::Format_RGBX8888);
    }
    // RGBX8888 is R, G, B, X in memory on every platform, as is the video format of that name.
    QVideoFrame frame(QVideoFrameFormat(rgb.size(), QVideoFrameFormat::Format_RGBX8888));
    if (!frame.isValid() || !frame.map(QVideoFrame::WriteOnly))
        return {};
    const int stride = frame.bytesPerLine(0);
    const qsizetype rowBytes = qsizetype(rgb.width()) * 4;
    if (stride < rowBytes) {
        frame.unmap();
        return {};
    }
    for (int y = 0; y < rgb.height(); ++y)
        std::memcpy(frame.bits(0) + qsizetype(y) * stride, rgb.constScanLine(y), size_t(rowBytes));
    frame.unmap();
    return frame;
}

} // namespace poptap
