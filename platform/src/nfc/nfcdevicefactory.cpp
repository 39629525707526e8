#include "nfcdevicefactory.h"

#include "libnfcdevice.h"
#include "simnfcdevice.h"

#include <algorithm>

namespace poptap {

NfcDeviceCreation createNfcDevice(const QString &spec, LibnfcReader::Emulation emulation)
{
    const QString backend = spec.section(QLatin1Char(':'), 0, 0).trimmed();
    if (backend == QLatin1String("sim") && spec.trimmed() == backend)
        return {std::make_unique<SimNfcDevice>(), {}};
    if (backend == QLatin1String("libnfc")) {
        const QString connstring = spec.section(QLatin1Char(':'), 1).trimmed();
        // libnfc's connstrings are ASCII: driver:port[:speed].
        const bool ascii = std::all_of(connstring.cbegin(), connstring.cend(), [](QChar c) { return c.unicode() < 0x80; });
        if (!ascii || !connstring.contains(QLatin1Char(':')) || connstring.size() > 1000)
            return {nullptr, QStringLiteral("NFC backend '%1' needs a libnfc connstring, e.g. "
                                            "libnfc:pn532_uart:/dev/ttyUSB0")
                                 .arg(spec)};
        LibnfcDevice::Options options;
        options.connstring = connstring.toLatin1();
        options.emulation = emulation;
        return {std::make_unique<LibnfcDevice>(options), {}};
    }
    return {nullptr, QStringLiteral("unknown NFC backend '%1' (expected 'sim' or 'libnfc:<connstring>')").arg(spec)};
}

} // namespace poptap
