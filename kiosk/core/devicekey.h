#pragma once

#include <QByteArray>
#include <QString>

#include <cstdint>

namespace poptap {

// The per-device secret that signs registration tokens. Until the kiosk is enrolled
// with the delivery service, it is generated here and kept owner-only (0600) in the
// data directory; enrollment (a later step) hands it over or replaces it.
class DeviceKey
{
public:
    struct Load;
    // Reads <dataDir>/device-key.json, creating a fresh random key on first start.
    static Load loadOrCreate(const QString &dataDir);

    std::uint32_t keyId() const { return m_keyId; }
    QByteArray secret() const { return m_secret; }
    QString path() const { return m_path; }

    // A new outbox generation, persisted before it is returned: a recreated outbox
    // (first start, or after a corrupt one was quarantined) never reuses a sequence.
    // Returns -1 (and sets error) when it cannot be persisted.
    int allocateEpoch(QString *error);

private:
    QString save() const;

    QString m_path;
    std::uint32_t m_keyId = 0;
    QByteArray m_secret;
    int m_nextEpoch = 1;
};

struct DeviceKey::Load {
    DeviceKey key;
    QString error; // empty on success
};

} // namespace poptap
