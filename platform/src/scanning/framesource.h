#pragma once

#include <QObject>
#include <QString>

class QVideoSink;

namespace poptap {

// Where video frames come from: a camera through Qt Multimedia, or still images for tests and
// demos. Every source delivers into its QVideoSink, which the decode worker and the on-screen
// viewfinder both watch, so a test picture takes the camera's path from the sink on.
class FrameSource : public QObject
{
    Q_OBJECT
public:
    enum class Status { Off, Starting, Active, Absent, Error };
    Q_ENUM(Status)

    using QObject::QObject;
    ~FrameSource() override;

    virtual QString backendName() const = 0;
    // Frames flow only while started (the scan screen is open): the camera's light and CPU stay
    // off the rest of the time.
    virtual void start() = 0;
    virtual void stop() = 0;
    virtual QVideoSink *videoSink() const = 0;

    Status status() const { return m_status; }
    QString statusReason() const { return m_reason; }

Q_SIGNALS:
    void statusChanged();

protected:
    void setStatus(Status status, const QString &reason = {});

private:
    Status m_status = Status::Off;
    QString m_reason;
};

QString toString(FrameSource::Status status);

} // namespace poptap
