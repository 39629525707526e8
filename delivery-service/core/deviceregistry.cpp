#include "deviceregistry.h"

#include "catalog.h"
#include "popdirectory.h"
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
    // Refused here rather than by a thousand kiosks: the same parser the kiosk applies.
    if (catalogJson.size() > wire::kMaxCatalogBytes)
        return QStringLiteral("catalog larger than %1 bytes").arg(wire::kMaxCatalogBytes);
    const CatalogParse parsed = parseCatalogJson(catalogJson);
    if (!parsed.errors.isEmpty())
        return QStringLiteral("catalog refused: ") + parsed.errors.join(QStringLiteral("; "));
    if (qint64(parsed.catalog.store.id) != storeId)
        return QStringLiteral("catalog is for store %1, not store %2").arg(parsed.catalog.store.id).arg(storeId);
    // Sticker links name only the POP id: one id, one POP in the whole service (popdirectory.h).
    if (const QString clash = PopDirectory(m_db).conflicts(storeId, parsed.catalog); !clash.isEmpty())
        return clash;
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

std::optional<QString> DeviceRegistry::catalogETag(std::int64_t storeId) const
{
    QSqlQuery q(m_db.handle());
    q.prepare(QStringLiteral("SELECT etag FROM store_catalog WHERE store_id = ?"));
    q.addBindValue(qint64(storeId));
    if (!q.exec() || !q.next())
        return std::nullopt;
    return q.value(0).toString();
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
    if (const QString error = run(q); !error.isEmpty())
        return error;
    if (q.numRowsAffected() > 0)
        return {};
    // Revoking twice is fine; revoking a device that never existed is a typo worth saying.
    QSqlQuery known(m_db.handle());
    known.prepare(QStringLiteral("SELECT 1 FROM device WHERE id = ?"));
    known.addBindValue(deviceId);
    if (!known.exec())
        return known.lastError().text();
    return known.next() ? QString() : QStringLiteral("no device '%1'").arg(deviceId);
}

QList<DeviceRegistry::StoreSummary> DeviceRegistry::stores(QString *error) const
{
    QSqlQuery q(m_db.handle());
    if (!q.exec(QStringLiteral("SELECT s.id, s.code, s.name_ja, s.name_en, c.etag,"
                               " (SELECT COUNT(*) FROM device d WHERE d.store_id = s.id AND d.revoked_at IS NULL)"
                               " FROM store s LEFT JOIN store_catalog c ON c.store_id = s.id ORDER BY s.id"))) {
        *error = q.lastError().text();
        return {};
    }
    QList<StoreSummary> all;
    while (q.next()) {
        StoreSummary s{q.value(0).toLongLong(), q.value(1).toString(), q.value(2).toString(), q.value(3).toString(),
                       std::nullopt, q.value(5).toInt()};
        if (!q.value(4).isNull())
            s.catalogETag = q.value(4).toString();
        all << s;
    }
    return all;
}

QList<DeviceRegistry::DeviceSummary> DeviceRegistry::devices(std::optional<std::int64_t> storeId, QString *error) const
{
    QSqlQuery q(m_db.handle());
    q.prepare(QStringLiteral("SELECT d.id, d.store_id, d.name, d.enrolled_at, d.revoked_at, h.received_at, h.body"
                             " FROM device d LEFT JOIN device_heartbeat h ON h.device_id = d.id")
              + (storeId ? QStringLiteral(" WHERE d.store_id = ?") : QString()) + QStringLiteral(" ORDER BY d.store_id, d.id"));
    if (storeId)
        q.addBindValue(qint64(*storeId));
    if (!q.exec()) {
        *error = q.lastError().text();
        return {};
    }
    const auto time = [&q](int column) -> std::optional<QDateTime> {
        if (q.value(column).isNull())
            return std::nullopt;
        return QDateTime::fromMSecsSinceEpoch(q.value(column).toLongLong(), Qt::UTC);
    };
    QList<DeviceSummary> all;
    while (q.next())
        all << DeviceSummary{q.value(0).toString(), q.value(1).toLongLong(), q.value(2).toString(), *time(3),
                             time(4), time(5), q.value(6).toString().toUtf8()};
    return all;
}

bool DeviceRegistry::hasStore(std::int64_t storeId) const
{
    QSqlQuery q(m_db.handle());
    q.prepare(QStringLiteral("SELECT 1 FROM store WHERE id = ?"));
    q.addBindValue(qint64(storeId));
    return q.exec() && q.next();
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
