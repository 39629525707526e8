#pragma once

#include "servicedatabase.h"

#include <QByteArray>
#include <QDateTime>
#include <QString>

#include <cstdint>
#include <optional>

namespace poptap::delivery {

// Stores, their catalogs, their kiosks and every key a kiosk signed tokens with.
class DeviceRegistry
{
public:
    explicit DeviceRegistry(ServiceDatabase &db);

    struct KeyOwner {
        QString deviceId;
        std::int64_t storeId = 0;
        std::optional<QDateTime> revokedAt;
    };

    QString addStore(std::int64_t id, const QString &code, const QString &nameJa, const QString &nameEn);
    // Replaces a store's catalog and its ETag (wire::catalogETag of the body).
    QString setCatalog(std::int64_t storeId, const QByteArray &catalogJson);
    struct StoredCatalog {
        QString etag;
        QByteArray body;
    };
    std::optional<StoredCatalog> catalog(std::int64_t storeId) const;

    QString addDevice(const QString &deviceId, std::int64_t storeId, const QString &name, const QByteArray &requestSecret);
    QString addKey(std::uint32_t keyId, const QString &deviceId, const QByteArray &secret, const QString &origin);
    QString revokeDevice(const QString &deviceId, const QDateTime &at);

    std::optional<QByteArray> keySecret(std::uint32_t keyId) const;
    std::optional<KeyOwner> keyOwner(std::uint32_t keyId) const;

private:
    ServiceDatabase &m_db;
};

} // namespace poptap::delivery
