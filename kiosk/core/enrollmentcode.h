#pragma once

#include <QString>

namespace poptap {

// What staff type as the enrollment code, in the form the kiosk API requires: the 16
// Crockford base-32 characters `poptap-deliveryctl enrollment create` prints, in four
// groups of four ("7KQ2-M9XD-4PRT-W3HF"). Staff may type lower case, leave out or add
// dashes and spaces, and type O for 0 or I/L for 1, as Crockford's alphabet allows; a
// barcode scanner that types the code is just as welcome.
// Returns the canonical code, or an empty string when it cannot be one.
QString normalisedEnrollmentCode(const QString &typed);

} // namespace poptap
