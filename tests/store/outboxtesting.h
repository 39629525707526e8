#pragma once

// Shared by the outbox store suites: claims, signing and a second, independent
// SQLite connection that looks at the file the way an auditor would.

#include "devicekey.h"
#include "outboxstore.h"
#include "registrationtoken.h"

#include <QAtomicInteger>
#include <QCryptographicHash>
#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QMap>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QSqlRecord>
#include <QVariant>

namespace poptap::testing {

inline QDateTime nowWholeSeconds()
{
    return QDateTime::fromSecsSinceEpoch(QDateTime::currentSecsSinceEpoch(), Qt::UTC);
}

inline TokenClaims claimsFor(const DeviceKey &key, quint32 target,
                             RegistrationKind kind = RegistrationKind::BrandInterest,
                             const QDateTime &issuedAt = nowWholeSeconds())
{
    TokenClaims claims;
    claims.keyId = key.keyId();
    claims.kind = kind;
    claims.target = target;
    claims.issuedAt = issuedAt;
    claims.ttlHours = 24;
    return claims;
}

inline std::function<QString(const TokenClaims &)> signerFor(const DeviceKey &key)
{
    const QByteArray secret = key.secret();
    return [secret](const TokenClaims &claims) { return RegistrationToken::issue(claims, secret); };
}

inline RegistrationToken::SecretLookup lookupFor(const DeviceKey &key)
{
    const std::uint32_t keyId = key.keyId();
    const QByteArray secret = key.secret();
    return [keyId, secret](std::uint32_t id) -> std::optional<QByteArray> {
        if (id == keyId)
            return secret;
        return std::nullopt;
    };
}

// Options whose epoch comes from `key`, as the kiosk wires them; `allocations`
// (optional) counts how often the store asked for a new epoch.
inline OutboxStore::Options optionsFor(DeviceKey &key, qint64 maxBytes = 0, int *allocations = nullptr)
{
    OutboxStore::Options options;
    options.maxBytes = maxBytes;
    options.allocateEpoch = [&key, allocations](QString *error) {
        if (allocations)
            ++*allocations;
        return key.allocateEpoch(error);
    };
    return options;
}

inline QByteArray fileBytes(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

// Every file of a directory with a hash of its bytes: "left untouched" means equal snapshots.
inline QMap<QString, QByteArray> snapshotOf(const QString &dir)
{
    QMap<QString, QByteArray> files;
    for (const QFileInfo &info : QDir(dir).entryInfoList(QDir::Files | QDir::Hidden)) {
        files.insert(info.fileName(),
                     QCryptographicHash::hash(fileBytes(info.filePath()), QCryptographicHash::Sha256).toHex());
    }
    return files;
}

inline QStringList quarantinedFiles(const QString &dir)
{
    return QDir(dir).entryList({QStringLiteral("*.corrupt-*")}, QDir::Files, QDir::Name);
}

// A second connection with its own name on the same file, independent of the store's
// writer connection. Used only from the thread that created it.
class SideConnection
{
public:
    explicit SideConnection(const QString &path, bool readOnly = true)
        : m_name(QStringLiteral("side-%1").arg(s_counter.fetchAndAddRelaxed(1)))
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), m_name);
        db.setDatabaseName(path);
        if (readOnly)
            db.setConnectOptions(QStringLiteral("QSQLITE_OPEN_READONLY;QSQLITE_BUSY_TIMEOUT=5000"));
        else
            db.setConnectOptions(QStringLiteral("QSQLITE_BUSY_TIMEOUT=5000"));
        if (!db.open())
            m_error = db.lastError().text();
    }
    ~SideConnection()
    {
        {
            QSqlDatabase db = QSqlDatabase::database(m_name, false);
            db.close();
        }
        QSqlDatabase::removeDatabase(m_name);
    }
    SideConnection(const SideConnection &) = delete;
    SideConnection &operator=(const SideConnection &) = delete;

    bool isOpen() const { return m_error.isEmpty(); }
    QString error() const { return m_error; }

    // All rows of `sql`; on failure an empty list and error() says why.
    QList<QVariantList> rows(const QString &sql)
    {
        QList<QVariantList> result;
        QSqlQuery q(QSqlDatabase::database(m_name, false));
        if (!q.exec(sql)) {
            m_error = q.lastError().text();
            return result;
        }
        while (q.next()) {
            QVariantList row;
            for (int i = 0; i < q.record().count(); ++i)
                row << q.value(i);
            result << row;
        }
        return result;
    }
    QVariant value(const QString &sql)
    {
        const QList<QVariantList> all = rows(sql);
        return all.isEmpty() || all.first().isEmpty() ? QVariant() : all.first().first();
    }
    bool exec(const QString &sql)
    {
        QSqlQuery q(QSqlDatabase::database(m_name, false));
        if (q.exec(sql))
            return true;
        m_error = q.lastError().text();
        return false;
    }
    // PRAGMA quick_check, one line per problem; {"ok"} for a sound file.
    QStringList quickCheck()
    {
        QStringList lines;
        for (const QVariantList &row : rows(QStringLiteral("PRAGMA quick_check")))
            lines << row.value(0).toString();
        if (lines.isEmpty())
            lines << QStringLiteral("quick_check failed: ") + m_error;
        return lines;
    }

private:
    static inline QAtomicInteger<int> s_counter{0};
    QString m_name;
    QString m_error;
};

} // namespace poptap::testing
