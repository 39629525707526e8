#pragma once

#include "wirecommon.h"

#include <cstdint>

namespace poptap::wire {

// A token-signing key: keyId goes into every token it signs (RegistrationToken), secret is
// kSecretBytes of HMAC key.
struct DeviceKey {
    std::uint32_t keyId = 0; // 1 .. 2^32-1
    QByteArray secret;
    bool operator==(const DeviceKey &) const = default;
};

// POST /v1/enrollments. Unauthenticated: the one-time code is the credential. The kiosk hands
// over the key it has signed tokens with since first boot, so those stay verifiable.
struct EnrollmentRequest {
    static constexpr int kMaxDeviceNameLength = 64;

    QString enrollmentCode; // "7KQ2-M9XD-4PRT-W3HF": 16 Crockford base-32 characters in 4 groups
    DeviceKey localKey;
    QString deviceName;     // staff-visible label, e.g. "Jingumae entrance"
    QString version;        // kiosk software version, e.g. "0.1.0" or "1.2.0~rc1+deb12"

    QByteArray toJson() const;
    static WireResult<EnrollmentRequest> fromJson(const QByteArray &json);
    bool operator==(const EnrollmentRequest &) const = default;
};

// 201 answer: who the kiosk now is, a new token-signing key and a separate request-signing secret.
struct EnrollmentResponse {
    QString deviceId;        // ^[A-Za-z0-9_-]{8,64}$, sent as X-PopTap-Device
    std::uint32_t storeId = 0;
    DeviceKey deviceKey;     // signs tokens from now on; keyId differs from localKey.keyId
    QByteArray requestSecret; // signs requests (RequestSigner); never used for tokens

    QByteArray toJson() const;
    static WireResult<EnrollmentResponse> fromJson(const QByteArray &json);
    bool operator==(const EnrollmentResponse &) const = default;
};

// Formats shared with the other messages and the authentication headers.
bool isValidEnrollmentCode(QStringView code);
bool isValidDeviceId(QStringView deviceId);
bool isValidSoftwareVersion(QStringView version);

} // namespace poptap::wire
