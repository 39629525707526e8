#include "syncengine.h"

#include "devicekey.h"
#include "outboxstore.h"

#include <QLoggingCategory>

Q_LOGGING_CATEGORY(lcSync, "poptap.sync")

namespace poptap::sync {
namespace {

SyncSettings withDefaults(SyncSettings settings)
{
    if (!settings.now)
        settings.now = [] { return QDateTime::currentDateTimeUtc(); };
    if (!settings.random)
        settings.random = Backoff::systemRandom();
    settings.batchSize = std::clamp(settings.batchSize, 1, wire::RegistrationBatch::kMaxIntents);
    return settings;
}

// The service's own words where it gave them, else what the transport or status says.
QString describe(const KioskApiClient::Answer &answer)
{
    if (answer.error && !answer.error->message.isEmpty())
        return QStringLiteral("%1 %2: %3").arg(answer.status).arg(answer.error->error, answer.error->message);
    return answer.outcome.reason;
}

wire::RegistrationBatch toWire(const OutboxStore::UploadBatch &batch)
{
    wire::RegistrationBatch wireBatch;
    wireBatch.intents.reserve(batch.intents.size());
    for (const OutboxIntent &intent : batch.intents)
        wireBatch.intents.append({intent.claims.intentId(), intent.token, intent.claims.kind, intent.claims.target,
                                  intent.claims.issuedAt});
    return wireBatch;
}

// Smaller differences are the Date header's whole seconds and the network's delay.
constexpr qint64 kReportedClockSkew = 60;

// A broken or hostile server may ask for any wait; past this the kiosk asks again anyway.
constexpr std::chrono::milliseconds kLongestRetryAfter = std::chrono::hours(6);

} // namespace

SyncEngine::SyncEngine(OutboxStore &outbox, DeviceKey &key, SyncSettings settings, QObject *parent)
    : QObject(parent)
    , m_outbox(outbox)
    , m_key(key)
    , m_settings(withDefaults(std::move(settings)))
    , m_enrollmentCode(m_settings.enrollmentCode)
    , m_uploadBackoff(m_settings.retryBase, m_settings.retryCap, m_settings.random)
    , m_enrollBackoff(m_settings.retryBase, m_settings.retryCap, m_settings.random)
    , m_catalogBackoff(m_settings.retryBase, m_settings.retryCap, m_settings.random)
    , m_catalogETag(m_settings.catalogETag)
{
    qRegisterMetaType<poptap::sync::SyncStatus>();
    qRegisterMetaType<poptap::Catalog>();
    for (QTimer *timer : {&m_uploadTimer, &m_enrollTimer, &m_catalogTimer, &m_heartbeatTimer})
        timer->setSingleShot(true);
    // Precise: a coarse timer may fire up to 5 % early, and a Retry-After is a floor.
    for (QTimer *timer : {&m_uploadTimer, &m_enrollTimer, &m_catalogTimer})
        timer->setTimerType(Qt::PreciseTimer);
    connect(&m_uploadTimer, &QTimer::timeout, this, &SyncEngine::upload);
    connect(&m_enrollTimer, &QTimer::timeout, this, &SyncEngine::enroll);
    connect(&m_catalogTimer, &QTimer::timeout, this, &SyncEngine::refreshCatalog);
    connect(&m_heartbeatTimer, &QTimer::timeout, this, &SyncEngine::sendHeartbeat);
    m_uptime.start();
}

SyncEngine::~SyncEngine()
{
    // The client's callbacks use this object: the transport (and with it every request in
    // flight) goes first.
    m_client.reset();
    m_transport.reset();
}

void SyncEngine::start()
{
    if (m_settings.serviceUrl.isEmpty()) {
        qCInfo(lcSync) << "no delivery service configured: registrations stay on this kiosk";
        publish(SyncStatus::State::Off);
        return;
    }
    m_transport = std::make_unique<http::HttpTransport>(m_settings.transport);
    m_client = std::make_unique<KioskApiClient>(*m_transport, m_settings.serviceUrl, m_settings.now);
    connect(m_client.get(), &KioskApiClient::clockOffsetChanged, this, [this](qint64 seconds) {
        qCWarning(lcSync).noquote() << "the service's clock differs from this kiosk's by" << seconds << "s;"
                                    << "requests are signed with the service's time";
        m_status.clockOffsetSeconds = seconds;
        // Support hears of it with the next heartbeat: a kiosk clock that is off also puts
        // wrong issue times into the tokens it signs.
        if (qAbs(seconds) >= kReportedClockSkew)
            m_health.addError(now(), QStringLiteral("the kiosk's clock differs from the service's by %1 s").arg(seconds));
        publish(m_status.state, m_status.detail);
    });
    refreshBacklog();

    const EnrolledIdentity::Load loaded = EnrolledIdentity::load(m_settings.dataDir);
    if (!loaded.error.isEmpty())
        needReenrollment(loaded.error);
    else if (loaded.identity) {
        m_identity = loaded.identity;
        beginSyncing();
    } else if (!m_enrollmentCode.isEmpty())
        enroll();
    else
        publish(SyncStatus::State::NotEnrolled, QStringLiteral("no enrollment code yet"));
}

void SyncEngine::enrollWith(const QString &code)
{
    if (!m_client || m_identity) {
        qCWarning(lcSync) << "enrollment code ignored:" << (m_identity ? "already enrolled" : "no delivery service configured");
        return;
    }
    m_enrollmentCode = code.trimmed();
    m_enrollBackoff.reset();
    m_enrollTimer.stop();
    enroll();
}

void SyncEngine::enroll()
{
    if (m_enrolling || m_identity || m_enrollmentCode.isEmpty())
        return;
    // A key the service issued must not be handed over again (the service refuses a key id it
    // knows, and a revoked device's key stays dead). A retry after a lost answer keeps the
    // same local key, so the service recognises it and gives the same answer.
    if (m_key.isEnrolled()) {
        if (const QString error = m_key.startNewLocalKey(); !error.isEmpty()) {
            fail(QStringLiteral("enrollment"), error);
            publish(SyncStatus::State::EnrollmentRefused, error);
            return;
        }
    }
    m_enrolling = true;
    publish(SyncStatus::State::Enrolling, m_status.state == SyncStatus::State::Enrolling ? m_status.detail : QString());
    const wire::EnrollmentRequest request{m_enrollmentCode, {m_key.keyId(), m_key.secret()}, m_settings.deviceName,
                                          m_settings.version};
    m_client->enroll(request, [this](const KioskApiClient::Answer &answer, const std::optional<wire::EnrollmentResponse> &enrolled) {
        onEnrolled(answer, enrolled);
    });
}

void SyncEngine::onEnrolled(const KioskApiClient::Answer &answer, const std::optional<wire::EnrollmentResponse> &enrolled)
{
    m_enrolling = false;
    if (enrolled) {
        const EnrolledIdentity identity{enrolled->deviceId, enrolled->storeId, enrolled->requestSecret,
                                        m_settings.serviceUrl.toString()};
        // The identity first: with it the kiosk can sign requests, and tokens signed with the
        // local key stay claimable. Asking again with the same code and key gets the same answer.
        if (const QString error = identity.save(m_settings.dataDir); !error.isEmpty()) {
            retryLater(Work::Enroll, {Disposition::Retry, std::nullopt, QStringLiteral("cannot store the enrollment: ") + error});
            return;
        }
        if (const QString error = m_key.adoptEnrolledKey(enrolled->deviceKey.keyId, enrolled->deviceKey.secret); !error.isEmpty())
            fail(QStringLiteral("enrollment"), QStringLiteral("the enrolled key could not be stored; the local key signs on: ") + error);
        qCInfo(lcSync).noquote() << "enrolled as device" << identity.deviceId << "of store" << identity.storeId;
        m_identity = identity;
        m_enrollmentCode.clear();
        m_enrollBackoff.reset();
        beginSyncing();
        return;
    }
    if (answer.outcome.disposition == Disposition::Retry) {
        retryLater(Work::Enroll, answer.outcome);
        return;
    }
    if (answer.outcome.disposition == Disposition::Done) { // a 2xx that is not the enrollment (a captive portal's page)
        retryLater(Work::Enroll, {Disposition::Retry, std::nullopt, QStringLiteral("unexpected answer %1").arg(answer.status)});
        return;
    }
    // A code that is unknown, used or expired does not get better by asking again.
    fail(QStringLiteral("enrollment"), describe(answer));
    publish(SyncStatus::State::EnrollmentRefused, describe(answer));
}

void SyncEngine::beginSyncing()
{
    ++m_generation;
    m_client->setIdentity(m_identity);
    m_status.deviceId = m_identity->deviceId;
    publish(SyncStatus::State::Syncing);
    upload();
    refreshCatalog();
    sendHeartbeat();
}

void SyncEngine::nudge()
{
    if (!m_identity)
        return;
    if (m_uploading || m_uploadBackingOff) {
        // Show the new backlog; the upload under way, or the backoff, takes it along.
        refreshBacklog();
        publish(m_status.state, m_status.detail);
        return;
    }
    upload();
}

void SyncEngine::syncNow()
{
    if (!m_identity) {
        m_enrollTimer.stop();
        enroll();
        return;
    }
    upload();
    refreshCatalog();
    sendHeartbeat();
}

void SyncEngine::upload()
{
    if (!m_identity || m_uploading)
        return;
    m_uploadTimer.stop();
    m_uploadBackingOff = false;
    const std::optional<OutboxStore::UploadBatch> batch =
        m_outbox.nextBatch(m_settings.batchSize, wire::newIdempotencyKey(), now());
    refreshBacklog();
    if (!batch) {
        retryLater(Work::Upload, {Disposition::Retry, std::nullopt, QStringLiteral("the outbox could not be read")});
        return;
    }
    if (batch->isEmpty()) {
        m_uploadBackoff.reset();
        if (m_unreachable)
            publish(SyncStatus::State::Retrying, m_status.detail);
        else
            publish(SyncStatus::State::Synced);
        m_uploadTimer.start(m_settings.pollInterval);
        return;
    }
    if (m_status.state != SyncStatus::State::Retrying) // keep showing why, until an upload succeeds
        publish(SyncStatus::State::Syncing);
    m_uploading = true;
    const QByteArray key = batch->idempotencyKey;
    m_client->uploadBatch(key, toWire(*batch),
                          [this, key, generation = m_generation](const KioskApiClient::Answer &answer,
                                                                 const std::optional<wire::RegistrationBatchResponse> &results) {
                              if (generation == m_generation)
                                  onUploaded(key, answer, results);
                          });
}

void SyncEngine::onUploaded(const QByteArray &key, const KioskApiClient::Answer &answer,
                            const std::optional<wire::RegistrationBatchResponse> &results)
{
    m_uploading = false;
    switch (answer.outcome.disposition) {
    case Disposition::Done: {
        if (!results) { // a 2xx that is not the batch answer settles nothing
            retryLater(Work::Upload, {Disposition::Retry, std::nullopt, QStringLiteral("unexpected answer %1").arg(answer.status)});
            return;
        }
        QList<OutboxStore::Verdict> verdicts;
        QStringList refused;
        for (const wire::RegistrationResult &result : results->results) {
            const bool delivered = result.status != wire::RegistrationStatus::Rejected;
            verdicts.append({result.intentId, delivered, result.reason});
            if (!delivered)
                refused << QStringLiteral("%1 (%2)").arg(result.intentId, result.reason);
        }
        if (!m_outbox.settleBatch(key, verdicts, now())) {
            retryLater(Work::Upload, {Disposition::Retry, std::nullopt, QStringLiteral("the outbox could not record the answer")});
            return;
        }
        if (!refused.isEmpty())
            fail(QStringLiteral("upload"), QStringLiteral("%1 intent(s) refused for good: ").arg(refused.size())
                     + refused.mid(0, 5).join(QLatin1String(", ")));
        m_uploadBackoff.reset();
        m_unreachable = false;
        m_status.lastSuccess = now();
        publish(SyncStatus::State::Syncing);
        upload();
        return;
    }
    case Disposition::Retry:
        retryLater(Work::Upload, answer.outcome);
        return;
    case Disposition::ReenrollmentNeeded:
        needReenrollment(describe(answer));
        return;
    case Disposition::Permanent:
        // The service refused the request itself: sending it again cannot help, and holding
        // it would block everything behind it.
        if (!m_outbox.deadLetterBatch(key, describe(answer), now())) {
            retryLater(Work::Upload, {Disposition::Retry, std::nullopt, QStringLiteral("the outbox could not record the refusal")});
            return;
        }
        fail(QStringLiteral("upload"), QStringLiteral("batch refused for good: ") + describe(answer));
        upload();
        return;
    }
}

void SyncEngine::refreshCatalog()
{
    if (!m_identity || m_catalogInFlight)
        return;
    m_catalogTimer.stop();
    m_catalogInFlight = true;
    m_client->fetchCatalog(m_catalogETag, [this, generation = m_generation](const KioskApiClient::Answer &answer,
                                                                            const QByteArray &body, const QByteArray &etag) {
        if (generation == m_generation)
            onCatalog(answer, body, etag);
    });
}

void SyncEngine::onCatalog(const KioskApiClient::Answer &answer, const QByteArray &body, const QByteArray &etag)
{
    m_catalogInFlight = false;
    noteContact(answer.outcome);
    switch (answer.outcome.disposition) {
    case Disposition::Done:
        m_catalogBackoff.reset();
        if (answer.status == 200) {
            const CatalogParse parsed = parseCatalogJson(body);
            if (!parsed.errors.isEmpty())
                fail(QStringLiteral("catalog"), QStringLiteral("refused, the catalog in use stays: ")
                                                   + parsed.errors.mid(0, 3).join(QLatin1String("; ")));
            else if (parsed.catalog.store.id != m_identity->storeId)
                fail(QStringLiteral("catalog"), QStringLiteral("refused: it is for store %1, this kiosk is in store %2")
                                                   .arg(parsed.catalog.store.id).arg(m_identity->storeId));
            else {
                qCInfo(lcSync).noquote() << "catalog" << parsed.catalog.version << "received";
                m_catalogETag = etag;
                Q_EMIT catalogReceived(parsed.catalog, etag);
            }
        }
        m_catalogTimer.start(m_settings.catalogInterval);
        return;
    case Disposition::Retry:
        retryLater(Work::Catalog, answer.outcome);
        return;
    case Disposition::ReenrollmentNeeded:
        needReenrollment(describe(answer));
        return;
    case Disposition::Permanent:
        fail(QStringLiteral("catalog"), describe(answer));
        m_catalogTimer.start(m_settings.catalogInterval);
        return;
    }
}

void SyncEngine::sendHeartbeat()
{
    if (!m_identity || m_heartbeatInFlight)
        return;
    m_heartbeatTimer.start(m_settings.heartbeatInterval);
    wire::Heartbeat beat = m_health.snapshot();
    beat.version = m_settings.version;
    beat.uptimeSeconds = m_uptime.elapsed() / 1000;
    refreshBacklog();
    beat.queueDepth = m_status.unsynced;
    beat.oldestPendingSeconds = m_status.oldestUnsynced ? std::max<qint64>(0, m_status.oldestUnsynced->secsTo(now())) : 0;
    m_heartbeatInFlight = true;
    m_client->sendHeartbeat(beat, [this, beat, generation = m_generation](const KioskApiClient::Answer &answer) {
        if (generation != m_generation)
            return;
        m_heartbeatInFlight = false;
        noteContact(answer.outcome);
        if (answer.outcome.disposition == Disposition::Done)
            m_health.delivered(beat);
        else if (answer.outcome.disposition == Disposition::ReenrollmentNeeded)
            needReenrollment(describe(answer));
        else // the next heartbeat carries the same news; uploads report the outage
            qCInfo(lcSync).noquote() << "heartbeat not delivered:" << describe(answer);
    });
}

void SyncEngine::needReenrollment(const QString &reason)
{
    qCCritical(lcSync).noquote() << "syncing stopped, re-enrollment needed:" << reason;
    m_health.addError(now(), QStringLiteral("re-enrollment needed: ") + reason);
    const QString retired = EnrolledIdentity::retire(m_settings.dataDir, now().toString(QStringLiteral("yyyyMMddTHHmmss")));
    if (!retired.isEmpty())
        qCWarning(lcSync).noquote() << "the enrollment could not be moved aside:" << retired;
    // Answers still in flight belong to the old generation and are dropped; an upload in
    // flight stays "sent" in the outbox and goes out again after re-enrollment.
    ++m_generation;
    m_uploading = m_catalogInFlight = m_heartbeatInFlight = m_uploadBackingOff = false;
    m_identity.reset();
    if (m_client)
        m_client->setIdentity(std::nullopt);
    for (QTimer *timer : {&m_uploadTimer, &m_catalogTimer, &m_heartbeatTimer})
        timer->stop();
    m_status.deviceId.clear();
    // Registrations made from now on are signed with a fresh local key, which the next
    // enrollment hands over, so they are not lost with the revoked device's key.
    if (m_key.isEnrolled())
        if (const QString error = m_key.startNewLocalKey(); !error.isEmpty())
            fail(QStringLiteral("re-enrollment"), error);
    refreshBacklog();
    publish(SyncStatus::State::ReenrollmentNeeded, reason);
}

void SyncEngine::retryLater(Work work, const AnswerClass &answer)
{
    const std::optional<std::chrono::milliseconds> floor =
        answer.retryAfter ? std::optional(std::min(*answer.retryAfter, kLongestRetryAfter)) : std::nullopt;
    switch (work) {
    case Work::Upload: {
        const auto delay = m_uploadBackoff.nextDelay(floor);
        fail(QStringLiteral("upload"), answer.reason);
        m_uploadTimer.start(delay);
        m_uploadBackingOff = true;
        publish(SyncStatus::State::Retrying, answer.reason);
        return;
    }
    case Work::Enroll:
        fail(QStringLiteral("enrollment"), answer.reason);
        m_enrollTimer.start(m_enrollBackoff.nextDelay(floor));
        publish(SyncStatus::State::Enrolling, answer.reason);
        return;
    case Work::Catalog:
        qCInfo(lcSync).noquote() << "catalog not fetched:" << answer.reason;
        m_catalogTimer.start(std::min(m_catalogBackoff.nextDelay(floor), m_settings.catalogInterval));
        return;
    }
}

void SyncEngine::noteContact(const AnswerClass &outcome)
{
    if (outcome.disposition == Disposition::Retry) {
        m_unreachable = true;
        if (m_status.state == SyncStatus::State::Synced) // nothing waits, but the service is out of reach
            publish(SyncStatus::State::Retrying, outcome.reason);
    } else if (outcome.disposition == Disposition::Done) {
        m_unreachable = false;
        if (m_status.state == SyncStatus::State::Retrying && !m_uploadBackingOff && !m_uploading)
            upload(); // reachable again: shows Synced, or sends what waits
    }
}

void SyncEngine::fail(const QString &what, const QString &reason)
{
    qCWarning(lcSync).noquote() << what << "failed:" << reason;
    m_health.addError(now(), what + QStringLiteral(": ") + reason);
}

void SyncEngine::setReaderHealth(int componentStatus, const QString &reason)
{
    m_health.setReader({wire::ComponentStatus(componentStatus), reason.left(wire::ComponentHealth::kMaxReasonLength)});
}

void SyncEngine::setCameraHealth(int componentStatus, const QString &reason)
{
    if (componentStatus < 0)
        m_health.setCamera(std::nullopt);
    else
        m_health.setCamera(wire::ComponentHealth{wire::ComponentStatus(componentStatus),
                                                 reason.left(wire::ComponentHealth::kMaxReasonLength)});
}

void SyncEngine::setCounter(const QString &name, qint64 value)
{
    m_health.setCounter(name, value);
}

void SyncEngine::reportError(const QString &message)
{
    m_health.addError(now(), message);
}

void SyncEngine::refreshBacklog()
{
    if (const std::optional<OutboxStore::Backlog> backlog = m_outbox.backlog()) {
        m_status.unsynced = backlog->unsynced;
        m_status.oldestUnsynced = backlog->oldestUnsynced;
        m_status.dead = backlog->dead;
    }
}

void SyncEngine::publish(SyncStatus::State state, const QString &detail)
{
    SyncStatus next = m_status;
    next.state = state;
    next.detail = detail;
    if (next == m_status && state != SyncStatus::State::Off)
        return;
    m_status = next;
    Q_EMIT statusChanged(m_status);
}

} // namespace poptap::sync
