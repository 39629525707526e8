#pragma once

#include "batchstore.h"
#include "eventexpander.h"
#include "localday.h"
#include "sendratelimiter.h"
#include "serviceconfig.h"

#include <QObject>
#include <QStringList>
#include <QTimer>

#include <memory>

namespace poptap::delivery {

class BatchSender;
class EventMessageBuilder;

// Everything the fan-out does in the database, on the fan-out thread over its own connection:
// expanding events (EventExpander) and leasing, slotting and recording batches (BatchStore).
//
// One thread for both, because on SQLite they would otherwise wait for each other's write
// lock, and SQLite's busy wait lets the expander take the lock back between its chunks for
// seconds. Here expansion goes one chunk per turn of the event loop, so a claim from
// BatchSender waits at most for one chunk, and BatchSender claims two seconds ahead.
class FanOutWorker : public QObject
{
    Q_OBJECT
public:
    FanOutWorker(ServiceConfig config, const LocalDay &days, BatchStore::Clock now);
    ~FanOutWorker() override;

    // Called on the fan-out thread. Answers to claims go to `sender` (on its own thread),
    // until stop().
    void start(BatchSender *sender);
    // Records the answers that arrived; batches still out are given back for a resend.
    void stop(const QStringList &unanswered);

    // Expands events, one chunk per call, and releases deferred recipients whose day came.
    void work();
    void claim(int count, qint64 leadUs);
    void reslot(const BatchStore::Ready &late);
    void answered(const BatchStore::Result &result);

    static constexpr int kPollMs = 1000;

Q_SIGNALS:
    void expanded();

private:
    static constexpr int kFlushAfterMs = 20; // answers are written together, one transaction per round

    void flush();
    void scheduleWork();

    ServiceConfig m_config;
    const LocalDay &m_days;
    BatchStore::Clock m_now;
    BatchSender *m_sender = nullptr;
    std::unique_ptr<ServiceDatabase> m_db;
    std::unique_ptr<EventMessageBuilder> m_messages;
    std::unique_ptr<EventExpander> m_expander;
    std::unique_ptr<SendRateLimiter> m_limiter;
    std::unique_ptr<BatchStore> m_store;
    QTimer *m_poll = nullptr;
    QTimer *m_flush = nullptr;
    bool m_workScheduled = false;
    QList<BatchStore::Result> m_results;
};

} // namespace poptap::delivery
