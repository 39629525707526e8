#pragma once

#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QString>
#include <QStringList>

#include <vector>

namespace poptap {

// One SQLite connection as every PopTap store wants it: WAL, synchronous=FULL (a
// commit is on disk when it returns), forward-only versioned migrations, an optional
// size cap, and a quick_check at open. A corrupt file is moved aside (kept for
// diagnosis, reported) and a fresh one is started, so the kiosk keeps working.
class SqliteDatabase
{
public:
    struct Migration {
        int version;
        QStringList statements;
    };
    struct OpenResult {
        QString error;          // empty on success
        QString quarantinedTo;  // set when a corrupt file was moved aside
        QString corruption;     // what was wrong with it
        bool created = false;   // the schema was created from nothing
    };

    explicit SqliteDatabase(const QString &connectionName);
    ~SqliteDatabase();
    SqliteDatabase(const SqliteDatabase &) = delete;
    SqliteDatabase &operator=(const SqliteDatabase &) = delete;

    OpenResult open(const QString &path, const std::vector<Migration> &migrations, qint64 maxBytes = 0);
    void close();

    QSqlDatabase handle() const;
    QString path() const { return m_path; }
    int schemaVersion() const;
    // Caps the file size; past it writes fail as if the disk were full.
    bool setMaxBytes(qint64 maxBytes);
    // Share of the size cap that live pages take (0 when uncapped).
    double capUsage() const;
    // Runs one statement on the writer connection. Unlike QSqlDatabase::commit(), the
    // error keeps SQLite's result code, so a full disk at COMMIT is recognised as full.
    QSqlError execute(const QString &statement);

    static bool isFull(const QSqlError &error);      // SQLITE_FULL: disk or size cap
    static bool isCorrupt(const QSqlError &error);   // SQLITE_CORRUPT or SQLITE_NOTADB

private:
    enum class Attempt { Ok, Corrupt, Failed };
    Attempt tryOpen(const std::vector<Migration> &migrations, OpenResult &result);
    Attempt inspect(int newestVersion, OpenResult &result, bool &checked);
    Attempt quickCheck(QSqlQuery &query, OpenResult &result);
    QString quarantine();

    QString m_connectionName;
    QString m_path;
    qint64 m_maxBytes = 0;
};

} // namespace poptap
