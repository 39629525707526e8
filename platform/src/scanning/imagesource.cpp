#include "imagesource.h"

#include "scanninglogging.h"
#include "videoframes.h"

#include <QDir>
#include <QFileInfo>
#include <QImageReader>
#include <QVideoSink>

#include <cmath>

namespace poptap {
namespace {

bool isReadablePicture(const QString &file)
{
    QImageReader reader(file);
    return reader.canRead();
}

// "*.png", "*.jpg", ... for every format Qt can read here.
QStringList pictureNameFilters()
{
    QStringList filters;
    for (const QByteArray &format : QImageReader::supportedImageFormats())
        filters.append(QStringLiteral("*.") + QString::fromLatin1(format));
    return filters;
}

} // namespace

ImageSource::ImageSource(const QString &path, double fps, QObject *parent)
    : FrameSource(parent), m_path(path), m_sink(std::make_unique<QVideoSink>())
{
    if (!m_path.isEmpty()) {
        const QFileInfo info(m_path);
        if (info.isDir()) {
            const QDir dir(m_path);
            const QStringList names = dir.entryList(pictureNameFilters(), QDir::Files | QDir::Readable, QDir::Name | QDir::IgnoreCase);
            for (const QString &name : names) {
                const QString file = dir.filePath(name);
                if (isReadablePicture(file))
                    m_pictures.append(file);
            }
            if (m_pictures.isEmpty())
                m_absentReason = QStringLiteral("no readable pictures in %1").arg(m_path);
        } else if (info.isFile() && isReadablePicture(m_path)) {
            m_pictures.append(m_path);
        } else {
            m_absentReason = QStringLiteral("%1 is not a readable picture or folder").arg(m_path);
        }
    }
    if (fps > 0 && std::isfinite(fps))
        m_timer.setInterval(std::max(1, int(std::lround(1000.0 / fps))));
    connect(&m_timer, &QTimer::timeout, this, &ImageSource::deliverNext);
    updateStatus();
}

ImageSource::~ImageSource() = default;

QString ImageSource::backendName() const
{
    return QStringLiteral("images");
}

void ImageSource::start()
{
    if (m_started)
        return;
    m_started = true;
    updateStatus();
    if (m_timer.interval() > 0)
        m_timer.start();
    deliverNext(); // a camera's first frame comes at once, too
}

void ImageSource::stop()
{
    if (!m_started)
        return;
    m_started = false;
    m_timer.stop();
    m_shown = QImage(); // the picture held up goes with the shopper: the next start sees none
    updateStatus();
}

QVideoSink *ImageSource::videoSink() const
{
    return m_sink.get();
}

bool ImageSource::show(const QImage &image)
{
    if (image.isNull())
        return false;
    m_shown = image;
    updateStatus();
    if (m_started)
        deliverNext();
    return true;
}

bool ImageSource::showFile(const QString &file, QString *error)
{
    QImageReader reader(file);
    const QImage image = reader.read();
    if (image.isNull()) {
        if (error)
            *error = QStringLiteral("cannot read the picture %1: %2").arg(file, reader.errorString());
        return false;
    }
    return show(image);
}

void ImageSource::deliverNext()
{
    QImage image = m_shown;
    // A picture that became unreadable since the folder was listed is passed over.
    for (qsizetype tries = 0; image.isNull() && tries < m_pictures.size(); ++tries) {
        const QString file = m_pictures.at(m_next);
        m_next = (m_next + 1) % int(m_pictures.size());
        image.load(file);
        if (image.isNull())
            qCWarning(lcScanning) << "cannot read the picture" << file;
    }
    if (image.isNull())
        return;
    const QVideoFrame frame = videoFrameFromImage(image);
    if (frame.isValid())
        m_sink->setVideoFrame(frame);
}

void ImageSource::updateStatus()
{
    const bool hasPictures = !m_shown.isNull() || m_absentReason.isEmpty();
    if (!hasPictures)
        setStatus(Status::Absent, m_absentReason);
    else
        setStatus(m_started ? Status::Active : Status::Off);
}

} // namespace poptap
