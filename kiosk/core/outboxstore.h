#pragma once

#include "registrationtoken.h"
#include "sqlitedatabase.h"

#include <QDateTime>
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

    bool markAcknowledged(const QStringList &intentIds, const QDateTime &at);
    // Retention: acknowledged intents older than `cutoff` are removed. Returns how many, or -1.
    int purgeAcknowledgedBefore(const QDateTime &cutoff);

private:
    QString ensureEpoch(const Options &options);
    bool ensureHeadroom();

    SqliteDatabase m_db;
    std::uint16_t m_epoch = 0;
};

} // namespace poptap
