#include "framesourcefactory.h"

#include "camerasource.h"
#include "imagesource.h"

#include <QFileInfo>

namespace poptap {
namespace {

const QString kExpected = QStringLiteral("expected none, auto, camera:<id or name> or images:<file or folder>");

std::unique_ptr<FrameSource> refuse(QString *error, const QString &why)
{
    if (error)
        *error = why;
    return nullptr;
}

} // namespace

std::unique_ptr<FrameSource> createFrameSource(const QString &spec, QString *error)
{
    if (error)
        error->clear();
    const QString trimmed = spec.trimmed();
    if (trimmed == QLatin1String("none"))
        return nullptr;
    if (trimmed == QLatin1String("auto"))
        return std::make_unique<CameraSource>(trimmed);

    const QString kind = trimmed.section(QLatin1Char(':'), 0, 0).trimmed();
    const QString argument = trimmed.section(QLatin1Char(':'), 1).trimmed();
    if (trimmed.contains(QLatin1Char(':')) && kind == QLatin1String("camera")) {
        if (argument.isEmpty())
            return refuse(error, QStringLiteral("'camera:' needs a camera id or part of its name, e.g. camera:C920 "
                                                "('auto' is the default camera)"));
        return std::make_unique<CameraSource>(argument);
    }
    if (trimmed.contains(QLatin1Char(':')) && kind == QLatin1String("images")) {
        if (!argument.isEmpty() && !QFileInfo::exists(argument))
            return refuse(error, QStringLiteral("there is no picture file or folder at %1 (%2)").arg(argument, trimmed));
        return std::make_unique<ImageSource>(argument);
    }
    if (trimmed.isEmpty())
        return refuse(error, QStringLiteral("no camera given (%1)").arg(kExpected));
    return refuse(error, QStringLiteral("unknown camera '%1' (%2)").arg(spec, kExpected));
}

} // namespace poptap
