#include "healthreport.h"

namespace poptap::sync {

void HealthReport::delivered(const wire::Heartbeat &sent)
{
    m_beat.recentErrors.removeIf([&](const wire::RecentError &e) { return sent.recentErrors.contains(e); });
}

} // namespace poptap::sync
