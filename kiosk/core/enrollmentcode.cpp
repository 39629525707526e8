#include "enrollmentcode.h"

#include "wire/enrollmentwire.h"

namespace poptap {

QString normalisedEnrollmentCode(const QString &typed)
{
    constexpr int kCharacters = 16;
    QString compact;
    // NFKC folds what a Japanese input method in full-width mode types (７ＫＱ２) into ASCII.
    for (const QChar c : typed.normalized(QString::NormalizationForm_KC)) {
        // Dashes of any kind, and the long-vowel mark an input method may give for one.
        if (c.isSpace() || c.category() == QChar::Punctuation_Dash || c == u'ー')
            continue;
        const QChar upper = c.toUpper();
        // Crockford base 32 reads the letters that look like digits as those digits.
        if (upper == u'O')
            compact += u'0';
        else if (upper == u'I' || upper == u'L')
            compact += u'1';
        else
            compact += upper;
        if (compact.size() > kCharacters)
            return {};
    }
    if (compact.size() != kCharacters)
        return {};
    QString code;
    for (int i = 0; i < kCharacters; i += 4)
        code += (i ? QStringLiteral("-") : QString()) + compact.mid(i, 4);
    return wire::isValidEnrollmentCode(code) ? code : QString();
}

} // namespace poptap
