#pragma once

#include "registrationtoken.h"
#include "sqlitedatabase.h"

#include <QDateTime>
#include <QList>
#include <QString>

#include <functional>
#include <optional>

namespace poptap {

// Outbox life cycle (DESIGN.md): pending → sent → acknowledged; permanent rejections
// go to dead with the reason.
enum class OutboxState { Pending, Sent, Acknowledged, Dead };
QString toString(OutboxState state);

struct OutboxIntent {
    qint64 rowId = 0;
    TokenClaims claims;
    QString token;
    OutboxState state = OutboxState::Pending;
    QString stateReason;
};

// The kiosk's durable queue of registration intents: one writer connection, and a
// commit that returns only once the intent is on disk (WAL, synchronous=FULL).
class OutboxStore
{
public:
    struct Options {
        qint64 maxBytes = 0; // size cap; 0 = none
        // Persists and returns a new outbox generation, or -1 with the reason.
        std::function<int(QString *error)> allocateEpoch;
    };
    enum class Failure { None, Full, Error };
    struct Commit {
        std::optional<OutboxIntent> intent;
        Failure failure = Failure::None;
        QString error;
        bool ok() const { return intent.has_value(); }
    };

    OutboxStore();
    SqliteDatabase::OpenResult open(const QString &path, const Options &options);
    bool isOpen() const;
    std::uint16_t epoch() const { return m_epoch; }

    // Assigns epoch and the next sequence to `claims`, signs them with `sign`, and
    // commits the intent in one transaction. A full disk, or an outbox at 90 % of its
    // size cap with no synced intents left to remove, is reported as Failure::Full and
    // leaves the store as it was.
    Commit commit(TokenClaims claims, const std::function<QString(const TokenClaims &)> &sign);

    std::optional<OutboxIntent> findByToken(const QString &token) const;
    qint64 count(OutboxState state) const;
    qint64 totalCount() const;
    // Intent ids and reasons in `state`, oldest first, at most `limit` (support's dead-letter list).
    QList<std::pair<QString, QString>> intentsIn(OutboxState state, int limit) const;

    bool markAcknowledged(const QStringList &intentIds, const QDateTime &at);

    // Upload batches. A batch is a set of intents kept together with its Idempotency-Key:
    // after a crash or a lost answer the same intents go out again under the same key,
    // so the service can never count them twice.
    struct UploadBatch {
        QByteArray idempotencyKey;
        QList<OutboxIntent> intents; // in outbox order
        bool isEmpty() const { return intents.isEmpty(); }
    };
    // The batch already in flight (intents in state sent) if there is one; else up to `limit`
    // pending intents, marked sent under `newKey`. An empty batch when nothing is pending;
    // nullopt on a database error. Only `limit` rows are read: memory stays bounded.
    std::optional<UploadBatch> nextBatch(int limit, const QByteArray &newKey, const QDateTime &at);
    struct Verdict {
        QString intentId;
        bool delivered = true; // accepted or duplicate: the service holds it
        QString reason;        // why not, when refused for good
    };
    // Applies the service's per-intent answer to a batch in one transaction: delivered ones
    // are acknowledged, refused ones dead with their reason, any the answer left out go back
    // to pending for a later batch.
    bool settleBatch(const QByteArray &idempotencyKey, const QList<Verdict> &verdicts, const QDateTime &at);
    // The whole batch refused for good (e.g. a 4xx the kiosk cannot fix): every intent dead.
    bool deadLetterBatch(const QByteArray &idempotencyKey, const QString &reason, const QDateTime &at);

    struct Backlog {
        qint64 unsynced = 0;               // pending + sent: what the service does not hold yet
        std::optional<QDateTime> oldestUnsynced;
        qint64 dead = 0;
    };
    std::optional<Backlog> backlog() const;
    // Retention: acknowledged intents older than `cutoff` are removed. Returns how many, or -1.
    int purgeAcknowledgedBefore(const QDateTime &cutoff);

private:
    QString ensureEpoch(const Options &options);
    bool ensureHeadroom();

    SqliteDatabase m_db;
    std::uint16_t m_epoch = 0;
};

} // namespace poptap
