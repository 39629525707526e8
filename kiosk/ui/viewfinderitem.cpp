#include "viewfinderitem.h"

#include <QPainter>
#include <QVideoSink>

namespace poptap {

ViewfinderItem::ViewfinderItem(QQuickItem *parent)
    : QQuickPaintedItem(parent)
{
    setOpaquePainting(true);
}

QObject *ViewfinderItem::videoSink() const
{
    return m_sink.data();
}

void ViewfinderItem::setVideoSink(QObject *sink)
{
    auto *videoSink = qobject_cast<QVideoSink *>(sink);
    if (videoSink == m_sink)
        return;
    disconnect(m_connection);
    m_sink = videoSink;
    if (m_sink) {
        // Frames may come from the camera's own thread; `this` as context makes the call queued.
        m_connection = connect(m_sink, &QVideoSink::videoFrameChanged, this, &ViewfinderItem::onFrame);
    }
    onFrame(m_sink ? m_sink->videoFrame() : QVideoFrame());
    Q_EMIT videoSinkChanged();
}

void ViewfinderItem::onFrame(const QVideoFrame &frame)
{
    const bool had = hasPicture();
    // Only the newest frame is kept (a shared reference, no copy); it is converted when painted,
    // so frames that arrive faster than the screen draws cost nothing on the GUI thread.
    m_frame = frame;
    if (had != hasPicture())
        Q_EMIT hasPictureChanged();
    update();
}

void ViewfinderItem::paint(QPainter *painter)
{
    painter->fillRect(boundingRect(), Qt::black);
    const QImage picture = m_frame.isValid() ? m_frame.toImage() : QImage();
    if (picture.isNull())
        return;
    // Cover the item, cropping the longer side, like a phone's camera view.
    const QSizeF target = QSizeF(picture.size()).scaled(size(), Qt::KeepAspectRatioByExpanding);
    const QRectF rect((width() - target.width()) / 2, (height() - target.height()) / 2, target.width(), target.height());
    painter->setRenderHint(QPainter::SmoothPixmapTransform);
    painter->drawImage(rect, picture);
}

} // namespace poptap
