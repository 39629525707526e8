#pragma once

#include "batchsender.h"
#include "eventexpander.h"
#include "localday.h"
#include "sendratelimiter.h"
#include "serviceconfig.h"

#include <QObject>
#include <QThread>

#include <memory>

namespace poptap::delivery {

class ExpansionWorker;

// Product events → LINE messages. Expansion (which may write a million rows) runs on its own
// thread with its own database connection, so the service keeps answering LINE and phones;
// sending runs on the caller's event loop. Stored events, deferred recipients and unsent
// batches are picked up again after a restart, and from other instances on the same database.
class FanOut : public QObject
{
    Q_OBJECT
public:
    // Messages are worded by EventMessageBuilder (core/messages/), with links to config.publicUrl.
    FanOut(const ServiceConfig &config, ServiceDatabase &db, LineClient &line, QObject *parent = nullptr);
    ~FanOut() override;

    // Looks for events to expand (and deferred recipients due) now rather than at the next poll.
    void kick();
    BatchSender &sender() { return *m_sender; }
    SendRateLimiter &limiter() { return *m_limiter; }

    static constexpr int kPollMs = 1000;

Q_SIGNALS:
    void expansionWanted();
    void eventExpanded();

private:
    LocalDay m_days;
    std::unique_ptr<SendRateLimiter> m_limiter;
    std::unique_ptr<BatchSender> m_sender;
    QThread m_thread;
    ExpansionWorker *m_worker = nullptr; // lives on m_thread
};

} // namespace poptap::delivery
