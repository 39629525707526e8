#include "devicekey.h"

#include "kiosklogging.h"
#include "securefile.h"

#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRandomGenerator>

#include <tuple>

namespace poptap {
namespace {
constexpr int kSecretBytes = 32;
constexpr int kMaxEpoch = 0xffff;

std::pair<std::uint32_t, QByteArray> randomKey()
{
    auto *random = QRandomGenerator::system();
    std::uint32_t keyId = 0;
    do {
        keyId = random->generate();
    } while (keyId == 0);
    QByteArray secret(kSecretBytes, Qt::Uninitialized);
    random->generate(reinterpret_cast<quint32 *>(secret.data()), reinterpret_cast<quint32 *>(secret.data() + kSecretBytes));
    return {keyId, secret};
}
} // namespace

DeviceKey::Load DeviceKey::loadOrCreate(const QString &dataDir)
{
    Load result;
    DeviceKey &key = result.key;
    key.m_path = QDir(dataDir).filePath(QStringLiteral("device-key.json"));

    QFile file(key.m_path);
    if (file.exists()) {
        if (!file.open(QIODevice::ReadOnly)) {
            result.error = QStringLiteral("cannot read %1: %2").arg(key.m_path, file.errorString());
            return result;
        }
        const QJsonObject json = QJsonDocument::fromJson(file.read(64 * 1024)).object();
        key.m_keyId = std::uint32_t(json.value(QLatin1String("keyId")).toInteger());
        key.m_secret = QByteArray::fromBase64(json.value(QLatin1String("secret")).toString().toLatin1());
        key.m_nextEpoch = json.value(QLatin1String("nextEpoch")).toInt(1);
        key.m_enrolled = json.value(QLatin1String("enrolled")).toBool(false);
        if (key.m_keyId == 0 || key.m_secret.size() != kSecretBytes || key.m_nextEpoch < 1) {
            // Never silently replace a key: tokens already on phones were signed with it.
            result.error = QStringLiteral("%1 is damaged; restore it or remove it to start with a new device key")
                               .arg(key.m_path);
            return result;
        }
        if (!isOwnerOnly(key.m_path)) {
            qCWarning(lcRegistration) << key.m_path << "was readable by others; restricting it to the owner";
            file.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner);
        }
        return result;
    }

    std::tie(key.m_keyId, key.m_secret) = randomKey();
    if (const QString error = key.save(); !error.isEmpty())
        result.error = error;
    else
        qCInfo(lcRegistration).noquote() << "created a local device key" << Qt::hex << key.m_keyId;
    return result;
}

int DeviceKey::allocateEpoch(QString *error)
{
    if (m_nextEpoch > kMaxEpoch) {
        *error = QStringLiteral("outbox generations exhausted; the device must be re-enrolled");
        return -1;
    }
    const int epoch = m_nextEpoch++;
    if (const QString saveError = save(); !saveError.isEmpty()) {
        --m_nextEpoch;
        *error = saveError;
        return -1;
    }
    return epoch;
}

QString DeviceKey::adoptEnrolledKey(std::uint32_t keyId, const QByteArray &secret)
{
    if (keyId == 0 || secret.size() != kSecretBytes)
        return QStringLiteral("the enrolled key is not a key id with %1 secret bytes").arg(kSecretBytes);
    const DeviceKey previous = *this;
    m_keyId = keyId;
    m_secret = secret;
    m_enrolled = true;
    if (const QString error = save(); !error.isEmpty()) {
        *this = previous;
        return error;
    }
    qCInfo(lcRegistration).noquote() << "tokens are now signed with the enrolled key" << Qt::hex << keyId;
    return {};
}

QString DeviceKey::startNewLocalKey()
{
    const DeviceKey previous = *this;
    std::tie(m_keyId, m_secret) = randomKey();
    m_enrolled = false;
    if (const QString error = save(); !error.isEmpty()) {
        *this = previous;
        return error;
    }
    qCInfo(lcRegistration).noquote() << "started a new local device key" << Qt::hex << m_keyId << "for re-enrollment";
    return {};
}

QString DeviceKey::save() const
{
    const QJsonObject json{
        {QStringLiteral("keyId"), qint64(m_keyId)},
        {QStringLiteral("secret"), QString::fromLatin1(m_secret.toBase64())},
        {QStringLiteral("nextEpoch"), m_nextEpoch},
        {QStringLiteral("enrolled"), m_enrolled},
    };
    return writeOwnerOnlyFile(m_path, QJsonDocument(json).toJson());
}

} // namespace poptap
