#pragma once

#include "registrationservice.h"

namespace poptap {

// Lives on RegistrationService's thread and owns the outbox connection.
class OutboxWorker : public QObject
{
    Q_OBJECT
public:
    explicit OutboxWorker(const RegistrationService::Setup &setup);

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
};

} // namespace poptap
