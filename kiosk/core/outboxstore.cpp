#include "outboxstore.h"

#include "kiosklogging.h"

#include <QSqlQuery>
#include <QVariant>

#include <limits>

namespace poptap {
namespace {

const std::vector<SqliteDatabase::Migration> &migrations()
{
    static const std::vector<SqliteDatabase::Migration> all{
        {1,
         {
             QStringLiteral("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)"),
             QStringLiteral("CREATE TABLE counter (name TEXT PRIMARY KEY, value INTEGER NOT NULL)"),
             QStringLiteral("INSERT INTO counter (name, value) VALUES ('sequence', 0)"),
             QStringLiteral("CREATE TABLE intent ("
                            " id INTEGER PRIMARY KEY,"
                            " intent_id TEXT NOT NULL UNIQUE,"
                            " key_id INTEGER NOT NULL, epoch INTEGER NOT NULL, sequence INTEGER NOT NULL,"
                            " kind INTEGER NOT NULL, target INTEGER NOT NULL,"
                            " token TEXT NOT NULL UNIQUE,"
                            " issued_at INTEGER NOT NULL, expires_at INTEGER NOT NULL,"
                            " state TEXT NOT NULL DEFAULT 'pending'"
                            "   CHECK (state IN ('pending', 'sent', 'acknowledged', 'dead')),"
                            " state_reason TEXT,"
                            " state_changed_at INTEGER NOT NULL,"
                            " batch_key TEXT)"),
             QStringLiteral("CREATE INDEX intent_state ON intent (state, id)"),
         }},
    };
    return all;
}

constexpr qint64 kMaxSequence = 0xffffffffll;
// Share of the size cap new intents may fill; the rest is for state changes and purges.
constexpr double kCommitHeadroom = 0.9;

OutboxIntent intentFrom(const QSqlQuery &q)
{
    // Column order of kSelectIntent.
    OutboxIntent i;
    i.rowId = q.value(0).toLongLong();
    i.claims.keyId = std::uint32_t(q.value(1).toLongLong());
    i.claims.epoch = std::uint16_t(q.value(2).toInt());
    i.claims.sequence = std::uint32_t(q.value(3).toLongLong());
    i.claims.kind = RegistrationKind(q.value(4).toInt());
    i.claims.target = std::uint32_t(q.value(5).toLongLong());
    i.token = q.value(6).toString();
    i.claims.issuedAt = QDateTime::fromSecsSinceEpoch(q.value(7).toLongLong(), Qt::UTC);
    i.claims.ttlHours = std::uint8_t(i.claims.issuedAt.secsTo(QDateTime::fromSecsSinceEpoch(q.value(8).toLongLong(), Qt::UTC)) / 3600);
    const QString state = q.value(9).toString();
    i.state = state == QLatin1String("sent")           ? OutboxState::Sent
              : state == QLatin1String("acknowledged") ? OutboxState::Acknowledged
              : state == QLatin1String("dead")         ? OutboxState::Dead
                                                       : OutboxState::Pending;
    i.stateReason = q.value(10).toString();
    return i;
}

const char *const kSelectIntent = "SELECT id, key_id, epoch, sequence, kind, target, token, issued_at, expires_at,"
                                  " state, state_reason FROM intent";

} // namespace

QString toString(OutboxState state)
{
    switch (state) {
    case OutboxState::Pending: return QStringLiteral("pending");
    case OutboxState::Sent: return QStringLiteral("sent");
    case OutboxState::Acknowledged: return QStringLiteral("acknowledged");
    case OutboxState::Dead: return QStringLiteral("dead");
    }
    return {};
}

OutboxStore::OutboxStore()
    : m_db(QStringLiteral("poptap-outbox"))
{
}

bool OutboxStore::isOpen() const
{
    return m_db.handle().isOpen() && m_epoch != 0;
}

SqliteDatabase::OpenResult OutboxStore::open(const QString &path, const Options &options)
{
    SqliteDatabase::OpenResult result = m_db.open(path, migrations(), options.maxBytes);
    if (!result.error.isEmpty())
        return result;
    if (const QString error = ensureEpoch(options); !error.isEmpty()) {
        result.error = error;
        m_db.close();
    }
    return result;
}

QString OutboxStore::ensureEpoch(const Options &options)
{
    QSqlQuery q(m_db.handle());
    if (q.exec(QStringLiteral("SELECT value FROM meta WHERE key = 'epoch'")) && q.next()) {
        m_epoch = std::uint16_t(q.value(0).toInt());
        return m_epoch ? QString() : QStringLiteral("outbox has an invalid epoch");
    }
    // A new outbox (first start, or a corrupt one quarantined): a generation that no
    // earlier token used, persisted in the device key before any token carries it.
    QString error;
    const int epoch = options.allocateEpoch ? options.allocateEpoch(&error) : -1;
    if (epoch <= 0)
        return error.isEmpty() ? QStringLiteral("no outbox epoch could be allocated") : error;
    q.prepare(QStringLiteral("INSERT INTO meta (key, value) VALUES ('epoch', ?)"));
    q.addBindValue(epoch);
    if (!q.exec())
        return QStringLiteral("cannot record the outbox epoch: %1").arg(q.lastError().text());
    m_epoch = std::uint16_t(epoch);
    qCInfo(lcStore) << "new outbox, epoch" << epoch;
    return {};
}

OutboxStore::Commit OutboxStore::commit(TokenClaims claims, const std::function<QString(const TokenClaims &)> &sign)
{
    Commit result;
    QSqlQuery q(m_db.handle());
    const auto fail = [&](const QSqlError &error) {
        m_db.execute(QStringLiteral("ROLLBACK"));
        result.failure = SqliteDatabase::isFull(error) ? Failure::Full : Failure::Error;
        result.error = error.text();
        qCWarning(lcStore).noquote() << "intent not committed:" << result.error;
        return result;
    };
    if (!isOpen())
        return fail(QSqlError(QStringLiteral("outbox is not open"), {}, QSqlError::ConnectionError));
    if (!ensureHeadroom()) {
        result.failure = Failure::Full;
        result.error = QStringLiteral("outbox is at its size cap; registrations resume once synced intents can be removed");
        qCWarning(lcStore).noquote() << "intent not committed:" << result.error;
        return result;
    }
    if (const QSqlError error = m_db.execute(QStringLiteral("BEGIN IMMEDIATE")); error.isValid())
        return fail(error);
    if (!q.exec(QStringLiteral("UPDATE counter SET value = value + 1 WHERE name = 'sequence' RETURNING value"))
        || !q.next())
        return fail(q.lastError());
    const qint64 sequence = q.value(0).toLongLong();
    q.finish();
    if (sequence > kMaxSequence)
        return fail(QSqlError(QStringLiteral("sequence space of this outbox generation is exhausted"), {},
                              QSqlError::StatementError));

    claims.epoch = m_epoch;
    claims.sequence = std::uint32_t(sequence);
    const QString token = sign(claims);
    q.prepare(QStringLiteral("INSERT INTO intent (intent_id, key_id, epoch, sequence, kind, target, token,"
                             " issued_at, expires_at, state, state_changed_at)"
                             " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'pending', ?)"));
    q.addBindValue(claims.intentId());
    q.addBindValue(qint64(claims.keyId));
    q.addBindValue(int(claims.epoch));
    q.addBindValue(qint64(claims.sequence));
    q.addBindValue(int(claims.kind));
    q.addBindValue(qint64(claims.target));
    q.addBindValue(token);
    q.addBindValue(claims.issuedAt.toSecsSinceEpoch());
    q.addBindValue(claims.expiresAt().toSecsSinceEpoch());
    q.addBindValue(claims.issuedAt.toSecsSinceEpoch());
    if (!q.exec())
        return fail(q.lastError());
    const qint64 rowId = q.lastInsertId().toLongLong();
    q.finish();
    // On a real disk SQLite usually runs out of space here, at COMMIT.
    if (const QSqlError error = m_db.execute(QStringLiteral("COMMIT")); error.isValid())
        return fail(error);
    result.intent = OutboxIntent{rowId, claims, token, OutboxState::Pending, {}};
    return result;
}

bool OutboxStore::ensureHeadroom()
{
    // New intents stop short of the cap, so that acknowledging and purging (which need
    // pages of their own) always fit: otherwise a full outbox could never empty.
    if (m_db.capUsage() < kCommitHeadroom)
        return true;
    // Synced intents are kept only for diagnostics; registrations matter more. Freed
    // pages go to the free list, which capUsage() counts as room.
    purgeAcknowledgedBefore(QDateTime::fromSecsSinceEpoch(std::numeric_limits<qint32>::max(), Qt::UTC));
    return m_db.capUsage() < kCommitHeadroom;
}

std::optional<OutboxIntent> OutboxStore::findByToken(const QString &token) const
{
    QSqlQuery q(m_db.handle());
    q.prepare(QLatin1String(kSelectIntent) + QStringLiteral(" WHERE token = ?"));
    q.addBindValue(token);
    if (!q.exec() || !q.next())
        return std::nullopt;
    return intentFrom(q);
}

qint64 OutboxStore::count(OutboxState state) const
{
    QSqlQuery q(m_db.handle());
    q.prepare(QStringLiteral("SELECT count(*) FROM intent WHERE state = ?"));
    q.addBindValue(toString(state));
    return q.exec() && q.next() ? q.value(0).toLongLong() : -1;
}

QList<std::pair<QString, QString>> OutboxStore::intentsIn(OutboxState state, int limit) const
{
    QList<std::pair<QString, QString>> intents;
    QSqlQuery q(m_db.handle());
    q.prepare(QStringLiteral("SELECT intent_id, coalesce(state_reason, '') FROM intent WHERE state = ? ORDER BY id LIMIT ?"));
    q.addBindValue(toString(state));
    q.addBindValue(limit);
    if (q.exec())
        while (q.next())
            intents.append({q.value(0).toString(), q.value(1).toString()});
    return intents;
}

qint64 OutboxStore::totalCount() const
{
    QSqlQuery q(m_db.handle());
    return q.exec(QStringLiteral("SELECT count(*) FROM intent")) && q.next() ? q.value(0).toLongLong() : -1;
}

bool OutboxStore::markAcknowledged(const QStringList &intentIds, const QDateTime &at)
{
    if (m_db.execute(QStringLiteral("BEGIN IMMEDIATE")).isValid())
        return false;
    QSqlQuery q(m_db.handle());
    q.prepare(QStringLiteral("UPDATE intent SET state = 'acknowledged', state_reason = NULL, state_changed_at = ?"
                             " WHERE intent_id = ?"));
    for (const QString &id : intentIds) {
        q.addBindValue(at.toSecsSinceEpoch());
        q.addBindValue(id);
        if (!q.exec()) {
            m_db.execute(QStringLiteral("ROLLBACK"));
            return false;
        }
    }
    if (m_db.execute(QStringLiteral("COMMIT")).isValid()) {
        m_db.execute(QStringLiteral("ROLLBACK"));
        return false;
    }
    return true;
}

std::optional<OutboxStore::UploadBatch> OutboxStore::nextBatch(int limit, const QByteArray &newKey, const QDateTime &at)
{
    if (m_db.execute(QStringLiteral("BEGIN IMMEDIATE")).isValid())
        return std::nullopt;
    const auto fail = [this]() -> std::optional<UploadBatch> {
        m_db.execute(QStringLiteral("ROLLBACK"));
        return std::nullopt;
    };
    UploadBatch batch;
    QSqlQuery q(m_db.handle());
    // A batch in flight is resent as it was: same intents, same key.
    q.prepare(QStringLiteral("SELECT batch_key FROM intent WHERE state = 'sent' ORDER BY id LIMIT 1"));
    if (!q.exec())
        return fail();
    if (q.next()) {
        batch.idempotencyKey = q.value(0).toString().toLatin1();
    } else {
        batch.idempotencyKey = newKey;
        q.prepare(QStringLiteral("UPDATE intent SET state = 'sent', batch_key = ?, state_changed_at = ? WHERE id IN"
                                 " (SELECT id FROM intent WHERE state = 'pending' ORDER BY id LIMIT ?)"));
        q.addBindValue(QString::fromLatin1(newKey));
        q.addBindValue(at.toSecsSinceEpoch());
        q.addBindValue(limit);
        if (!q.exec())
            return fail();
    }
    q.prepare(QString::fromLatin1(kSelectIntent) + QStringLiteral(" WHERE state = 'sent' AND batch_key = ? ORDER BY id LIMIT ?"));
    q.addBindValue(QString::fromLatin1(batch.idempotencyKey));
    q.addBindValue(limit);
    if (!q.exec())
        return fail();
    while (q.next())
        batch.intents.append(intentFrom(q));
    q.finish();
    if (m_db.execute(QStringLiteral("COMMIT")).isValid())
        return fail();
    if (batch.intents.isEmpty())
        batch.idempotencyKey.clear();
    return batch;
}

bool OutboxStore::settleBatch(const QByteArray &idempotencyKey, const QList<Verdict> &verdicts, const QDateTime &at)
{
    if (m_db.execute(QStringLiteral("BEGIN IMMEDIATE")).isValid())
        return false;
    const auto fail = [this] {
        m_db.execute(QStringLiteral("ROLLBACK"));
        return false;
    };
    QSqlQuery q(m_db.handle());
    q.prepare(QStringLiteral("UPDATE intent SET state = ?, state_reason = ?, state_changed_at = ?"
                             " WHERE intent_id = ? AND state = 'sent' AND batch_key = ?"));
    for (const Verdict &v : verdicts) {
        q.addBindValue(v.delivered ? QStringLiteral("acknowledged") : QStringLiteral("dead"));
        q.addBindValue(v.delivered ? QVariant(QMetaType::fromType<QString>()) : QVariant(v.reason));
        q.addBindValue(at.toSecsSinceEpoch());
        q.addBindValue(v.intentId);
        q.addBindValue(QString::fromLatin1(idempotencyKey));
        if (!q.exec())
            return fail();
    }
    // Whatever the answer did not mention is not lost: it goes out again in a new batch.
    q.prepare(QStringLiteral("UPDATE intent SET state = 'pending', batch_key = NULL, state_changed_at = ?"
                             " WHERE state = 'sent' AND batch_key = ?"));
    q.addBindValue(at.toSecsSinceEpoch());
    q.addBindValue(QString::fromLatin1(idempotencyKey));
    if (!q.exec())
        return fail();
    if (m_db.execute(QStringLiteral("COMMIT")).isValid())
        return fail();
    return true;
}

bool OutboxStore::deadLetterBatch(const QByteArray &idempotencyKey, const QString &reason, const QDateTime &at)
{
    QSqlQuery q(m_db.handle());
    q.prepare(QStringLiteral("UPDATE intent SET state = 'dead', state_reason = ?, state_changed_at = ?"
                             " WHERE state = 'sent' AND batch_key = ?"));
    q.addBindValue(reason);
    q.addBindValue(at.toSecsSinceEpoch());
    q.addBindValue(QString::fromLatin1(idempotencyKey));
    return q.exec();
}

std::optional<OutboxStore::Backlog> OutboxStore::backlog() const
{
    QSqlQuery q(m_db.handle());
    if (!q.exec(QStringLiteral("SELECT COUNT(*), MIN(issued_at) FROM intent WHERE state IN ('pending', 'sent')")) || !q.next())
        return std::nullopt;
    Backlog b;
    b.unsynced = q.value(0).toLongLong();
    if (!q.value(1).isNull())
        b.oldestUnsynced = QDateTime::fromSecsSinceEpoch(q.value(1).toLongLong(), Qt::UTC);
    b.dead = count(OutboxState::Dead);
    return b;
}

int OutboxStore::purgeAcknowledgedBefore(const QDateTime &cutoff)
{
    QSqlQuery q(m_db.handle());
    q.prepare(QStringLiteral("DELETE FROM intent WHERE state = 'acknowledged' AND state_changed_at < ?"));
    q.addBindValue(cutoff.toSecsSinceEpoch());
    if (!q.exec())
        return -1;
    const int removed = q.numRowsAffected();
    if (removed > 0)
        qCInfo(lcStore) << "retention removed" << removed << "acknowledged intents";
    return removed;
}

} // namespace poptap
