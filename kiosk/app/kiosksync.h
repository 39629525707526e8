#pragma once

#include "kioskconfig.h"
#include "syncsettings.h"

namespace poptap {

// The sync engine's settings from kiosk.conf: the service, the enrollment code, TLS
// (CA bundle, pin, client certificate), proxy and periods.
sync::SyncSettings syncSettingsFor(const KioskConfig &config, const QByteArray &catalogETag);

} // namespace poptap
