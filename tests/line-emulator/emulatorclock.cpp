#include "emulatorclock.h"

namespace poptap::lineemu {

EmulatorClock::EmulatorClock()
{
    m_elapsed.start();
    m_epochAtStart = QDateTime::currentMSecsSinceEpoch();
}

qint64 EmulatorClock::monotonicMs() const
{
    return (m_frozenAt ? *m_frozenAt : m_elapsed.elapsed()) + m_offset;
}

qint64 EmulatorClock::epochMs() const
{
    return m_epochAtStart + monotonicMs();
}

void EmulatorClock::advance(qint64 ms)
{
    if (ms > 0)
        m_offset += ms;
}

void EmulatorClock::setFrozen(bool frozen)
{
    if (frozen && !m_frozenAt) {
        m_frozenAt = m_elapsed.elapsed();
    } else if (!frozen && m_frozenAt) {
        m_offset -= m_elapsed.elapsed() - *m_frozenAt; // resume from the frozen instant
        m_frozenAt.reset();
    }
}

void EmulatorClock::reset()
{
    m_elapsed.restart();
    m_epochAtStart = QDateTime::currentMSecsSinceEpoch();
    m_offset = 0;
    m_frozenAt.reset();
}

} // namespace poptap::lineemu
