#pragma once

#include "batchsender.h"
#include "localday.h"
#include "serviceconfig.h"

#include <QObject>
#include <QThread>

#include <memory>

namespace poptap::delivery {

class FanOutWorker;

// Product events → LINE messages. Expansion (which may write a million rows) and the batches'
// database work run on the fan-out thread over its own connection (FanOutWorker), so the
// service keeps answering LINE and phones; requests wait for their send slots on the caller's
// event loop (BatchSender). Stored events, deferred recipients and unsent batches are picked up
// again after a restart, and from other instances on the same database.
class FanOut : public QObject
{
    Q_OBJECT
public:
    using Clock = BatchSender::Clock; // ms since epoch
    // Messages are worded by EventMessageBuilder (core/messages/), with links to config.publicUrl.
    FanOut(const ServiceConfig &config, LineClient &line, Clock now = defaultClock(), QObject *parent = nullptr);
    // Records the answers that arrived; unanswered batches are given back for a resend.
    ~FanOut() override;

    // Looks for events to expand (and deferred recipients due) now rather than at the next poll.
    void kick();
    BatchSender &sender() { return *m_sender; }

    static Clock defaultClock();

Q_SIGNALS:
    void eventExpanded();

private:
    LocalDay m_days;
    QThread m_thread;
    FanOutWorker *m_worker; // lives on m_thread
    std::unique_ptr<BatchSender> m_sender;
};

} // namespace poptap::delivery
