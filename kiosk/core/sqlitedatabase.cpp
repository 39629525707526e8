#include "sqlitedatabase.h"

#include "kiosklogging.h"

#include <QDateTime>
#include <QFile>
#include <QSqlQuery>
#include <QVariant>

namespace poptap {
namespace {

constexpr int kSqliteCorrupt = 11;
constexpr int kSqliteFull = 13;
constexpr int kSqliteNotADatabase = 26;

int primaryCode(const QSqlError &error)
{
    // Extended result codes carry the primary code in the low byte.
    return error.nativeErrorCode().toInt() & 0xff;
}

} // namespace

SqliteDatabase::SqliteDatabase(const QString &connectionName)
    : m_connectionName(connectionName)
{
}

SqliteDatabase::~SqliteDatabase()
{
    close();
}

QSqlDatabase SqliteDatabase::handle() const
{
    return QSqlDatabase::database(m_connectionName, false);
}

bool SqliteDatabase::isFull(const QSqlError &error)
{
    return primaryCode(error) == kSqliteFull;
}

bool SqliteDatabase::isCorrupt(const QSqlError &error)
{
    const int code = primaryCode(error);
    return code == kSqliteCorrupt || code == kSqliteNotADatabase;
}

void SqliteDatabase::close()
{
    if (!QSqlDatabase::contains(m_connectionName))
        return;
    {
        QSqlDatabase db = QSqlDatabase::database(m_connectionName, false);
        db.close();
    }
    QSqlDatabase::removeDatabase(m_connectionName);
}

SqliteDatabase::OpenResult SqliteDatabase::open(const QString &path, const std::vector<Migration> &migrations,
                                                qint64 maxBytes)
{
    m_path = path;
    m_maxBytes = maxBytes;
    OpenResult result;
    switch (tryOpen(migrations, result)) {
    case Attempt::Ok:
        return result;
    case Attempt::Failed:
        close();
        return result;
    case Attempt::Corrupt:
        break;
    }
    close();
    result.quarantinedTo = quarantine();
    if (result.quarantinedTo.isEmpty()) {
        result.error = QStringLiteral("%1 is corrupt (%2) and could not be moved aside").arg(path, result.corruption);
        return result;
    }
    qCCritical(lcStore).noquote() << path << "is corrupt:" << result.corruption << "- kept as"
                                  << result.quarantinedTo << "and started anew";
    if (tryOpen(migrations, result) != Attempt::Ok) {
        close();
        if (result.error.isEmpty())
            result.error = QStringLiteral("%1: a fresh database could not be created").arg(path);
    }
    return result;
}

SqliteDatabase::Attempt SqliteDatabase::tryOpen(const std::vector<Migration> &migrations, OpenResult &result)
{
    QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), m_connectionName);
    db.setDatabaseName(m_path);
    db.setConnectOptions(QStringLiteral("QSQLITE_BUSY_TIMEOUT=5000"));
    if (!db.open()) {
        result.error = QStringLiteral("cannot open %1: %2").arg(m_path, db.lastError().text());
        return Attempt::Failed;
    }
    QSqlQuery q(db);
    // The first statement reads the header: a file that is not SQLite fails here.
    if (!q.exec(QStringLiteral("PRAGMA journal_mode=WAL")) || !q.next()) {
        if (isCorrupt(q.lastError())) {
            result.corruption = q.lastError().text();
            return Attempt::Corrupt;
        }
        result.error = QStringLiteral("cannot open %1: %2").arg(m_path, q.lastError().text());
        return Attempt::Failed;
    }
    if (!q.exec(QStringLiteral("PRAGMA quick_check"))) {
        if (isCorrupt(q.lastError())) {
            result.corruption = q.lastError().text();
            return Attempt::Corrupt;
        }
        result.error = QStringLiteral("cannot check %1: %2").arg(m_path, q.lastError().text());
        return Attempt::Failed;
    }
    QStringList problems;
    while (q.next())
        problems << q.value(0).toString();
    if (problems != QStringList{QStringLiteral("ok")}) {
        result.corruption = problems.mid(0, 5).join(QLatin1String("; "));
        return Attempt::Corrupt;
    }
    for (const char *pragma : {"PRAGMA synchronous=FULL", "PRAGMA foreign_keys=ON"})
        q.exec(QString::fromLatin1(pragma));
    if (m_maxBytes > 0)
        setMaxBytes(m_maxBytes);

    const int current = schemaVersion();
    const int newest = migrations.empty() ? 0 : migrations.back().version;
    if (current > newest) {
        result.error = QStringLiteral("%1 has schema version %2, newer than this kiosk knows (%3); refusing to touch it")
                           .arg(m_path).arg(current).arg(newest);
        return Attempt::Failed;
    }
    result.created = current == 0;
    for (const Migration &m : migrations) {
        if (m.version <= current)
            continue;
        db.transaction();
        bool ok = true;
        for (const QString &statement : m.statements) {
            if (!q.exec(statement)) {
                result.error = QStringLiteral("migration of %1 to version %2 failed: %3")
                                   .arg(m_path).arg(m.version).arg(q.lastError().text());
                ok = false;
                break;
            }
        }
        if (ok && !q.exec(QStringLiteral("PRAGMA user_version=%1").arg(m.version)))
            ok = false;
        if (!ok || !db.commit()) {
            db.rollback();
            if (result.error.isEmpty())
                result.error = QStringLiteral("migration of %1 to version %2 failed: %3")
                                   .arg(m_path).arg(m.version).arg(db.lastError().text());
            return Attempt::Failed;
        }
        qCInfo(lcStore).noquote() << m_path << "migrated to schema version" << m.version;
    }
    return Attempt::Ok;
}

int SqliteDatabase::schemaVersion() const
{
    QSqlQuery q(handle());
    if (q.exec(QStringLiteral("PRAGMA user_version")) && q.next())
        return q.value(0).toInt();
    return -1;
}

bool SqliteDatabase::setMaxBytes(qint64 maxBytes)
{
    m_maxBytes = maxBytes;
    QSqlQuery q(handle());
    if (!q.exec(QStringLiteral("PRAGMA page_size")) || !q.next())
        return false;
    const qint64 pageSize = q.value(0).toLongLong();
    return q.exec(QStringLiteral("PRAGMA max_page_count=%1").arg(qMax<qint64>(1, maxBytes / pageSize)));
}

QString SqliteDatabase::quarantine()
{
    const QString stamp = QDateTime::currentDateTimeUtc().toString(QStringLiteral("yyyyMMdd'T'HHmmss'Z'"));
    QString target = m_path + QStringLiteral(".corrupt-") + stamp;
    for (int n = 1; QFile::exists(target); ++n)
        target = m_path + QStringLiteral(".corrupt-%1-%2").arg(stamp).arg(n);
    if (!QFile::rename(m_path, target))
        return {};
    // The WAL belongs to the bad file; keep it beside it. The shared-memory index is rebuilt.
    QFile::rename(m_path + QStringLiteral("-wal"), target + QStringLiteral("-wal"));
    QFile::remove(m_path + QStringLiteral("-shm"));
    return target;
}

} // namespace poptap
