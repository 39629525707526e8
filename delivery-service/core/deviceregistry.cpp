#include "deviceregistry.h"

#include "wire/catalogwire.h"

#include <QSqlQuery>
#include <QVariant>

namespace poptap::delivery {
namespace {

QString run(QSqlQuery &q)
{
    return q.exec() ? QString() : q.lastError().text();
}

} // namespace

DeviceRegistry::DeviceRegistry(ServiceDatabase &db)
    : m_db(db)
{
}

QString DeviceRegistry::addStore(std::int64_t id, const QString &code, const QString &nameJa, const QString &nameEn)
{
    QSqlQuery q(m_db.handle());
    q.prepare(QStringLiteral("INSERT INTO store (id, code, name_ja, name_en, created_at) VALUES (?, ?, ?, ?, ?)"
                             " ON CONFLICT (id) DO UPDATE SET code = excluded.code, name_ja = excluded.name_ja,"
                             " name_en = excluded.name_en"));
    q.addBindValue(qint64(id));
    q.addBindValue(code);
    q.addBindValue(nameJa);
    q.addBindValue(nameEn);
    q.addBindValue(QDateTime::currentMSecsSinceEpoch());
    return run(q);
}

QString DeviceRegistry::setCatalog(std::int64_t storeId, const QByteArray &catalogJson)
{
    // The protocol's ETag (backend-client), computed once here and served as stored.
    const QString etag = QString::fromLatin1(wire::catalogETag(catalogJson));
    QSqlQuery q(m_db.handle());
    q.prepare(QStringLiteral("INSERT INTO store_catalog (store_id, etag, body, updated_at) VALUES (?, ?, ?, ?)"
                             " ON CONFLICT (store_id) DO UPDATE SET etag = excluded.etag, body = excluded.body,"
                             " updated_at = excluded.updated_at"));
    q.addBindValue(qint64(storeId));
    q.addBindValue(etag);
    q.addBindValue(QString::fromUtf8(catalogJson));
    q.addBindValue(QDateTime::currentMSecsSinceEpoch());
    return run(q);
}

std::optional<DeviceRegistry::StoredCatalog> DeviceRegistry::catalog(std::int64_t storeId) const
{
    QSqlQuery q(m_db.handle());
    q.prepare(QStringLiteral("SELECT etag, body FROM store_catalog WHERE store_id = ?"));
    q.addBindValue(qint64(storeId));
    if (!q.exec() || !q.next())
        return std::nullopt;
    return StoredCatalog{q.value(0).toString(), q.value(1).toString().toUtf8()};
}

QString DeviceRegistry::addDevice(const QString &deviceId, std::int64_t storeId, const QString &name,
                                  const QByteArray &requestSecret)
{
    QSqlQuery q(m_db.handle());
    q.prepare(QStringLiteral("INSERT INTO device (id, store_id, name, request_secret, enrolled_at) VALUES (?, ?, ?, ?, ?)"));
    q.addBindValue(deviceId);
    q.addBindValue(qint64(storeId));
    q.addBindValue(name);
    q.addBindValue(QString::fromLatin1(requestSecret.toBase64()));
    q.addBindValue(QDateTime::currentMSecsSinceEpoch());
    return run(q);
}

QString DeviceRegistry::addKey(std::uint32_t keyId, const QString &deviceId, const QByteArray &secret, const QString &origin)
{
    QSqlQuery q(m_db.handle());
    q.prepare(QStringLiteral("INSERT INTO device_key (key_id, device_id, secret, origin, created_at) VALUES (?, ?, ?, ?, ?)"));
    q.addBindValue(qint64(keyId));
    q.addBindValue(deviceId);
    q.addBindValue(QString::fromLatin1(secret.toBase64()));
    q.addBindValue(origin);
    q.addBindValue(QDateTime::currentMSecsSinceEpoch());
    return run(q);
}

QString DeviceRegistry::revokeDevice(const QString &deviceId, const QDateTime &at)
{
    QSqlQuery q(m_db.handle());
    q.prepare(QStringLiteral("UPDATE device SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL"));
    q.addBindValue(at.toMSecsSinceEpoch());
    q.addBindValue(deviceId);
    return run(q);
}

std::optional<QByteArray> DeviceRegistry::keySecret(std::uint32_t keyId) const
{
    QSqlQuery q(m_db.handle());
    q.prepare(QStringLiteral("SELECT secret FROM device_key WHERE key_id = ?"));
    q.addBindValue(qint64(keyId));
    if (!q.exec() || !q.next())
        return std::nullopt;
    return QByteArray::fromBase64(q.value(0).toString().toLatin1());
}

std::optional<DeviceRegistry::KeyOwner> DeviceRegistry::keyOwner(std::uint32_t keyId) const
{
    QSqlQuery q(m_db.handle());
    q.prepare(QStringLiteral("SELECT d.id, d.store_id, d.revoked_at FROM device_key k JOIN device d ON d.id = k.device_id"
                             " WHERE k.key_id = ?"));
    q.addBindValue(qint64(keyId));
    if (!q.exec() || !q.next())
        return std::nullopt;
    KeyOwner owner{q.value(0).toString(), q.value(1).toLongLong(), std::nullopt};
    if (!q.value(2).isNull())
        owner.revokedAt = QDateTime::fromMSecsSinceEpoch(q.value(2).toLongLong(), Qt::UTC);
    return owner;
}

} // namespace poptap::delivery
