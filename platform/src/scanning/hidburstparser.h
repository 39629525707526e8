#pragma once

#include <QString>

#include <cstdint>
#include <optional>

namespace poptap {

// Tells a handheld USB barcode scanner, which "types" a code as a burst of key presses ending in
// Enter, from a person at a keyboard. Pure logic: key presses with their time stamps in, decisions
// out, so it can be tested against recorded timings (tests/hid/data/keystroke-timings.json).
//
// A burst is a scan when it is at least `minDigits` and at most `maxDigits` digits, every gap
// between presses is at most `maxGapMs`, and it ends in Enter within `maxGapMs` of the last digit.
// It must also begin after a pause: a digit pressed within `maxGapMs` of any other key (a letter of
// an alphanumeric code, a key just given back) starts nothing, so the digit tail of a longer fast
// input is never taken for a scan. Anything else — a slower key, a letter, Enter too early or too
// late — ends the burst and gives its keys back.
class HidBurstParser
{
public:
    struct Settings {
        // Scanners send a key every 1-20 ms (two USB polls per key, bInterval 1-10 ms); people
        // rarely manage 35 ms once and never eight times in a row (tests/hid/data/README.md).
        // A scanner configured with an intercharacter delay of 35 ms or more is not recognised.
        int maxGapMs = 35;
        int minDigits = 8;     // EAN-8 (and UPC-E as transmitted) is the shortest product code
        int maxDigits = 14;    // GTIN-14 is the longest
    };

    enum class Verdict {
        Held,        // the key may be part of a scan: keep it back for now
        Scan,        // Enter completed a scan: scanned() has the digits; the held keys and the
                     // Enter are consumed
        Release,     // not a scan: give the held keys (and this one) back to the application
    };

    HidBurstParser();
    explicit HidBurstParser(Settings settings);

    // A key press at `timeMs` (any monotonic millisecond clock). `text` is what the key types
    // ("0".."9", or anything else; pass an empty text for a key that must not count as a digit,
    // such as Ctrl+5 or an auto-repeat); `isEnter` for Return and Enter.
    // Call expire() first when time has passed: a press more than maxGapMs after a held key
    // gives everything back, itself included, whereas after expire() a late digit may start a
    // new burst.
    Verdict press(std::int64_t timeMs, const QString &text, bool isEnter);
    // Time passes with no key: returns true when held keys must now be given back (the gap is
    // longer than a scanner's). Call it from a timer at deadline(), and before press().
    bool expire(std::int64_t timeMs);

    // The digits of the last Scan verdict.
    QString scanned() const { return m_scanned; }
    // The time from which expire() gives the held keys back (the last press + maxGapMs + 1),
    // while keys are held.
    std::optional<std::int64_t> deadline() const;
    bool isHolding() const { return !m_digits.isEmpty(); }
    const Settings &settings() const { return m_settings; }

private:
    bool withinGap(std::int64_t timeMs) const;

    Settings m_settings;
    QString m_digits;    // the held burst so far
    QString m_scanned;
    std::optional<std::int64_t> m_lastPressMs;   // of any key, held or not
};

} // namespace poptap
