#pragma once

#include "postbackdata.h"
#include "servicedatabase.h"

namespace poptap::delivery {

// A shopper's subscriptions, as claims created them. Claims activate (ClaimService);
// here they are stopped.
class Subscriptions
{
public:
    explicit Subscriptions(ServiceDatabase &db);

    enum class Stop {
        Stopped,   // it was active and is stopped now
        NotActive, // already stopped, fulfilled, or never there: nothing changed
        Failed,    // the database did not answer; `error` says why
    };
    Stop stop(const QString &userId, const StopRequest &request, qint64 nowMs, QString *error);

private:
    ServiceDatabase &m_db;
};

} // namespace poptap::delivery
