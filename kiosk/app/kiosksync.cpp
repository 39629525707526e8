#include "kiosksync.h"

#include "wire/enrollmentwire.h"

#include <QCoreApplication>
#include <QSysInfo>

namespace poptap {

sync::SyncSettings syncSettingsFor(const KioskConfig &config, const QByteArray &catalogETag)
{
    sync::SyncSettings settings;
    settings.serviceUrl = QUrl(config.serviceUrl);
    settings.dataDir = config.dataDir;
    settings.enrollmentCode = config.enrollmentCode;
    settings.deviceName = (config.deviceName.isEmpty() ? QSysInfo::machineHostName() : config.deviceName)
                              .left(wire::EnrollmentRequest::kMaxDeviceNameLength);
    settings.version = QCoreApplication::applicationVersion();
    settings.transport.tls = {config.caBundle, config.pinnedPublicKey.toLatin1(), config.clientCertificate, config.clientKey};
    settings.transport.proxy = config.proxy;
    settings.transport.userAgent = "poptap-kiosk/" + settings.version.toLatin1();
    settings.heartbeatInterval = std::chrono::seconds(config.heartbeatSeconds);
    settings.catalogInterval = std::chrono::seconds(config.catalogRefreshSeconds);
    settings.catalogETag = catalogETag;
    return settings;
}

} // namespace poptap
