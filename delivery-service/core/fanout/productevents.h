#pragma once

#include "chains.h"
#include "productevent.h"
#include "servicedatabase.h"
#include "targetnames.h"

#include <QHash>

namespace poptap::delivery {

// The merchant's side of product events: an event is checked against the chain's stores and
// catalogs, stored (before the merchant hears 202), and its progress reported.
class ProductEvents
{
public:
    using Clock = std::function<qint64()>; // ms since epoch
    ProductEvents(ServiceDatabase &db, Clock now);

    enum class Outcome {
        Accepted,  // stored now; the fan-out takes it from here
        Repeated,  // this eventId was posted before with the same content: nothing new
        Conflict,  // this eventId was posted before with other content
        Unknown,   // the store, brand or variant is not the chain's: `message` says which
        Failed,    // the database did not answer
    };
    struct Submitted {
        Outcome outcome = Outcome::Failed;
        QString id;      // the service's id of the event
        QString message;
    };
    Submitted submit(const Chains::Chain &chain, const ProductEvent &event);

    struct Progress {
        QString id;
        QString merchantEventId;
        QString state;              // received, expanded
        QHash<QString, qint64> recipients; // by delivery state: queued, unfollowed, capped, deferred
        qint64 delivered = 0;       // recipients in batches LINE accepted
        qint64 failed = 0;          // recipients in batches LINE refused for good
        int batchesPending = 0;
        int batchesSent = 0;
        int batchesFailed = 0;
    };
    std::optional<Progress> progress(std::int64_t chainId, const QString &id) const;

private:
    QString unknownTarget(const Chains::Chain &chain, const ProductEvent &event) const;

    ServiceDatabase &m_db;
    Clock m_now;
    Chains m_chains;
    TargetNames m_names;
};

QString toString(ProductEvents::Outcome outcome);

} // namespace poptap::delivery
