#pragma once

#include <QString>

#include <cstdint>
#include <optional>

namespace poptap {

// Tells a handheld USB barcode scanner, which "types" a code as a burst of key presses ending in
// Enter, from a person at a keyboard. Pure logic: key presses with their time stamps in, decisions
// out, so it can be tested against recorded timings.
//
// A burst is a scan when it is at least `minDigits` digits, every gap between presses is at most
// `maxGapMs`, and it ends in Enter within `maxGapMs` of the last digit. Anything else — a slower
// key, a letter, Enter too early or too late — ends the burst and gives its keys back.
class HidBurstParser
{
public:
    struct Settings {
        int maxGapMs = 35;     // scanners send a key every 1-16 ms; people rarely manage 35 ms eight times in a row
        int minDigits = 8;     // EAN-8 is the shortest product code
        int maxDigits = 14;    // GTIN-14 is the longest
    };

    enum class Verdict {
        Held,        // the key may be part of a scan: keep it back for now
        Scan,        // Enter completed a scan: scanned() has the digits; the held keys are consumed
        Release,     // not a scan: give the held keys (and this one) back to the application
    };

    HidBurstParser();
    explicit HidBurstParser(Settings settings);

    // A key press at `timeMs` (any monotonic millisecond clock). `text` is what the key types
    // ("0".."9", or anything else); `isEnter` for Return and Enter.
    Verdict press(std::int64_t timeMs, const QString &text, bool isEnter);
    // Time passes with no key: returns true when held keys must now be given back (the gap is
    // longer than a scanner's). Call it from a timer at `timeMs` >= the last press + maxGapMs.
    bool expire(std::int64_t timeMs);

    // The digits of the last Scan verdict.
    QString scanned() const { return m_scanned; }
    // The time by which expire() should be called, while keys are held.
    std::optional<std::int64_t> deadline() const;
    bool isHolding() const { return m_held > 0; }
    const Settings &settings() const { return m_settings; }

private:
    void reset();

    Settings m_settings;
    QString m_digits;
    QString m_scanned;
    int m_held = 0;
    std::int64_t m_lastPressMs = 0;
};

} // namespace poptap
