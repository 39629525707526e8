#pragma once

#include "servicedatabase.h"

#include <QByteArray>
#include <QDateTime>
#include <QList>
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
    // Replaces a store's catalog and its ETag (wire::catalogETag of the body). A catalog the
    // kiosk would refuse, or one for another store, is refused with the parser's reasons.
    QString setCatalog(std::int64_t storeId, const QByteArray &catalogJson);
    struct StoredCatalog {
        QString etag;
        QByteArray body;
    };
    std::optional<StoredCatalog> catalog(std::int64_t storeId) const;
    std::optional<QString> catalogETag(std::int64_t storeId) const; // without reading the body

    QString addDevice(const QString &deviceId, std::int64_t storeId, const QString &name, const QByteArray &requestSecret);
    QString addKey(std::uint32_t keyId, const QString &deviceId, const QByteArray &secret, const QString &origin);
    // Refused from `at` on, at once. Revoking again is a no-op; an unknown id is an error.
    QString revokeDevice(const QString &deviceId, const QDateTime &at);

    // What an operator lists. `error` is set when the database could not answer.
    struct StoreSummary {
        std::int64_t id = 0;
        QString code;
        QString nameJa;
        QString nameEn;
        std::optional<QString> catalogETag;
        int devices = 0; // enrolled and not revoked
    };
    QList<StoreSummary> stores(QString *error) const;
    struct DeviceSummary {
        QString id;
        std::int64_t storeId = 0;
        QString name;
        QDateTime enrolledAt;
        std::optional<QDateTime> revokedAt;
        std::optional<QDateTime> lastSeen; // when the last heartbeat arrived
        QByteArray heartbeat;              // its body, as the kiosk sent it
    };
    QList<DeviceSummary> devices(std::optional<std::int64_t> storeId, QString *error) const;
    bool hasStore(std::int64_t storeId) const;

    std::optional<QByteArray> keySecret(std::uint32_t keyId) const;
    std::optional<KeyOwner> keyOwner(std::uint32_t keyId) const;

private:
    ServiceDatabase &m_db;
};

} // namespace poptap::delivery
