#pragma once

#include <QPointer>
#include <QQuickPaintedItem>
#include <QVideoFrame>
#include <QtQml/qqmlregistration.h>

class QVideoSink;

namespace poptap {

// The camera's picture on the scan screen. Paints the newest frame of a QVideoSink itself
// rather than through VideoOutput, so it shows on every scene-graph backend, including the
// software renderer the kiosk's tests and GPU-less store PCs use.
class ViewfinderItem : public QQuickPaintedItem
{
    Q_OBJECT
    QML_NAMED_ELEMENT(Viewfinder)
    // A QVideoSink (KioskSession.videoSink); null shows nothing.
    Q_PROPERTY(QObject *videoSink READ videoSink WRITE setVideoSink NOTIFY videoSinkChanged)
    Q_PROPERTY(bool hasPicture READ hasPicture NOTIFY hasPictureChanged)

public:
    explicit ViewfinderItem(QQuickItem *parent = nullptr);

    QObject *videoSink() const;
    void setVideoSink(QObject *sink);
    bool hasPicture() const { return m_frame.isValid(); }

    void paint(QPainter *painter) override;

Q_SIGNALS:
    void videoSinkChanged();
    void hasPictureChanged();

private:
    void onFrame(const QVideoFrame &frame);

    QPointer<QVideoSink> m_sink;
    QMetaObject::Connection m_connection;
    QVideoFrame m_frame;
};

} // namespace poptap
