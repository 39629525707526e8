#pragma once

#include "nfcdevice.h"

#include <memory>

namespace poptap {

struct NfcDeviceCreation {
    std::unique_ptr<NfcDevice> device; // null when error is set
    QString error;
};

// Chooses the NFC backend from a configuration string at run time, never by #ifdef:
// `sim`, and (with the libnfc backend) `libnfc:<connstring>`.
NfcDeviceCreation createNfcDevice(const QString &spec);

} // namespace poptap
