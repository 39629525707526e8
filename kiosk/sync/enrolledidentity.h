#pragma once

#include <QByteArray>
#include <QString>

#include <cstdint>
#include <optional>

namespace poptap::sync {

// Who this kiosk is to the delivery service once enrolled: the device id it signs requests
// as, the request-signing secret (never the token key; that is DeviceKey's), its store and
// the service it enrolled with. Kept owner-only in <dataDir>/enrollment.json.
struct EnrolledIdentity {
    QString deviceId;
    std::uint32_t storeId = 0;
    QByteArray requestSecret;
    QString serviceUrl;

    struct Load;
    static Load load(const QString &dataDir);
    // Atomic and fsynced: a power cut leaves the old file or the new one.
    QString save(const QString &dataDir) const;
    // "Re-enrollment needed": the file is moved aside, never deleted, for support to look at.
    static QString retire(const QString &dataDir, const QString &suffix);

    static QString fileName() { return QStringLiteral("enrollment.json"); }
    bool operator==(const EnrolledIdentity &) const = default;
};

struct EnrolledIdentity::Load {
    std::optional<EnrolledIdentity> identity; // nullopt: not enrolled (or error)
    QString error;                            // a file that exists but cannot be used
};

} // namespace poptap::sync
