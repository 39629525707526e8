#include "kioskdata.h"

#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QVariant>

#include <atomic>

namespace poptap::test {

DeviceKeyFile DeviceKeyFile::read(const QString &dataDir)
{
    DeviceKeyFile key;
    QFile file(QDir(dataDir).filePath(QStringLiteral("device-key.json")));
    if (!file.open(QIODevice::ReadOnly)) {
        key.error = QStringLiteral("cannot read %1: %2").arg(file.fileName(), file.errorString());
        return key;
    }
    const QJsonObject json = QJsonDocument::fromJson(file.readAll()).object();
    key.keyId = quint32(json.value(QLatin1String("keyId")).toInteger());
    key.secret = QByteArray::fromBase64(json.value(QLatin1String("secret")).toString().toLatin1(),
                                        QByteArray::AbortOnBase64DecodingErrors);
    if (key.keyId == 0 || key.secret.isEmpty())
        key.error = QStringLiteral("%1 holds no keyId and secret").arg(file.fileName());
    return key;
}

OutboxReader::OutboxReader(const QString &path)
{
    static std::atomic<int> next{0};
    m_connection = QStringLiteral("poptap-test-outbox-reader-%1").arg(next++);
    QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), m_connection);
    db.setDatabaseName(path);
    db.setConnectOptions(QStringLiteral("QSQLITE_OPEN_READONLY;QSQLITE_BUSY_TIMEOUT=5000"));
    if (!QFile::exists(path))
        m_error = QStringLiteral("%1 does not exist").arg(path);
    else if (!db.open())
        m_error = QStringLiteral("cannot open %1: %2").arg(path, db.lastError().text());
}

OutboxReader::~OutboxReader()
{
    QSqlDatabase::database(m_connection, false).close();
    QSqlDatabase::removeDatabase(m_connection);
}

QList<IntentRow> OutboxReader::select(const QString &where, const QString &value)
{
    QList<IntentRow> rows;
    if (!isOpen())
        return rows;
    QSqlQuery q(QSqlDatabase::database(m_connection, false));
    q.prepare(QStringLiteral("SELECT intent_id, key_id, epoch, sequence, kind, target, token, issued_at, expires_at,"
                             " state FROM intent %1 ORDER BY id").arg(where));
    if (!value.isNull())
        q.addBindValue(value);
    if (!q.exec()) {
        m_error = q.lastError().text();
        return rows;
    }
    while (q.next()) {
        IntentRow r;
        r.intentId = q.value(0).toString();
        r.keyId = q.value(1).toLongLong();
        r.epoch = q.value(2).toInt();
        r.sequence = q.value(3).toLongLong();
        r.kind = q.value(4).toInt();
        r.target = q.value(5).toLongLong();
        r.token = q.value(6).toString();
        r.issuedAt = q.value(7).toLongLong();
        r.expiresAt = q.value(8).toLongLong();
        r.state = q.value(9).toString();
        rows.append(r);
    }
    return rows;
}

QList<IntentRow> OutboxReader::intents()
{
    return select({}, {});
}

std::optional<IntentRow> OutboxReader::byToken(const QString &token)
{
    const QList<IntentRow> rows = select(QStringLiteral("WHERE token = ?"), token);
    if (rows.isEmpty())
        return std::nullopt;
    return rows.constFirst();
}

qint64 OutboxReader::count()
{
    if (!isOpen())
        return -1;
    QSqlQuery q(QSqlDatabase::database(m_connection, false));
    return q.exec(QStringLiteral("SELECT count(*) FROM intent")) && q.next() ? q.value(0).toLongLong() : -1;
}

} // namespace poptap::test
