#include "enrolledidentity.h"

#include "securefile.h"

#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QUrl>

namespace poptap::sync {

EnrolledIdentity::Load EnrolledIdentity::load(const QString &dataDir)
{
    Load result;
    const QString path = QDir(dataDir).filePath(fileName());
    QFile file(path);
    if (!file.exists())
        return result;
    if (!file.open(QIODevice::ReadOnly)) {
        result.error = QStringLiteral("cannot read %1: %2").arg(path, file.errorString());
        return result;
    }
    const QJsonObject json = QJsonDocument::fromJson(file.read(64 * 1024)).object();
    EnrolledIdentity id;
    id.deviceId = json.value(QLatin1String("deviceId")).toString();
    id.storeId = std::uint32_t(json.value(QLatin1String("storeId")).toInteger());
    id.requestSecret = QByteArray::fromBase64(json.value(QLatin1String("requestSecret")).toString().toLatin1());
    id.serviceUrl = json.value(QLatin1String("serviceUrl")).toString();
    static const QRegularExpression deviceIdPattern(QStringLiteral("^[A-Za-z0-9_-]{8,64}$"));
    const QUrl url(id.serviceUrl, QUrl::StrictMode);
    if (!deviceIdPattern.match(id.deviceId).hasMatch() || id.storeId == 0 || id.requestSecret.size() != 32
        || !url.isValid() || (url.scheme() != QLatin1String("https") && url.scheme() != QLatin1String("http"))) {
        result.error = QStringLiteral("%1 is damaged; enroll the kiosk again").arg(path);
        return result;
    }
    result.identity = id;
    return result;
}

QString EnrolledIdentity::save(const QString &dataDir) const
{
    const QJsonObject json{{QStringLiteral("deviceId"), deviceId},
                           {QStringLiteral("storeId"), qint64(storeId)},
                           {QStringLiteral("requestSecret"), QString::fromLatin1(requestSecret.toBase64())},
                           {QStringLiteral("serviceUrl"), serviceUrl}};
    return writeOwnerOnlyFile(QDir(dataDir).filePath(fileName()), QJsonDocument(json).toJson());
}

QString EnrolledIdentity::retire(const QString &dataDir, const QString &suffix)
{
    const QString path = QDir(dataDir).filePath(fileName());
    if (!QFile::exists(path))
        return {};
    const QString aside = path + QStringLiteral(".retired-") + suffix;
    return QFile::rename(path, aside) ? QString() : QStringLiteral("cannot move %1 aside").arg(path);
}

} // namespace poptap::sync
