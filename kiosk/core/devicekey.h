#pragma once

#include <QByteArray>
#include <QString>

#include <cstdint>

namespace poptap {

// The per-device secret that signs registration tokens, kept owner-only (0600) in the data
// directory. Until the kiosk is enrolled with the delivery service it is generated here;
// enrollment hands that one over and replaces it with the key the service issued.
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

    // Enrollment: the key the delivery service issued signs every token from now on. The
    // service also keeps the local key it was handed, so tokens already on phones stay
    // claimable. The outbox generation counter carries on. Empty on success; on failure the
    // key in use is unchanged.
    QString adoptEnrolledKey(std::uint32_t keyId, const QByteArray &secret);
    bool isEnrolled() const { return m_enrolled; }
    // Re-enrollment after the service revoked this device: its enrolled key must not be handed
    // over again (the service refuses a key id it already knows, and a revoked key should stay
    // dead), so a fresh local key signs from here until the new enrollment replaces it.
    QString startNewLocalKey();

private:
    QString save() const;

    QString m_path;
    std::uint32_t m_keyId = 0;
    QByteArray m_secret;
    int m_nextEpoch = 1;
    bool m_enrolled = false;
};

struct DeviceKey::Load {
    DeviceKey key;
    QString error; // empty on success
};

} // namespace poptap
