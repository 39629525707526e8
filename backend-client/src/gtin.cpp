#include "gtin.h"

namespace poptap::gtin {
namespace {

// Only '0'..'9': QChar::isDigit() would also take full-width and other scripts' digits.
bool isAsciiDigits(QStringView s)
{
    for (QChar c : s) {
        if (c.unicode() < u'0' || c.unicode() > u'9')
            return false;
    }
    return true;
}

} // namespace

bool isWellFormed(QStringView digits)
{
    const qsizetype n = digits.size();
    return (n == 8 || n == 12 || n == 13 || n == 14) && isAsciiDigits(digits);
}

int checkDigit(QStringView digitsWithoutCheck)
{
    if (digitsWithoutCheck.isEmpty() || digitsWithoutCheck.size() > 13 || !isAsciiDigits(digitsWithoutCheck))
        return -1;
    // The digit next to the check digit weighs 3, the one before it 1, and so on leftwards.
    int sum = 0;
    int weight = 3;
    for (qsizetype i = digitsWithoutCheck.size() - 1; i >= 0; --i) {
        sum += (digitsWithoutCheck[i].unicode() - u'0') * weight;
        weight = 4 - weight;
    }
    return (10 - sum % 10) % 10;
}

bool isValid(QStringView digits)
{
    if (!isWellFormed(digits))
        return false;
    return checkDigit(digits.chopped(1)) == digits.back().unicode() - u'0';
}

std::optional<QString> toGtin14(QStringView digits)
{
    if (!isValid(digits))
        return std::nullopt;
    QString padded(14 - digits.size(), u'0');
    return padded.append(digits);
}

} // namespace poptap::gtin
