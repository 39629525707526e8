#include "servicedatabase.h"

#include "deliverylogging.h"

#include <QDir>
#include <QFileInfo>
#include <QSqlQuery>
#include <QUrl>
#include <QUrlQuery>
#include <QVariant>

namespace poptap::delivery {
namespace {
// Any fixed number: instances agree on it to serialise migrations on PostgreSQL.
constexpr qint64 kMigrationLockKey = 0x506f7054617031;
}

const std::vector<ServiceDatabase::Migration> &ServiceDatabase::migrations()
{
    static const std::vector<Migration> all{
        {1,
         {
             // LINE users as the service learns of them: by claim, follow or message,
             // whichever comes first (DESIGN.md, "Races"). Friend status follows the newest event.
             QStringLiteral("CREATE TABLE line_user ("
                            " user_id TEXT PRIMARY KEY,"
                            " is_friend INTEGER NOT NULL DEFAULT 0,"
                            " friend_changed_at BIGINT NOT NULL DEFAULT 0,"
                            " created_at BIGINT NOT NULL)"),
             // The durable webhook inbox: an event is stored (once, by webhookEventId)
             // before LINE gets its 2xx, and processed afterwards.
             QStringLiteral("CREATE TABLE webhook_event ("
                            " event_id TEXT PRIMARY KEY,"
                            " type TEXT NOT NULL,"
                            " user_id TEXT,"
                            " event_time BIGINT NOT NULL,"
                            " body TEXT NOT NULL,"
                            " received_at BIGINT NOT NULL,"
                            " processed_at BIGINT,"
                            " outcome TEXT)"),
             QStringLiteral("CREATE INDEX webhook_event_pending ON webhook_event (processed_at, received_at)"),
         }},
        {2,
         {
             QStringLiteral("CREATE TABLE store ("
                            " id BIGINT PRIMARY KEY,"
                            " code TEXT NOT NULL UNIQUE,"
                            " name_ja TEXT NOT NULL,"
                            " name_en TEXT NOT NULL,"
                            " created_at BIGINT NOT NULL)"),
             // The catalog each store's kiosks show, as the kiosk parses it; its ETag is a hash.
             QStringLiteral("CREATE TABLE store_catalog ("
                            " store_id BIGINT PRIMARY KEY REFERENCES store (id),"
                            " etag TEXT NOT NULL,"
                            " body TEXT NOT NULL,"
                            " updated_at BIGINT NOT NULL)"),
             QStringLiteral("CREATE TABLE device ("
                            " id TEXT PRIMARY KEY,"
                            " store_id BIGINT NOT NULL REFERENCES store (id),"
                            " name TEXT NOT NULL,"
                            " request_secret TEXT NOT NULL,"
                            " enrolled_at BIGINT NOT NULL,"
                            " revoked_at BIGINT)"),
             // Every key that ever signed a device's tokens: the local one it had before
             // enrollment and the ones the service gave it, so old tokens stay claimable.
             QStringLiteral("CREATE TABLE device_key ("
                            " key_id BIGINT PRIMARY KEY,"
                            " device_id TEXT NOT NULL REFERENCES device (id),"
                            " secret TEXT NOT NULL,"
                            " origin TEXT NOT NULL,"
                            " created_at BIGINT NOT NULL)"),
             // One LINE user per registration token: the first valid claim wins.
             QStringLiteral("CREATE TABLE registration_claim ("
                            " intent_id TEXT PRIMARY KEY,"
                            " user_id TEXT NOT NULL,"
                            " kind INTEGER NOT NULL,"
                            " target BIGINT NOT NULL,"
                            " store_id BIGINT NOT NULL,"
                            " claimed_at BIGINT NOT NULL)"),
             QStringLiteral("CREATE TABLE subscription ("
                            " user_id TEXT NOT NULL,"
                            " kind INTEGER NOT NULL,"
                            " target BIGINT NOT NULL,"
                            " store_id BIGINT NOT NULL,"
                            " status TEXT NOT NULL CHECK (status IN ('active', 'fulfilled', 'stopped')),"
                            " source_intent_id TEXT NOT NULL,"
                            " created_at BIGINT NOT NULL,"
                            " updated_at BIGINT NOT NULL,"
                            " PRIMARY KEY (user_id, kind, target, store_id))"),
             // Pushes are written here, with their X-Line-Retry-Key, in the same
             // transaction as what they confirm, then sent; a retry reuses the key.
             QStringLiteral("CREATE TABLE push_outbox ("
                            " retry_key TEXT PRIMARY KEY,"
                            " user_id TEXT NOT NULL,"
                            " purpose TEXT NOT NULL,"
                            " body TEXT NOT NULL,"
                            " state TEXT NOT NULL CHECK (state IN ('pending', 'sent', 'failed')),"
                            " attempts INTEGER NOT NULL DEFAULT 0,"
                            " next_attempt_at BIGINT NOT NULL,"
                            " lease_until BIGINT,"
                            " last_status INTEGER,"
                            " last_error TEXT,"
                            " created_at BIGINT NOT NULL,"
                            " sent_at BIGINT)"),
             QStringLiteral("CREATE INDEX push_outbox_due ON push_outbox (state, next_attempt_at)"),
         }},
        {3,
         {
             // One-time enrollment codes, kept only as a hash: the code is a credential.
             QStringLiteral("CREATE TABLE enrollment_code ("
                            " code_hash TEXT PRIMARY KEY,"
                            " store_id BIGINT NOT NULL REFERENCES store (id),"
                            " created_at BIGINT NOT NULL,"
                            " expires_at BIGINT NOT NULL,"
                            " used_at BIGINT,"
                            " device_id TEXT,"
                            " local_key_id BIGINT)"),
             QStringLiteral("CREATE TABLE device_nonce ("
                            " device_id TEXT NOT NULL,"
                            " nonce TEXT NOT NULL,"
                            " expires_at BIGINT NOT NULL,"
                            " PRIMARY KEY (device_id, nonce))"),
             QStringLiteral("CREATE TABLE idempotency_record ("
                            " device_id TEXT NOT NULL,"
                            " idem_key TEXT NOT NULL,"
                            " body_hash TEXT NOT NULL,"
                            " response TEXT,"
                            " created_at BIGINT NOT NULL,"
                            " PRIMARY KEY (device_id, idem_key))"),
             // Intents as kiosks sync them; claims do not wait for these (DESIGN.md, "Races").
             QStringLiteral("CREATE TABLE registration ("
                            " intent_id TEXT PRIMARY KEY,"
                            " device_id TEXT NOT NULL,"
                            " kind INTEGER NOT NULL,"
                            " target BIGINT NOT NULL,"
                            " token TEXT NOT NULL,"
                            " issued_at BIGINT NOT NULL,"
                            " received_at BIGINT NOT NULL)"),
             QStringLiteral("CREATE TABLE device_heartbeat ("
                            " device_id TEXT PRIMARY KEY,"
                            " body TEXT NOT NULL,"
                            " received_at BIGINT NOT NULL)"),
         }},
        {4,
         {
             // A retail chain: the merchant that posts product events (with its API key, kept
             // as a SHA-256 hash), its message templates and how often a shopper may hear from it.
             QStringLiteral("CREATE TABLE chain ("
                            " id BIGINT PRIMARY KEY,"
                            " code TEXT NOT NULL UNIQUE,"
                            " name_ja TEXT NOT NULL,"
                            " name_en TEXT NOT NULL,"
                            " api_key_hash TEXT UNIQUE,"
                            " daily_cap INTEGER NOT NULL DEFAULT 3,"
                            " cap_policy TEXT NOT NULL DEFAULT 'defer' CHECK (cap_policy IN ('defer', 'drop')),"
                            " message_template TEXT,"
                            " created_at BIGINT NOT NULL)"),
             QStringLiteral("ALTER TABLE store ADD COLUMN chain_id BIGINT REFERENCES chain (id)"),
             // A product event as the merchant posted it (stored before the 202), and what the
             // fan-out made of it. kind: 1 new arrival of brand `target`, 2 restock of variant
             // `target` at `store_id`; store_id NULL for a chain-wide new arrival.
             QStringLiteral("CREATE TABLE product_event ("
                            " id TEXT PRIMARY KEY,"
                            " chain_id BIGINT NOT NULL REFERENCES chain (id),"
                            " merchant_event_id TEXT NOT NULL,"
                            " kind INTEGER NOT NULL,"
                            " target BIGINT NOT NULL,"
                            " store_id BIGINT,"
                            " body TEXT NOT NULL,"
                            " messages TEXT,"
                            " state TEXT NOT NULL CHECK (state IN ('received', 'expanded')),"
                            " received_at BIGINT NOT NULL,"
                            " expanded_at BIGINT,"
                            " deferred_until BIGINT,"
                            " expanded_through TEXT,"
                            " UNIQUE (chain_id, merchant_event_id))"),
             QStringLiteral("CREATE INDEX product_event_received ON product_event (state, received_at)"),
             // Events with recipients held back by the frequency cap, due on the next local day.
             QStringLiteral("CREATE INDEX product_event_deferred ON product_event (deferred_until)"),
             // One row per (event, LINE user): the anchor of "at most once". queued rows are in
             // batch `batch_no`; the others say why that user is not sent the event.
             QStringLiteral("CREATE TABLE delivery ("
                            " event_id TEXT NOT NULL,"
                            " user_id TEXT NOT NULL,"
                            " state TEXT NOT NULL CHECK (state IN ('queued', 'unfollowed', 'capped', 'deferred')),"
                            " batch_no INTEGER,"
                            " PRIMARY KEY (event_id, user_id))"),
             QStringLiteral("CREATE INDEX delivery_batch_members ON delivery (event_id, batch_no)"),
             // One multicast (≤ 500 recipients) or push (one): its X-Line-Retry-Key is stored with
             // it before the first attempt and reused for every retry.
             QStringLiteral("CREATE TABLE delivery_batch ("
                            " event_id TEXT NOT NULL,"
                            " batch_no INTEGER NOT NULL,"
                            " retry_key TEXT NOT NULL UNIQUE,"
                            " recipients INTEGER NOT NULL,"
                            " state TEXT NOT NULL CHECK (state IN ('pending', 'sent', 'failed')),"
                            " attempts INTEGER NOT NULL DEFAULT 0,"
                            " next_attempt_at BIGINT NOT NULL,"
                            " lease_until BIGINT,"
                            " last_status INTEGER,"
                            " last_error TEXT,"
                            " created_at BIGINT NOT NULL,"
                            " sent_at BIGINT,"
                            " sent_by TEXT,"
                            " PRIMARY KEY (event_id, batch_no))"),
             QStringLiteral("CREATE INDEX delivery_batch_due ON delivery_batch (state, next_attempt_at)"),
             // Messages a user was sent (or queued) per chain and local day: the frequency cap.
             QStringLiteral("CREATE TABLE user_daily_count ("
                            " chain_id BIGINT NOT NULL,"
                            " day TEXT NOT NULL,"
                            " user_id TEXT NOT NULL,"
                            " messages INTEGER NOT NULL,"
                            " PRIMARY KEY (chain_id, day, user_id))"),
             // The next free send slot per LINE endpoint, shared by every instance on one database.
             QStringLiteral("CREATE TABLE rate_slot ("
                            " endpoint TEXT PRIMARY KEY,"
                            " next_slot_us BIGINT NOT NULL)"),
             // A tracked link in a message: /c/<id> counts the click and forwards to target_url.
             QStringLiteral("CREATE TABLE tracked_link ("
                            " id TEXT PRIMARY KEY,"
                            " event_id TEXT,"
                            " chain_id BIGINT,"
                            " store_id BIGINT,"
                            " brand_id BIGINT,"
                            " target_url TEXT NOT NULL,"
                            " created_at BIGINT NOT NULL)"),
             QStringLiteral("CREATE TABLE link_click ("
                            " link_id TEXT NOT NULL,"
                            " day TEXT NOT NULL,"
                            " clicks BIGINT NOT NULL,"
                            " PRIMARY KEY (link_id, day))"),
             // Recipients LINE bills for (push and multicast), per chain and month (YYYY-MM).
             QStringLiteral("CREATE TABLE message_usage ("
                            " chain_id BIGINT NOT NULL,"
                            " month TEXT NOT NULL,"
                            " recipients BIGINT NOT NULL,"
                            " PRIMARY KEY (chain_id, month))"),
         }},
        {5,
         {
             // What a kiosk's heartbeat counters (counted since the kiosk started) grew by, per
             // 15-minute UTC slot of arrival: every time zone's days begin on such a slot, so
             // analytics can add them up into local days (core/analytics/heartbeatcounters.h).
             QStringLiteral("CREATE TABLE device_counter ("
                            " device_id TEXT NOT NULL,"
                            " counter TEXT NOT NULL,"
                            " slot_start BIGINT NOT NULL,"
                            " increase BIGINT NOT NULL,"
                            " PRIMARY KEY (device_id, counter, slot_start))"),
             // Analytics selects by time: links shown, claims, friend adds and blocks, deliveries.
             QStringLiteral("CREATE INDEX registration_issued ON registration (issued_at)"),
             QStringLiteral("CREATE INDEX registration_claim_claimed ON registration_claim (claimed_at)"),
             // A friend add is matched to the shopper's claim nearest in time.
             QStringLiteral("CREATE INDEX registration_claim_user ON registration_claim (user_id, claimed_at)"),
             QStringLiteral("CREATE INDEX webhook_event_type_time ON webhook_event (type, event_time)"),
             QStringLiteral("CREATE INDEX delivery_batch_sent ON delivery_batch (sent_at)"),
         }},
        {6,
         {
             // The store a confirmation push is about: its chain is billed for it (message_usage).
             // NULL for pushes queued before.
             QStringLiteral("ALTER TABLE push_outbox ADD COLUMN store_id BIGINT"),
             // An event's audience in user order, chunk after chunk (EventExpander), without
             // walking every other brand's and variant's subscriptions.
             QStringLiteral("CREATE INDEX subscription_audience ON subscription (kind, target, status, user_id, store_id)"),
         }},
    };
    return all;
}

ServiceDatabase::ServiceDatabase(const QString &connectionName)
    : m_connectionName(connectionName)
{
}

ServiceDatabase::~ServiceDatabase()
{
    close();
}

QSqlDatabase ServiceDatabase::handle() const
{
    return QSqlDatabase::database(m_connectionName, false);
}

QString ServiceDatabase::describe() const
{
    return m_description;
}

void ServiceDatabase::close()
{
    if (!QSqlDatabase::contains(m_connectionName))
        return;
    {
        QSqlDatabase db = handle();
        db.close();
    }
    QSqlDatabase::removeDatabase(m_connectionName);
}

QString ServiceDatabase::open(const QString &database, const QString &sqlitePath)
{
    if (database.isEmpty()) {
        m_kind = Kind::Sqlite;
        if (!QDir().mkpath(QFileInfo(sqlitePath).absolutePath()))
            return QStringLiteral("cannot create the directory of %1").arg(sqlitePath);
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), m_connectionName);
        db.setDatabaseName(sqlitePath);
        db.setConnectOptions(QStringLiteral("QSQLITE_BUSY_TIMEOUT=10000"));
        m_description = QStringLiteral("SQLite %1").arg(sqlitePath);
        if (!db.open())
            return QStringLiteral("cannot open %1: %2").arg(m_description, db.lastError().text());
        QSqlQuery q(db);
        for (const char *pragma : {"PRAGMA journal_mode=WAL", "PRAGMA synchronous=FULL", "PRAGMA foreign_keys=ON"})
            if (!q.exec(QLatin1String(pragma)))
                return QStringLiteral("%1: %2").arg(m_description, q.lastError().text());
        return {};
    }

    m_kind = Kind::Postgres;
    const QUrl url(database, QUrl::StrictMode);
    QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QPSQL"), m_connectionName);
    db.setHostName(url.host().isEmpty() ? QStringLiteral("localhost") : url.host());
    db.setPort(url.port(5432));
    db.setUserName(url.userName());
    db.setPassword(url.password());
    db.setDatabaseName(url.path().mid(1));
    const QString options = QUrlQuery(url).queryItemValue(QStringLiteral("options"));
    if (!options.isEmpty())
        db.setConnectOptions(options);
    m_description = QStringLiteral("PostgreSQL %1").arg(url.toDisplayString(QUrl::RemovePassword));
    if (!db.open())
        return QStringLiteral("cannot open %1: %2").arg(m_description, db.lastError().text());
    return {};
}

