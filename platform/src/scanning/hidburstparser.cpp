#include "hidburstparser.h"

namespace poptap {

namespace {

bool isDigit(const QString &text)
{
    return text.size() == 1 && text.at(0) >= u'0' && text.at(0) <= u'9';
}

} // namespace

HidBurstParser::HidBurstParser()
    : HidBurstParser(Settings{})
{
}

HidBurstParser::HidBurstParser(Settings settings)
    : m_settings(settings)
{
    Q_ASSERT(m_settings.maxGapMs >= 0);
    Q_ASSERT(m_settings.minDigits >= 1 && m_settings.minDigits <= m_settings.maxDigits);
}

bool HidBurstParser::withinGap(std::int64_t timeMs) const
{
    return m_lastPressMs && timeMs - *m_lastPressMs <= m_settings.maxGapMs;
}

HidBurstParser::Verdict HidBurstParser::press(std::int64_t timeMs, const QString &text, bool isEnter)
{
    const bool digit = !isEnter && isDigit(text);
    const bool inTime = withinGap(timeMs);
    m_lastPressMs = timeMs;

    if (isHolding()) {
        if (inTime && digit && m_digits.size() < m_settings.maxDigits) {
            m_digits += text;
            return Verdict::Held;
        }
        const bool scan = inTime && isEnter && m_digits.size() >= m_settings.minDigits;
        if (scan)
            m_scanned = m_digits;
        m_digits.clear();
        return scan ? Verdict::Scan : Verdict::Release;
    }

    // Only a digit after a pause may start a burst.
    if (digit && !inTime) {
        m_digits = text;
        return Verdict::Held;
    }
    return Verdict::Release;
}

bool HidBurstParser::expire(std::int64_t timeMs)
{
    if (!isHolding() || withinGap(timeMs))
        return false;
    m_digits.clear();
    return true;
}

std::optional<std::int64_t> HidBurstParser::deadline() const
{
    if (!isHolding())
        return std::nullopt;
    return *m_lastPressMs + m_settings.maxGapMs + 1;
}

} // namespace poptap
