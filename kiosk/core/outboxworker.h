#pragma once

#include "registrationservice.h"

#include <memory>
#include <vector>

namespace poptap {

// Lives on RegistrationService's thread and owns the outbox connection.
class OutboxWorker : public QObject
{
    Q_OBJECT
public:
    explicit OutboxWorker(const RegistrationService::Setup &setup);

    // Builds an object that works on the outbox from this thread (the sync engine), and
    // keeps it until the store closes. Call on the worker's thread.
    QObject *attach(const RegistrationService::Companion &make);
    void setLink(const DeepLinkTemplate &linkTemplate, const DeepLinkTemplate::Parameters &parameters);

public Q_SLOTS:
    poptap::SqliteDatabase::OpenResult open();
    void commit(int requestId, int kind, quint32 target);
    void closeStore();

Q_SIGNALS:
    void registered(int requestId, const poptap::Registration &registration);
    void registrationFailed(int requestId, const QString &reason, bool storageFull);

private:
    RegistrationService::Setup m_setup;
    std::unique_ptr<OutboxStore> m_store;
    std::vector<std::unique_ptr<QObject>> m_companions; // destroyed before the store
};

} // namespace poptap
