#pragma once

#include <QRandomGenerator>

#include <algorithm>

namespace poptap::delivery {

// When a LINE request is tried again after `attempts` failures: "full jitter", a uniformly
// random wait between 0 and min(cap, base · 2^attempts), so requests refused together do not
// come back together. (The kiosk's sync::Backoff is the same rule over a failure counter.)
inline qint64 fullJitterDelayMs(int attempts, qint64 baseMs, qint64 capMs)
{
    const qint64 bound = std::min(capMs, baseMs << std::min(attempts, 20));
    return qint64(QRandomGenerator::global()->bounded(double(bound)));
}

} // namespace poptap::delivery
