#include "registrationservice.h"

#include "outboxworker.h"

namespace poptap {

RegistrationService::RegistrationService(QObject *parent)
    : QObject(parent)
{
    qRegisterMetaType<poptap::Registration>();
    m_thread.setObjectName(QStringLiteral("poptap-outbox"));
}

RegistrationService::~RegistrationService()
{
    if (m_worker) // the connection is closed on the thread that opened it
        QMetaObject::invokeMethod(m_worker, &OutboxWorker::closeStore, Qt::BlockingQueuedConnection);
    m_thread.quit();
    m_thread.wait();
    delete m_worker; // its thread has finished, so deleting it from here is safe
}

SqliteDatabase::OpenResult RegistrationService::start(const Setup &setup)
{
    Q_ASSERT(!m_worker);
    Setup effective = setup;
    if (!effective.clock)
        effective.clock = [] { return QDateTime::currentDateTimeUtc(); };
    m_worker = new OutboxWorker(effective);
    m_worker->moveToThread(&m_thread);
    connect(m_worker, &OutboxWorker::registered, this, &RegistrationService::registered);
    connect(m_worker, &OutboxWorker::registrationFailed, this, &RegistrationService::registrationFailed);
    m_thread.start();
    SqliteDatabase::OpenResult result;
    QMetaObject::invokeMethod(m_worker, &OutboxWorker::open, Qt::BlockingQueuedConnection, &result);
    return result;
}

int RegistrationService::requestBrandInterest(std::uint32_t brandId)
{
    return request(RegistrationKind::BrandInterest, brandId);
}

int RegistrationService::requestRestock(std::uint32_t variantId)
{
    return request(RegistrationKind::Restock, variantId);
}

int RegistrationService::request(RegistrationKind kind, std::uint32_t target)
{
    const int requestId = m_nextRequestId++;
    QMetaObject::invokeMethod(m_worker, "commit", Qt::QueuedConnection, Q_ARG(int, requestId),
                              Q_ARG(int, int(kind)), Q_ARG(quint32, target));
    return requestId;
}

void RegistrationService::setLink(const DeepLinkTemplate &linkTemplate, const DeepLinkTemplate::Parameters &parameters)
{
    QMetaObject::invokeMethod(m_worker, [worker = m_worker, linkTemplate, parameters] {
        worker->setLink(linkTemplate, parameters);
    }, Qt::QueuedConnection);
}

QObject *RegistrationService::attachToOutbox(const Companion &make)
{
    Q_ASSERT(m_worker);
    QObject *attached = nullptr;
    QMetaObject::invokeMethod(m_worker, [&] { attached = m_worker->attach(make); }, Qt::BlockingQueuedConnection);
    return attached;
}

} // namespace poptap
