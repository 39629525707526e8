#pragma once

#include "batchstore.h"
#include "lineclient.h"

#include <QObject>
#include <QSet>
#include <QStringList>
#include <QTimer>

namespace poptap::delivery {

class FanOutWorker;

// Sends the batches EventExpander queued: a multicast per batch (a push for a batch of one),
// each at the slot the shared SendRateLimiter gave it, each with its stored X-Line-Retry-Key.
//
// The database work (leasing, building bodies, reserving slots, recording answers: BatchStore)
// runs on the fan-out thread, about two seconds of batches ahead of the slots. This thread
// only waits for slots and hands requests to LineClient, so a write waiting for a lock does
// not make requests late: a late request has to take a new slot at the end of the timeline,
// and the slot it missed is lost to everyone.
//
// A crash leaves leases that run out; the batch is then resent under its key, which LINE
// answers with 409 if the first request got through.
class BatchSender : public QObject
{
    Q_OBJECT
public:
    using Clock = BatchStore::Clock;
    // `worker` lives on another thread and outlives this object.
    BatchSender(FanOutWorker &worker, LineClient &line, int multicastPerSecond, Clock now, QObject *parent = nullptr);

    // Claims what is due and sends it at its slots; called again by itself while work remains.
    void kick();
    int inFlight() const { return int(m_inFlight.size()); }
    // Claimed batches whose answer is not recorded: given back when the service stops.
    QStringList unanswered() const { return {m_inFlight.cbegin(), m_inFlight.cend()}; }

    static constexpr qint64 kIdlePollMs = 1'000; // other instances' events and retries coming due
    static constexpr qint64 kClaimAheadMs = 2'000;
    // Slots start this far from the claim: time for the batches to reach this thread.
    static constexpr qint64 kLeadUs = 30'000;

Q_SIGNALS:
    // A batch reached a final state: "sent" or "failed".
    void batchFinished(const QString &eventId, int batchNo, const QString &state, int recipients);

private:
    friend class FanOutWorker; // hands back claimed batches, new slots and recorded answers
    void claimed(const QList<BatchStore::Ready> &ready);
    void reslotted(const BatchStore::Ready &ready);
    void recorded(const QList<BatchStore::Recorded> &done);
    void sendAt(const BatchStore::Ready &ready);
    void send(const BatchStore::Ready &ready);

    FanOutWorker &m_worker;
    LineClient &m_line;
    Clock m_now;
    int m_capacity; // batches waiting for their slots at most: kClaimAheadMs of multicast slots
    bool m_claiming = false;
    int m_asked = 0;          // batches the last claim asked for
    bool m_drained = false;   // it got fewer: nothing more is due until the next poll or expansion
    int m_waiting = 0;        // claimed, not yet handed to LineClient
    QSet<QString> m_inFlight; // retry keys: claimed, answer not yet recorded
    QTimer m_poll;
};

} // namespace poptap::delivery
