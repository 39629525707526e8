#include "videoframes.h"

#include <QPainter>
#include <QVideoFrameFormat>

#include <cstring>

namespace poptap {
namespace {

// Where luminance sits in one pixel of a packed format: every `step` bytes, starting at `offset`.
struct PackedLuma {
    int step = 0;
    int offset = 0;
};

// Byte positions of R, G and B in a 32-bit pixel; Qt Multimedia names these formats in memory order.
struct Rgb32 {
    int r = 0, g = 0, b = 0;
};

// How luminance that is a plane of the frame reaches the caller.
enum class Plane { Copy, View };

bool planeFits(const QVideoFrame &mapped, int plane, int rowBytes, int height)
{
    const int stride = mapped.bytesPerLine(plane);
    return mapped.bits(plane) && stride >= rowBytes
        && qint64(mapped.mappedBytes(plane)) >= qint64(stride) * (height - 1) + rowBytes;
}

// An 8-bit image whose rows `fill(src, dst)` makes from the rows of plane 0, `rowBytes` each.
template<typename Fill>
QImage lumaFromRows(const QVideoFrame &mapped, int width, int height, int rowBytes, Fill fill)
{
    if (!planeFits(mapped, 0, rowBytes, height))
        return {};
    QImage luma(width, height, QImage::Format_Grayscale8);
    for (int y = 0; y < height; ++y)
        fill(mapped.bits(0) + qsizetype(y) * mapped.bytesPerLine(0), luma.scanLine(y));
    return luma;
}

// Every `step`-th byte from `offset` of each row, or the high byte of 16-bit samples (offset 1,
// step 2, little-endian), into an 8-bit image.
QImage gatherLuma(const QVideoFrame &mapped, int width, int height, PackedLuma layout)
{
    return lumaFromRows(mapped, width, height, width * layout.step, [&](const uchar *src, uchar *dst) {
        src += layout.offset;
        for (int x = 0; x < width; ++x)
            dst[x] = src[qsizetype(x) * layout.step];
    });
}

// The 8-bit Y plane: copied, or (Plane::View) the mapped plane itself, valid while it stays mapped.
QImage yPlane(const QVideoFrame &mapped, int width, int height, Plane access)
{
    if (access == Plane::Copy)
        return lumaFromRows(mapped, width, height, width,
                            [&](const uchar *src, uchar *dst) { std::memcpy(dst, src, size_t(width)); });
    if (!planeFits(mapped, 0, width, height))
        return {};
    return QImage(mapped.bits(0), width, height, mapped.bytesPerLine(0), QImage::Format_Grayscale8);
}

// 10-bit samples in the low bits of little-endian 16-bit words (YUV420P10).
QImage shiftPlane10(const QVideoFrame &mapped, int width, int height)
{
    return lumaFromRows(mapped, width, height, width * 2, [&](const uchar *src, uchar *dst) {
        for (int x = 0; x < width; ++x)
            dst[x] = uchar(((src[2 * x] | (src[2 * x + 1] << 8)) >> 2) & 0xff);
    });
}

// ITU-R BT.601 weights in 1/1024, as ZXing weighs RGB itself.
QImage rgbLuma(const QVideoFrame &mapped, int width, int height, Rgb32 order)
{
    return lumaFromRows(mapped, width, height, width * 4, [&](const uchar *src, uchar *dst) {
        for (int x = 0; x < width; ++x, src += 4)
            dst[x] = uchar((306 * src[order.r] + 601 * src[order.g] + 117 * src[order.b] + 0x200) >> 10);
    });
}

// The luminance of a frame mapped for reading.
QImage mappedLuma(const QVideoFrame &mapped, Plane access)
{
    const int w = mapped.width();
    const int h = mapped.height();
    if (w <= 0 || h <= 0)
        return {};

    using F = QVideoFrameFormat;
    switch (mapped.pixelFormat()) {
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
        return yPlane(mapped, w, h, access);
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

} // namespace

QImage lumaImage(const QVideoFrame &frame)
{
    QVideoFrame mapped(frame);
    if (!mapped.isValid() || !mapped.map(QVideoFrame::ReadOnly))
        return {};
    QImage luma = mappedLuma(mapped, Plane::Copy);
    mapped.unmap();
    return luma;
}

FrameLuma::FrameLuma(const QVideoFrame &frame) : m_frame(frame)
{
    m_mapped = m_frame.isValid() && m_frame.map(QVideoFrame::ReadOnly);
    if (m_mapped)
        m_image = mappedLuma(m_frame, Plane::View);
}

FrameLuma::~FrameLuma()
{
    m_image = QImage(); // may be a view of the plane: gone before the plane is
    if (m_mapped)
        m_frame.unmap();
}

int lumaCost(QVideoFrameFormat::PixelFormat format)
{
    using F = QVideoFrameFormat;
    switch (format) {
    case F::Format_NV12:
    case F::Format_NV21:
    case F::Format_YUV420P:
    case F::Format_YUV422P:
    case F::Format_YV12:
    case F::Format_YUYV:
    case F::Format_UYVY:
    case F::Format_Y8:
    case F::Format_Y16:
    case F::Format_AYUV:
    case F::Format_AYUV_Premultiplied:
    case F::Format_IMC1:
    case F::Format_IMC2:
    case F::Format_IMC3:
    case F::Format_IMC4:
    case F::Format_P010:
    case F::Format_P016:
    case F::Format_YUV420P10:
        return 0;
    case F::Format_ARGB8888:
    case F::Format_ARGB8888_Premultiplied:
    case F::Format_XRGB8888:
    case F::Format_BGRA8888:
    case F::Format_BGRA8888_Premultiplied:
    case F::Format_BGRX8888:
    case F::Format_ABGR8888:
    case F::Format_XBGR8888:
    case F::Format_RGBA8888:
    case F::Format_RGBX8888:
        return 1;
    case F::Format_Jpeg:
        return 2;
    case F::Format_Invalid:
    case F::Format_SamplerExternalOES:
    case F::Format_SamplerRect:
        return 3;
    }
    return 3;
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
