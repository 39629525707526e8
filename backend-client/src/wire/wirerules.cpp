#include "wirerules.h"

namespace poptap::wire::rules {

const TextRule &enrollmentCode()
{
    // Crockford base 32 leaves out I, L, O and U; 16 characters carry 80 bits.
    static const QRegularExpression pattern(
        QStringLiteral("^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$"));
    static const TextRule rule{19, 19, &pattern,
                               "4 groups of 4 upper-case Crockford base-32 characters, like \"7KQ2-M9XD-4PRT-W3HF\""};
    return rule;
}

const TextRule &deviceId()
{
    static const QRegularExpression pattern(QStringLiteral("^[A-Za-z0-9_-]{8,64}$"));
    static const TextRule rule{8, 64, &pattern, "8 to 64 characters of A-Z, a-z, 0-9, '_' and '-'"};
    return rule;
}

const TextRule &softwareVersion()
{
    static const QRegularExpression pattern(QStringLiteral("^[0-9A-Za-z][0-9A-Za-z.+~-]{0,31}$"));
    static const TextRule rule{1, 32, &pattern, "a version like \"0.1.0\" (letters, digits, '.', '+', '~', '-')"};
    return rule;
}

const TextRule &machineCode()
{
    static const QRegularExpression pattern(QStringLiteral("^[a-z][a-z0-9_]{0,63}$"));
    static const TextRule rule{1, 64, &pattern, "a lower-case machine code like \"bad_signature\""};
    return rule;
}

TextRule plainText(int maxLength)
{
    return TextRule{1, maxLength};
}

bool matches(const TextRule &rule, QStringView text)
{
    if (hasControlCharacters(text) || !text.isValidUtf16())
        return false;
    const qsizetype length = characterCount(text);
    if (length < rule.minLength || length > rule.maxLength)
        return false;
    return (!rule.pattern || rule.pattern->match(text).hasMatch());
}

} // namespace poptap::wire::rules
