#include "enrollmentwire.h"

#include "wirerules.h"

#include <QJsonDocument>

namespace poptap::wire {
namespace {

constexpr qint64 kMaxU32 = 0xffffffffll;

QJsonObject keyJson(const DeviceKey &key)
{
    return {{QStringLiteral("keyId"), qint64(key.keyId)},
            {QStringLiteral("secret"), QString::fromLatin1(encodeBase64(key.secret))}};
}

std::optional<DeviceKey> readKey(JsonReader &read, const QJsonObject &parent, const char *member)
{
    const std::optional<QJsonObject> o = read.object(parent, member, {});
    if (!o)
        return std::nullopt;
    const QString where = JsonReader::at({}, member);
    const std::optional<qint64> keyId = read.integer(*o, "keyId", where, 1, kMaxU32);
    const std::optional<QByteArray> secret = read.secret(*o, "secret", where);
    if (!keyId || !secret)
        return std::nullopt;
    return DeviceKey{std::uint32_t(*keyId), *secret};
}

QByteArray compact(const QJsonObject &o)
{
    return QJsonDocument(o).toJson(QJsonDocument::Compact);
}

} // namespace

bool isValidEnrollmentCode(QStringView code)
{
    return rules::matches(rules::enrollmentCode(), code);
}

bool isValidDeviceId(QStringView deviceId)
{
    return rules::matches(rules::deviceId(), deviceId);
}

bool isValidSoftwareVersion(QStringView version)
{
    return rules::matches(rules::softwareVersion(), version);
}

QByteArray EnrollmentRequest::toJson() const
{
    return compact({{QStringLiteral("enrollmentCode"), enrollmentCode},
                    {QStringLiteral("localKey"), keyJson(localKey)},
                    {QStringLiteral("deviceName"), deviceName},
                    {QStringLiteral("version"), version}});
}

WireResult<EnrollmentRequest> EnrollmentRequest::fromJson(const QByteArray &json)
{
    WireResult<EnrollmentRequest> result;
    const std::optional<QJsonObject> root = parseJsonObject(json, result.errors, result.failure);
    if (!root)
        return result;
    JsonReader read(result.errors, result.failure);
    const auto code = read.text(*root, "enrollmentCode", {}, rules::enrollmentCode());
    const auto key = readKey(read, *root, "localKey");
    const auto name = read.text(*root, "deviceName", {}, rules::plainText(kMaxDeviceNameLength));
    const auto version = read.text(*root, "version", {}, rules::softwareVersion());
    if (!read.failed())
        result.value = EnrollmentRequest{*code, *key, *name, *version};
    return result;
}

QByteArray EnrollmentResponse::toJson() const
{
    return compact({{QStringLiteral("deviceId"), deviceId},
                    {QStringLiteral("storeId"), qint64(storeId)},
                    {QStringLiteral("deviceKey"), keyJson(deviceKey)},
                    {QStringLiteral("requestSecret"), QString::fromLatin1(encodeBase64(requestSecret))}});
}

WireResult<EnrollmentResponse> EnrollmentResponse::fromJson(const QByteArray &json)
{
    WireResult<EnrollmentResponse> result;
    const std::optional<QJsonObject> root = parseJsonObject(json, result.errors, result.failure);
    if (!root)
        return result;
    JsonReader read(result.errors, result.failure);
    const auto deviceId = read.text(*root, "deviceId", {}, rules::deviceId());
    const auto storeId = read.integer(*root, "storeId", {}, 1, kMaxU32);
    const auto key = readKey(read, *root, "deviceKey");
    const auto requestSecret = read.secret(*root, "requestSecret", {});
    if (key && requestSecret && key->secret == *requestSecret)
        read.fail(QStringLiteral("requestSecret"), QStringLiteral("must differ from deviceKey.secret"));
    if (!read.failed())
        result.value = EnrollmentResponse{*deviceId, std::uint32_t(*storeId), *key, *requestSecret};
    return result;
}

} // namespace poptap::wire
