#pragma once

#include "postbackdata.h"
#include "servicedatabase.h"

#include <QList>

#include <optional>

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

    // The user's active subscriptions, the most recently activated first; nullopt with
    // `error` set when the database did not answer.
    std::optional<QList<StopRequest>> active(const QString &userId, QString *error) const;
    // Stops every active subscription of the user, in one transaction, and returns those it
    // stopped (in the order of active()); nullopt with `error` set when nothing changed
    // because the database failed.
    std::optional<QList<StopRequest>> stopAll(const QString &userId, qint64 nowMs, QString *error);

    // Whether the user has this subscription in any state (active, stopped, fulfilled). The
    // LIFF page's API answers "not found" for one that was never theirs, whoever else has it.
    enum class Ownership { Owned, NotOwned, Failed };
    Ownership ownership(const QString &userId, const StopRequest &request, QString *error) const;

private:
    ServiceDatabase &m_db;
};

} // namespace poptap::delivery
