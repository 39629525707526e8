#pragma once

#include <QString>
#include <QStringView>

#include <optional>

namespace poptap::gtin {

// GS1 trade item numbers as printed under barcodes: EAN-8, UPC-A (12 digits), EAN-13 / JAN and
// GTIN-14. All of them end in a mod-10 check digit (weights 3 and 1 from the right), and all of
// them, left-padded with zeros to 14 digits, are unique keys in one space (GS1 General
// Specifications, 3.3.2). That padded form is how the catalog and the kiosk compare codes.

// True when `digits` is 8, 12, 13 or 14 ASCII digits, whatever its check digit.
bool isWellFormed(QStringView digits);

// True when `digits` is well-formed and its last digit is the right check digit.
bool isValid(QStringView digits);

// The 14-digit form of a valid GTIN-8/12/13/14, or nothing for anything else.
std::optional<QString> toGtin14(QStringView digits);

// The check digit for `digitsWithoutCheck` (1 to 13 ASCII digits), or -1 when it is not digits.
int checkDigit(QStringView digitsWithoutCheck);

} // namespace poptap::gtin
