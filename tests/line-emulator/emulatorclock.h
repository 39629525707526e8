#pragma once

#include <QDateTime>
#include <QElapsedTimer>

#include <optional>

namespace poptap::lineemu {

// The emulator's sense of time: monotonic for rate-limit windows, and a wall clock that
// moves with it for token expiry, retry-key lifetime and webhook timestamps. Tests freeze it
// (deterministic rate limits) or move it forward (a 24 h retry-key window in no time).
class EmulatorClock
{
public:
    EmulatorClock();

    qint64 monotonicMs() const;
    qint64 epochMs() const;
    QDateTime now() const { return QDateTime::fromMSecsSinceEpoch(epochMs(), Qt::UTC); }

    void advance(qint64 ms);
    void setFrozen(bool frozen);
    bool isFrozen() const { return m_frozenAt.has_value(); }
    // Back to real time (unfrozen, no offset).
    void reset();

private:
    QElapsedTimer m_elapsed;
    qint64 m_epochAtStart = 0;
    qint64 m_offset = 0;
    std::optional<qint64> m_frozenAt; // raw elapsed time when frozen
};

} // namespace poptap::lineemu
