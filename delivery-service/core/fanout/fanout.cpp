#include "fanout.h"

#include "deliverylogging.h"
#include "messages/eventmessagebuilder.h"

#include <QJsonDocument>

#include <QDateTime>
#include <QTimer>

namespace poptap::delivery {

// Runs EventExpander on the fan-out thread, over its own connection.
class ExpansionWorker : public QObject
{
    Q_OBJECT
public:
    ExpansionWorker(ServiceConfig config, const LocalDay &days)
        : m_config(std::move(config))
        , m_days(days)
    {
    }

    void start()
    {
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
        m_expander = std::make_unique<EventExpander>(*m_db, m_days, word, [] { return QDateTime::currentMSecsSinceEpoch(); });
        m_poll = new QTimer(this);
        connect(m_poll, &QTimer::timeout, this, &ExpansionWorker::work);
        m_poll->start(FanOut::kPollMs);
        work();
    }

    void stop()
    {
        delete m_poll;
        m_expander.reset();
        m_messages.reset();
        m_db.reset();
    }

    void work()
    {
        if (!m_expander)
            return;
        bool any = false;
        for (const auto step : {&EventExpander::expandNext, &EventExpander::releaseNextDeferred}) {
            for (;;) {
                QString error;
                const EventExpander::Step result = (m_expander.get()->*step)(&error);
                if (result == EventExpander::Step::Failed)
                    qCWarning(lcFanOut).noquote() << "expansion failed, retried at the next poll:" << error;
                if (result != EventExpander::Step::Done)
                    break;
                any = true;
            }
        }
        if (any)
            Q_EMIT expanded();
    }

Q_SIGNALS:
    void expanded();

private:
    ServiceConfig m_config;
    LocalDay m_days;
    std::unique_ptr<ServiceDatabase> m_db;
    std::unique_ptr<EventMessageBuilder> m_messages;
    std::unique_ptr<EventExpander> m_expander;
    QTimer *m_poll = nullptr;
};

FanOut::FanOut(const ServiceConfig &config, ServiceDatabase &db, LineClient &line, QObject *parent)
    : QObject(parent)
    , m_days(config.timeZone)
    , m_limiter(std::make_unique<SendRateLimiter>(db, config.pushPerSecond, config.multicastPerSecond,
                                                  [] { return QDateTime::currentMSecsSinceEpoch() * 1000; }))
    , m_sender(std::make_unique<BatchSender>(db, line, *m_limiter, m_days,
                                             [] { return QDateTime::currentMSecsSinceEpoch(); }))
{
    m_worker = new ExpansionWorker(config, m_days);
    m_worker->moveToThread(&m_thread);
    connect(&m_thread, &QThread::started, m_worker, &ExpansionWorker::start);
    connect(this, &FanOut::expansionWanted, m_worker, &ExpansionWorker::work);
    connect(m_worker, &ExpansionWorker::expanded, this, [this] {
        m_sender->kick();
        Q_EMIT eventExpanded();
    });
    m_thread.setObjectName(QStringLiteral("fan-out"));
    m_thread.start();
}

FanOut::~FanOut()
{
    QMetaObject::invokeMethod(m_worker, &ExpansionWorker::stop, Qt::BlockingQueuedConnection);
    m_thread.quit();
    m_thread.wait();
    delete m_worker;
}

void FanOut::kick()
{
    Q_EMIT expansionWanted();
    m_sender->kick();
}

} // namespace poptap::delivery

#include "fanout.moc"
