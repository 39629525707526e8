#pragma once

#include <QSqlDatabase>
#include <QSqlError>
#include <QString>
#include <QStringList>

#include <vector>

namespace poptap::delivery {

// The service's database: an embedded SQLite file, or PostgreSQL shared by several
// service instances. SQL is written once, in the dialect both understand (upserts
// with ON CONFLICT, BIGINT times in ms); migrations run under a lock so that
// instances starting together migrate once.
class ServiceDatabase
{
public:
    enum class Kind { Sqlite, Postgres };
    struct Migration {
        int version;
        QStringList statements;
    };

    // Each thread that talks to the database uses its own connection name.
    explicit ServiceDatabase(const QString &connectionName);
    ~ServiceDatabase();
    ServiceDatabase(const ServiceDatabase &) = delete;
    ServiceDatabase &operator=(const ServiceDatabase &) = delete;

    // `database` empty: SQLite at `sqlitePath`; else a postgresql:// URL.
    QString open(const QString &database, const QString &sqlitePath); // empty on success
    QString migrate();                                                  // empty on success
    void close();

    QSqlDatabase handle() const;
    Kind kind() const { return m_kind; }
    int schemaVersion() const;
    // A description safe for logs (no password).
    QString describe() const;

    static const std::vector<Migration> &migrations();

private:
    QString m_connectionName;
    Kind m_kind = Kind::Sqlite;
    QString m_description;
};

} // namespace poptap::delivery
