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
    // toImage() maps and converts; only the newest frame is kept, so a backlog cannot build up.
    m_frame = frame.isValid() ? frame.toImage() : QImage();
    if (had != hasPicture())
        Q_EMIT hasPictureChanged();
    update();
}

void ViewfinderItem::paint(QPainter *painter)
{
    painter->fillRect(boundingRect(), Qt::black);
    if (m_frame.isNull())
        return;
    // Cover the item, cropping the longer side, like a phone's camera view.
    const QSizeF target = QSizeF(m_frame.size()).scaled(size(), Qt::KeepAspectRatioByExpanding);
    const QRectF rect((width() - target.width()) / 2, (height() - target.height()) / 2, target.width(), target.height());
    painter->setRenderHint(QPainter::SmoothPixmapTransform);
    painter->drawImage(rect, m_frame);
}

} // namespace poptap
