#pragma once

#include "jsonreader.h"

namespace poptap::wire::rules {

// String formats used by more than one message (see components/schemas in kiosk-api.yaml).
const TextRule &enrollmentCode();  // 4 groups of 4 Crockford base-32 characters
const TextRule &deviceId();        // ^[A-Za-z0-9_-]{8,64}$
const TextRule &softwareVersion(); // ^[0-9A-Za-z][0-9A-Za-z.+~-]{0,31}$
const TextRule &machineCode();     // ^[a-z][a-z0-9_]{0,63}$
TextRule plainText(int maxLength); // any non-empty text without control characters

bool matches(const TextRule &rule, QStringView text);

} // namespace poptap::wire::rules
