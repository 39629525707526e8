#include "fanoutworker.h"

#include "batchsender.h"
#include "deliverylogging.h"
#include "messages/eventmessagebuilder.h"

#include <QJsonDocument>

namespace poptap::delivery {

FanOutWorker::FanOutWorker(ServiceConfig config, const LocalDay &days, BatchStore::Clock now)
    : m_config(std::move(config))
    , m_days(days)
    , m_now(std::move(now))
{
}

FanOutWorker::~FanOutWorker() = default;

void FanOutWorker::start(BatchSender *sender)
{
    m_sender = sender;
    m_db = std::make_unique<ServiceDatabase>(QStringLiteral("poptap-fanout-%1").arg(quintptr(this)));
    if (const QString error = m_db->open(m_config.database, m_config.sqlitePath()); !error.isEmpty())
        qCCritical(lcFanOut).noquote() << "fan-out cannot open the database:" << error;
    // The builder stores each event's tracked link on this connection, inside the expansion.
    m_messages = std::make_unique<EventMessageBuilder>(*m_db, m_config.publicUrl);
    const auto word = [this](const EventExpander::Stored &stored, const Chains::Chain &chain) {
        QString error;
        const QJsonArray messages = m_messages->build(stored.id, chain, stored.event, &error);
        if (messages.isEmpty()) {
            qCWarning(lcFanOut).noquote() << "event" << stored.id << "cannot be worded:" << error;
            return QByteArray();
        }
        return QJsonDocument(messages).toJson(QJsonDocument::Compact);
    };
    m_expander = std::make_unique<EventExpander>(*m_db, m_days, word, m_now);
    m_limiter = std::make_unique<SendRateLimiter>(*m_db, m_config.pushPerSecond, m_config.multicastPerSecond,
                                                  [now = m_now] { return now() * 1000; });
    m_store = std::make_unique<BatchStore>(*m_db, *m_limiter, m_days, m_now);
    m_poll = new QTimer(this);
    connect(m_poll, &QTimer::timeout, this, &FanOutWorker::work);
    m_poll->start(kPollMs);
    m_flush = new QTimer(this);
    m_flush->setSingleShot(true);
    connect(m_flush, &QTimer::timeout, this, &FanOutWorker::flush);
    work();
}

void FanOutWorker::stop(const QStringList &unanswered)
{
    if (!m_store)
        return;
    flush();
    m_store->release(unanswered);
    delete std::exchange(m_poll, nullptr);
    delete std::exchange(m_flush, nullptr);
    m_sender = nullptr; // about to be deleted: nothing more is handed to it
    m_store.reset();
    m_limiter.reset();
    m_expander.reset();
    m_messages.reset();
    m_db.reset();
}

void FanOutWorker::work()
{
    m_workScheduled = false;
    if (!m_expander)
        return;
    for (const auto step : {&EventExpander::expandNext, &EventExpander::releaseNextDeferred}) {
        QString error;
        const EventExpander::Step result = (m_expander.get()->*step)(&error);
        if (result == EventExpander::Step::Failed)
            qCWarning(lcFanOut).noquote() << "expansion failed, retried at the next poll:" << error;
        if (result == EventExpander::Step::Done) {
            Q_EMIT expanded();
            // The next chunk after whatever BatchSender asked for meanwhile.
            scheduleWork();
            return;
        }
    }
}

void FanOutWorker::scheduleWork()
{
    if (m_workScheduled)
        return;
    m_workScheduled = true;
    QMetaObject::invokeMethod(this, &FanOutWorker::work, Qt::QueuedConnection);
}

void FanOutWorker::claim(int count, qint64 leadUs)
{
    if (!m_store)
        return;
    QList<BatchStore::Result> refused;
    const QList<BatchStore::Ready> ready = m_store->claim(count, leadUs, &refused);
    for (const BatchStore::Result &result : refused)
        answered(result);
    QMetaObject::invokeMethod(m_sender, [sender = m_sender, ready] { sender->claimed(ready); });
}

void FanOutWorker::reslot(const BatchStore::Ready &late)
{
    if (!m_store)
        return;
    BatchStore::Ready again = late;
    again.slotUs = m_store->reslot(late.batch.endpoint()).value_or(-1);
    QMetaObject::invokeMethod(m_sender, [sender = m_sender, again] { sender->reslotted(again); });
}

void FanOutWorker::answered(const BatchStore::Result &result)
{
    if (!m_flush) // stopped: the lease runs out and the batch is resent under its key
        return;
    m_results.append(result);
    if (!m_flush->isActive())
        m_flush->start(kFlushAfterMs);
}

void FanOutWorker::flush()
{
    if (m_results.isEmpty() || !m_store)
        return;
    const QList<BatchStore::Recorded> done = m_store->record(std::exchange(m_results, {}));
    QMetaObject::invokeMethod(m_sender, [sender = m_sender, done] { sender->recorded(done); });
}

} // namespace poptap::delivery
