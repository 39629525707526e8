#include "framesource.h"

#include "scanninglogging.h"

#include <QMetaEnum>

Q_LOGGING_CATEGORY(lcScanning, "poptap.scanning")

namespace poptap {

FrameSource::~FrameSource() = default;

void FrameSource::setStatus(Status status, const QString &reason)
{
    if (status == m_status && reason == m_reason)
        return;
    m_status = status;
    m_reason = reason;
    if (reason.isEmpty())
        qCInfo(lcScanning).noquote() << backendName() << "frame source:" << toString(status);
    else
        qCInfo(lcScanning).noquote() << backendName() << "frame source:" << toString(status) << "-" << reason;
    Q_EMIT statusChanged();
}

QString toString(FrameSource::Status status)
{
    return QString::fromLatin1(QMetaEnum::fromType<FrameSource::Status>().valueToKey(int(status))).toLower();
}

} // namespace poptap
