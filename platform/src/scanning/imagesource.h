#pragma once

#include "framesource.h"

#include <QImage>
#include <QStringList>
#include <QTimer>

#include <memory>

namespace poptap {

// Still images as a camera: one picture or every picture of a folder (sorted by name), shown as
// frames at `fps`, round and round while started. show() puts one picture in front of the
// "camera" at once (the automation interface's way of holding a price tag up to it).
// A path with no readable picture is Absent (show() still works); an empty path is a camera
// that sees nothing until show().
class ImageSource : public FrameSource
{
    Q_OBJECT
public:
    // `path` may be empty: then only show() delivers frames. `fps` 0 (or less): no repeats, one
    // frame at start() and one at each show(), so that a test can hand over frames one by one.
    explicit ImageSource(const QString &path, double fps = 10, QObject *parent = nullptr);
    ~ImageSource() override;

    QString backendName() const override;
    void start() override;
    void stop() override;
    QVideoSink *videoSink() const override;

    // Shows `image` from now on (replacing the folder's pictures) until stop(); shown before
    // start(), it is the first frame. Returns false for a null image.
    bool show(const QImage &image);
    // Loads and shows a picture file; the error says why it could not be read.
    bool showFile(const QString &file, QString *error = nullptr);
    int pictureCount() const { return int(m_pictures.size()); }

private:
    void deliverNext();
    void updateStatus();

    QString m_path;
    QString m_absentReason; // why the path gave no pictures
    bool m_started = false;
    QStringList m_pictures;
    QImage m_shown;
    int m_next = 0;
    QTimer m_timer;
    std::unique_ptr<QVideoSink> m_sink;
};

} // namespace poptap
