#include "batchsender.h"

#include "fanoutworker.h"

#include <QPointer>

namespace poptap::delivery {

BatchSender::BatchSender(FanOutWorker &worker, LineClient &line, int multicastPerSecond, Clock now, QObject *parent)
    : QObject(parent)
    , m_worker(worker)
    , m_line(line)
    , m_now(std::move(now))
    , m_capacity(int(multicastPerSecond * kClaimAheadMs / 1000))
{
    connect(&m_poll, &QTimer::timeout, this, &BatchSender::kick);
    m_poll.start(int(kIdlePollMs));
}

void BatchSender::kick()
{
    // Refilled when a quarter of the claimed time is used: enough to keep every slot used
    // while the fan-out thread expands a chunk, few enough that leases never run out. Answers
    // not yet recorded (the fan-out thread records them between chunks) take no slot.
    const int room = m_capacity - m_waiting;
    if (m_claiming || room < m_capacity / 4)
        return;
    m_claiming = true;
    m_asked = room;
    QMetaObject::invokeMethod(&m_worker, [worker = &m_worker, room] { worker->claim(room, kLeadUs); });
}

void BatchSender::claimed(const QList<BatchStore::Ready> &ready)
{
    m_claiming = false;
    m_drained = ready.size() < m_asked;
    for (const BatchStore::Ready &batch : ready) {
        // Our own lease ran out while LINE was slow: the request out there stands for it.
        if (m_inFlight.contains(batch.batch.retryKey))
            continue;
        m_inFlight.insert(batch.batch.retryKey);
        ++m_waiting;
        sendAt(batch);
    }
}

void BatchSender::reslotted(const BatchStore::Ready &ready)
{
    if (ready.slotUs >= 0) {
        sendAt(ready);
        return;
    }
    // No new slot without the database: its lease runs out and a later round takes it.
    m_inFlight.remove(ready.batch.retryKey);
    --m_waiting;
}

void BatchSender::sendAt(const BatchStore::Ready &ready)
{
    atSlot(this, ready.slotUs, [now = m_now] { return now() * 1000; }, [this, ready](bool onTime) {
        if (onTime)
            send(ready);
        else
            QMetaObject::invokeMethod(&m_worker, [worker = &m_worker, ready] { worker->reslot(ready); });
    });
}

void BatchSender::send(const BatchStore::Ready &ready)
{
    --m_waiting;
    if (!m_drained) // more may be expanded already: keep two seconds of batches waiting
        kick();
    // The answer goes straight to the fan-out thread; LINE may answer after this object is gone.
    const auto done = [worker = QPointer<FanOutWorker>(&m_worker), batch = ready.batch](const LineClient::Push &answer) {
        if (worker)
            QMetaObject::invokeMethod(worker, [worker, result = BatchStore::Result{batch, answer}] {
                worker->answered(result);
            });
    };
    if (ready.batch.isPush())
        m_line.push(ready.body, ready.batch.retryKey, done);
    else
        m_line.multicast(ready.body, ready.batch.retryKey, done);
}

void BatchSender::recorded(const QList<BatchStore::Recorded> &done)
{
    for (const BatchStore::Recorded &batch : done) {
        m_inFlight.remove(batch.batch.retryKey);
        if (batch.final)
            Q_EMIT batchFinished(batch.batch.eventId, batch.batch.batchNo,
                                 batch.delivered ? QStringLiteral("sent") : QStringLiteral("failed"),
                                 batch.batch.recipients);
    }
    kick();
}

} // namespace poptap::delivery