int ServiceDatabase::schemaVersion() const
{
    QSqlQuery q(handle());
    if (!q.exec(QStringLiteral("SELECT version FROM schema_version")) || !q.next())
        return 0;
    return q.value(0).toInt();
}

QString ServiceDatabase::migrate()
{
    QSqlDatabase db = handle();
    QSqlQuery q(db);
    if (m_kind == Kind::Postgres && !q.exec(QStringLiteral("SELECT pg_advisory_lock(%1)").arg(kMigrationLockKey)))
        return QStringLiteral("cannot take the migration lock: %1").arg(q.lastError().text());
    const auto unlock = qScopeGuard([&] {
        if (m_kind == Kind::Postgres)
            QSqlQuery(db).exec(QStringLiteral("SELECT pg_advisory_unlock(%1)").arg(kMigrationLockKey));
    });
    if (!q.exec(QStringLiteral("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)")))
        return QStringLiteral("%1: %2").arg(m_description, q.lastError().text());
    const int current = schemaVersion();
    const int newest = migrations().back().version;
    if (current > newest)
        return QStringLiteral("%1 has schema version %2, newer than this service knows (%3)")
            .arg(m_description).arg(current).arg(newest);
    for (const Migration &m : migrations()) {
        if (m.version <= current)
            continue;
        if (!db.transaction())
            return db.lastError().text();
        QStringList statements = m.statements;
        statements << QStringLiteral("DELETE FROM schema_version")
                   << QStringLiteral("INSERT INTO schema_version (version) VALUES (%1)").arg(m.version);
        for (const QString &statement : std::as_const(statements)) {
            if (!q.exec(statement)) {
                const QString error = q.lastError().text();
                db.rollback();
                return QStringLiteral("migration to version %1 failed: %2").arg(m.version).arg(error);
            }
        }
        if (!db.commit())
            return QStringLiteral("migration to version %1 failed: %2").arg(m.version).arg(db.lastError().text());
        qCInfo(lcDeliveryDb).noquote() << m_description << "migrated to schema version" << m.version;
    }
    return {};
}

} // namespace poptap::delivery
