#include "syncrig.h"

#include "deliveryserver.h"
#include "kiosksyncpath.h"
#include "deviceregistry.h"
#include "kioskledger.h"
#include "registrationtoken.h"
#include "servicetesting.h"

#include <QDir>
#include <QSqlQuery>

#include <limits>

using namespace poptap;

namespace synctesting {

ServiceUnderTest::ServiceUnderTest() = default;
ServiceUnderTest::~ServiceUnderTest() = default;

QString ServiceUnderTest::start(const QString &dir)
{
    if (const QString error = servicetesting::resetDatabase({}, QDir(dir).filePath(QStringLiteral("delivery.db")));
        !error.isEmpty())
        return error;
    delivery::ServiceConfig config;
    config.port = 0;
    config.dataDir = dir;
    config.lineChannelSecret = QStringLiteral("secret");
    m_server = std::make_unique<delivery::DeliveryServer>(config);
    if (const QString error = m_server->start(); !error.isEmpty())
        return error;
    return servicetesting::addDemoStore(*m_server->database());
}

void ServiceUnderTest::stop()
{
    m_server.reset();
}

QUrl ServiceUnderTest::url() const
{
    return QUrl(QStringLiteral("http://127.0.0.1:%1").arg(m_server->port()));
}

quint16 ServiceUnderTest::port() const
{
    return m_server->port();
}

QString ServiceUnderTest::newEnrollmentCode(int validHours)
{
    QString error;
    const auto code = m_server->kioskLedger()->createEnrollmentCode(servicetesting::kDemoStoreId, validHours, &error);
    if (!code)
        qFatal("cannot create an enrollment code: %s", qPrintable(error));
    return *code;
}

QString ServiceUnderTest::revoke(const QString &deviceId)
{
    delivery::DeviceRegistry registry(*m_server->database());
    return registry.revokeDevice(deviceId, QDateTime::currentDateTimeUtc());
}

QSet<QString> ServiceUnderTest::registeredIntentIds() const
{
    QSet<QString> ids;
    QSqlQuery q(m_server->database()->handle());
    if (!q.exec(QStringLiteral("SELECT intent_id FROM registration")))
        qFatal("cannot read the service's registrations");
    while (q.next())
        ids.insert(q.value(0).toString());
    return ids;
}

qint64 ServiceUnderTest::registrationCount() const
{
    QSqlQuery q(m_server->database()->handle());
    if (!q.exec(QStringLiteral("SELECT count(*) FROM registration")) || !q.next())
        qFatal("cannot count the service's registrations");
    return q.value(0).toLongLong();
}

qint64 ServiceUnderTest::deviceCount() const
{
    QSqlQuery q(m_server->database()->handle());
    if (!q.exec(QStringLiteral("SELECT count(*) FROM device")) || !q.next())
        qFatal("cannot count the service's devices");
    return q.value(0).toLongLong();
}

QString KioskUnderTest::open(const QString &dataDir)
{
    m_dataDir = dataDir;
    if (!QDir().mkpath(dataDir))
        return QStringLiteral("cannot create %1").arg(dataDir);
    DeviceKey::Load key = DeviceKey::loadOrCreate(dataDir);
    if (!key.error.isEmpty())
        return key.error;
    m_key = key.key;
    m_outbox = std::make_unique<OutboxStore>();
    OutboxStore::Options options;
    options.allocateEpoch = [this](QString *error) { return m_key.allocateEpoch(error); };
    return m_outbox->open(QDir(dataDir).filePath(QStringLiteral("outbox.db")), options).error;
}

void KioskUnderTest::close()
{
    m_outbox.reset();
}

QStringList KioskUnderTest::commitIntents(int count)
{
    QStringList ids;
    for (int i = 0; i < count; ++i) {
        TokenClaims claims;
        claims.keyId = m_key.keyId();
        claims.kind = RegistrationKind::BrandInterest;
        claims.target = std::uint32_t(1 + i % 12); // brands 1..12 exist in the demo catalog
        claims.issuedAt = QDateTime::fromSecsSinceEpoch(QDateTime::currentSecsSinceEpoch(), Qt::UTC);
        claims.ttlHours = 24;
        const QByteArray secret = m_key.secret();
        const OutboxStore::Commit commit =
            m_outbox->commit(claims, [&](const TokenClaims &c) { return RegistrationToken::issue(c, secret); });
        if (!commit.ok())
            qFatal("cannot commit an intent: %s", qPrintable(commit.error));
        ids << commit.intent->claims.intentId();
    }
    return ids;
}

QSet<QString> KioskUnderTest::intentIds(OutboxState state) const
{
    QSet<QString> ids;
    for (const auto &[id, reason] : m_outbox->intentsIn(state, std::numeric_limits<int>::max()))
        ids.insert(id);
    return ids;
}

sync::SyncSettings KioskUnderTest::settingsFor(const QUrl &service, const QString &enrollmentCode) const
{
    return quickSyncSettings(service, m_dataDir, enrollmentCode, QStringLiteral("test kiosk"));
}

} // namespace synctesting
