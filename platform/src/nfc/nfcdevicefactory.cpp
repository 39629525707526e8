#include "nfcdevicefactory.h"

#include "simnfcdevice.h"

namespace poptap {

NfcDeviceCreation createNfcDevice(const QString &spec)
{
    const QString backend = spec.section(QLatin1Char(':'), 0, 0).trimmed();
    if (backend == QLatin1String("sim"))
        return {std::make_unique<SimNfcDevice>(), {}};
    if (backend == QLatin1String("libnfc"))
        return {nullptr, QStringLiteral("NFC backend 'libnfc' is not built into this kiosk yet; use 'sim'")};
    return {nullptr, QStringLiteral("unknown NFC backend '%1' (expected 'sim' or 'libnfc:<connstring>')").arg(spec)};
}

} // namespace poptap
