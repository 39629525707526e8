#pragma once

#include "wire/heartbeatwire.h"

#include <QDateTime>

namespace poptap::sync {

// What the next heartbeat says besides the queue: reader health, counters and the errors
// seen since the last heartbeat the service accepted. An error stays until a heartbeat that
// carried it is answered, so an outage does not swallow the errors that explain it.
class HealthReport
{
public:
    void setReader(const wire::ComponentHealth &reader) { m_beat.reader = reader; }
    void setCamera(const std::optional<wire::ComponentHealth> &camera) { m_beat.camera = camera; }
    void setCounter(const QString &name, qint64 value) { m_beat.counters.insert(name, value); }
    void addError(const QDateTime &at, const QString &message) { m_beat.addRecentError(at, message); }

    // The heartbeat to send now; version, uptime and queue figures are the caller's.
    wire::Heartbeat snapshot() const { return m_beat; }
    // The service accepted `sent`: forget the errors it carried.
    void delivered(const wire::Heartbeat &sent);

private:
    wire::Heartbeat m_beat;
};

} // namespace poptap::sync
