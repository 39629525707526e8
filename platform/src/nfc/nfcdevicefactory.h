#pragma once

#include "libnfcreader.h"
#include "nfcdevice.h"

#include <memory>

namespace poptap {

struct NfcDeviceCreation {
    std::unique_ptr<NfcDevice> device; // null when error is set
    QString error;
};

// Chooses the NFC backend from a configuration string at run time, never by #ifdef:
// `sim`, or `libnfc:<connstring>` (e.g. `libnfc:pn532_uart:/dev/ttyUSB0`). `emulation`
// picks the tag a libnfc reader shows phones: Type 4, or FeliCa (Type 3) where phones
// in the field read that better.
NfcDeviceCreation createNfcDevice(const QString &spec,
                                  LibnfcReader::Emulation emulation = LibnfcReader::Emulation::Type4);

} // namespace poptap
