#include "outboxworker.h"

#include "kiosklogging.h"

namespace poptap {

OutboxWorker::OutboxWorker(const RegistrationService::Setup &setup)
    : m_setup(setup)
{
}

SqliteDatabase::OpenResult OutboxWorker::open()
{
    m_store = std::make_unique<OutboxStore>();
    OutboxStore::Options options;
    options.maxBytes = m_setup.outboxMaxBytes;
    options.allocateEpoch = [this](QString *error) { return m_setup.key.allocateEpoch(error); };
    SqliteDatabase::OpenResult result = m_store->open(m_setup.outboxPath, options);
    if (result.error.isEmpty())
        m_store->purgeAcknowledgedBefore(m_setup.clock().addDays(-m_setup.retentionDays));
    return result;
}

void OutboxWorker::closeStore()
{
    m_companions.clear();
    m_store.reset();
}

QObject *OutboxWorker::attach(const RegistrationService::Companion &make)
{
    Q_ASSERT(m_store && QThread::currentThread() == thread());
    m_companions.push_back(make(*m_store, m_setup.key));
    return m_companions.back().get();
}

void OutboxWorker::setLink(const DeepLinkTemplate &linkTemplate, const DeepLinkTemplate::Parameters &parameters)
{
    m_setup.linkTemplate = linkTemplate;
    m_setup.linkParameters = parameters;
}

void OutboxWorker::commit(int requestId, int kind, quint32 target)
{
    TokenClaims claims;
    claims.keyId = m_setup.key.keyId();
    claims.kind = RegistrationKind(kind);
    claims.target = target;
    claims.issuedAt = QDateTime::fromSecsSinceEpoch(m_setup.clock().toSecsSinceEpoch(), Qt::UTC);
    claims.ttlHours = std::uint8_t(m_setup.tokenTtlHours);

    const QByteArray secret = m_setup.key.secret();
    const OutboxStore::Commit result =
        m_store->commit(claims, [&](const TokenClaims &c) { return RegistrationToken::issue(c, secret); });
    if (!result.ok()) {
        Q_EMIT registrationFailed(requestId, result.error, result.failure == OutboxStore::Failure::Full);
        return;
    }
    DeepLinkTemplate::Parameters parameters = m_setup.linkParameters;
    parameters.token = result.intent->token;
    QString linkError;
    const QString link = m_setup.linkTemplate.expand(parameters, &linkError);
    if (link.isEmpty()) {
        // The intent is stored and will sync; only this link cannot be shown.
        qCCritical(lcRegistration).noquote() << "cannot build the registration link:" << linkError;
        Q_EMIT registrationFailed(requestId, linkError, false);
        return;
    }
    qCInfo(lcRegistration).noquote() << "intent" << result.intent->claims.intentId() << "committed";
    Q_EMIT registered(requestId, Registration{result.intent->claims, result.intent->token, link});
}

} // namespace poptap
