#include "fanout.h"

#include "fanoutworker.h"

#include <QDateTime>

namespace poptap::delivery {

FanOut::Clock FanOut::defaultClock()
{
    return [] { return QDateTime::currentMSecsSinceEpoch(); };
}

FanOut::FanOut(const ServiceConfig &config, LineClient &line, Clock now, QObject *parent)
    : QObject(parent)
    , m_days(config.timeZone)
    , m_worker(new FanOutWorker(config, m_days, now))
    , m_sender(std::make_unique<BatchSender>(*m_worker, line, config.multicastPerSecond, now))
{
    m_worker->moveToThread(&m_thread);
    connect(&m_thread, &QThread::started, m_worker, [worker = m_worker, sender = m_sender.get()] { worker->start(sender); });
    connect(m_worker, &FanOutWorker::expanded, this, [this] {
        m_sender->kick();
        Q_EMIT eventExpanded();
    });
    m_thread.setObjectName(QStringLiteral("fan-out"));
    m_thread.start();
}

FanOut::~FanOut()
{
    // The worker stops handing things to the sender before the sender goes.
    const QStringList unanswered = m_sender->unanswered();
    QMetaObject::invokeMethod(m_worker, [worker = m_worker, unanswered] { worker->stop(unanswered); },
                              Qt::BlockingQueuedConnection);
    m_sender.reset();
    m_thread.quit();
    m_thread.wait();
    delete m_worker;
}

void FanOut::kick()
{
    QMetaObject::invokeMethod(m_worker, &FanOutWorker::work, Qt::QueuedConnection);
    m_sender->kick();
}

} // namespace poptap::delivery
