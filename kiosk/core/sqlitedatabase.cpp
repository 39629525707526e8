#include "sqlitedatabase.h"

#include "kiosklogging.h"

#include <QDateTime>
#include <QFile>
#include <QFileInfo>
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

SqliteDatabase::Attempt SqliteDatabase::inspect(int newestVersion, OpenResult &result, bool &checked)
{
    // A read-only look first: refusing a newer schema or finding corruption must not
    // change the file, and a read-only connection never checkpoints the WAL into it.
    checked = false;
    if (!QFileInfo::exists(m_path))
        return Attempt::Ok;
    const QString name = m_connectionName + QStringLiteral("-inspect");
    // A read-only reader of a WAL database still creates the -wal and -shm files; the
    // look must leave the directory as it found it, so remove what it created.
    const QString wal = m_path + QStringLiteral("-wal");
    const QString shm = m_path + QStringLiteral("-shm");
    const bool hadWal = QFileInfo::exists(wal);
    const bool hadShm = QFileInfo::exists(shm);
    Attempt attempt = Attempt::Ok;
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), name);
        db.setDatabaseName(m_path);
        db.setConnectOptions(QStringLiteral("QSQLITE_OPEN_READONLY;QSQLITE_BUSY_TIMEOUT=5000"));
        QSqlQuery q(db);
        if (!db.open()) {
            qCWarning(lcStore).noquote() << "cannot inspect" << m_path << "read-only:" << db.lastError().text();
        } else if (!q.exec(QStringLiteral("PRAGMA user_version")) || !q.next()) {
            if (isCorrupt(q.lastError())) {
                result.corruption = q.lastError().text();
                attempt = Attempt::Corrupt;
            } else {
                // e.g. a WAL without its shared-memory file: the writer below checks instead.
                qCWarning(lcStore).noquote() << "cannot inspect" << m_path << "read-only:" << q.lastError().text();
            }
        } else if (const int version = q.value(0).toInt(); version > newestVersion) {
            result.error = QStringLiteral("%1 has schema version %2, newer than this kiosk knows (%3); refusing to touch it")
                               .arg(m_path).arg(version).arg(newestVersion);
            attempt = Attempt::Failed;
        } else {
            attempt = quickCheck(q, result);
            checked = attempt != Attempt::Failed;
        }
        q.finish();
        db.close();
    }
    QSqlDatabase::removeDatabase(name);
    if (!hadWal && QFileInfo(wal).size() == 0)
        QFile::remove(wal);
    if (!hadShm)
        QFile::remove(shm);
    return attempt;
}

SqliteDatabase::Attempt SqliteDatabase::quickCheck(QSqlQuery &q, OpenResult &result)
{
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
    return Attempt::Ok;
}

SqliteDatabase::Attempt SqliteDatabase::tryOpen(const std::vector<Migration> &migrations, OpenResult &result)
{
    const int newest = migrations.empty() ? 0 : migrations.back().version;
    bool checked = false;
    if (const Attempt inspected = inspect(newest, result, checked); inspected != Attempt::Ok)
        return inspected;

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
    if (!checked) {
        if (const Attempt check = quickCheck(q, result); check != Attempt::Ok)
            return check;
    }
    for (const char *pragma : {"PRAGMA synchronous=FULL", "PRAGMA foreign_keys=ON"})
        q.exec(QString::fromLatin1(pragma));
    if (m_maxBytes > 0)
        setMaxBytes(m_maxBytes);

    const int current = schemaVersion();
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

double SqliteDatabase::capUsage() const
{
    QSqlQuery q(handle());
    const auto pragma = [&q](const char *name) {
        return q.exec(QLatin1String(name)) && q.next() ? q.value(0).toLongLong() : -1;
    };
    const qint64 maxPages = pragma("PRAGMA max_page_count");
    const qint64 pages = pragma("PRAGMA page_count");
    const qint64 free = pragma("PRAGMA freelist_count");
    if (m_maxBytes <= 0 || maxPages <= 0 || pages < 0 || free < 0)
        return 0;
    return double(pages - free) / double(maxPages);
}

QSqlError SqliteDatabase::execute(const QString &statement)
{
    QSqlQuery q(handle());
    return q.exec(statement) ? QSqlError() : q.lastError();
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
