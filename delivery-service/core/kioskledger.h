#pragma once

#include "servicedatabase.h"

#include "wire/apierror.h"
#include "wire/enrollmentwire.h"
#include "wire/registrationwire.h"

#include <QDateTime>

#include <functional>
#include <optional>

namespace poptap::delivery {

// What the kiosk API keeps: enrollment codes and enrolments, request nonces, idempotent
// registration batches and heartbeats. Transport-free, so tests drive it directly.
class KioskLedger
{
public:
    using Clock = std::function<QDateTime()>;
    KioskLedger(ServiceDatabase &db, Clock now);

    // A one-time code for a store's next kiosk ("7KQ2-M9XD-4PRT-W3HF"); only its hash is kept.
    std::optional<QString> createEnrollmentCode(std::int64_t storeId, int validHours, QString *error);

    struct Enrolled {
        std::optional<wire::EnrollmentResponse> response;
        std::optional<wire::ApiError> error;
    };
    Enrolled enroll(const wire::EnrollmentRequest &request);

    struct DeviceAuth {
        QByteArray requestSecret;
        bool revoked = false;
        std::int64_t storeId = 0;
    };
    std::optional<DeviceAuth> device(const QString &deviceId) const;
    // True when the nonce is new for the device (and remembers it until `until`).
    bool rememberNonce(const QString &deviceId, const QByteArray &nonce, qint64 untilUnixSeconds);

    struct Ingested {
        int httpStatus = 200;
        QByteArray body;         // the response body (results, or an error)
        bool replayed = false;   // the stored answer to an earlier identical request
    };
    Ingested ingest(const QString &deviceId, const QByteArray &idempotencyKey, const QByteArray &body);

    QString recordHeartbeat(const QString &deviceId, const QByteArray &body);

private:
    wire::RegistrationBatchResponse verdicts(const QString &deviceId, const wire::RegistrationBatch &batch, bool *ok);
    std::optional<wire::EnrollmentResponse> existingEnrolment(const QString &deviceId) const;

    ServiceDatabase &m_db;
    Clock m_now;
};

} // namespace poptap::delivery
