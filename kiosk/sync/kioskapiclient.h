#pragma once

#include "answerclass.h"
#include "enrolledidentity.h"
#include "http/httptransport.h"

#include "wire/apierror.h"
#include "wire/enrollmentwire.h"
#include "wire/heartbeatwire.h"
#include "wire/registrationwire.h"

#include <QObject>
#include <QUrl>

#include <functional>
#include <optional>

namespace poptap::sync {

// The kiosk API (backend-client/openapi/kiosk-api.yaml) as calls: builds each request,
// signs it once enrolled, and reads the answer into wire types and a disposition.
// It learns the service's clock from its Date header, so a kiosk whose own clock is off
// still signs with timestamps the service accepts (and can report the skew).
class KioskApiClient : public QObject
{
    Q_OBJECT
public:
    using Clock = std::function<QDateTime()>;
    KioskApiClient(http::HttpTransport &transport, QUrl serviceUrl, Clock now, QObject *parent = nullptr);

    void setIdentity(const std::optional<EnrolledIdentity> &identity);
    QUrl serviceUrl() const { return m_serviceUrl; }
    // The service's clock minus ours, in seconds, as last seen in a Date header.
    qint64 clockOffsetSeconds() const { return m_clockOffsetSeconds; }

    struct Answer {
        int status = 0;
        AnswerClass outcome;
        std::optional<wire::ApiError> error; // the error body, when there was one
        http::HttpResponse response;
    };
    void enroll(const wire::EnrollmentRequest &request,
                std::function<void(const Answer &, const std::optional<wire::EnrollmentResponse> &)> done);
    void uploadBatch(const QByteArray &idempotencyKey, const wire::RegistrationBatch &batch,
                     std::function<void(const Answer &, const std::optional<wire::RegistrationBatchResponse> &)> done);
    // `etag` empty: unconditional. On 200 the body and its ETag; on 304 neither.
    void fetchCatalog(const QByteArray &etag,
                      std::function<void(const Answer &, const QByteArray &body, const QByteArray &etag)> done);
    void sendHeartbeat(const wire::Heartbeat &heartbeat, std::function<void(const Answer &)> done);

Q_SIGNALS:
    void clockOffsetChanged(qint64 seconds);

private:
    void send(const QByteArray &method, const QByteArray &path, const QByteArray &body,
              QList<std::pair<QByteArray, QByteArray>> headers, bool sign, std::function<void(const Answer &)> done);
    Answer read(const http::HttpResponse &response);
    void learnClock(const http::HttpResponse &response);

    http::HttpTransport &m_transport;
    QUrl m_serviceUrl;
    Clock m_now;
    std::optional<EnrolledIdentity> m_identity;
    qint64 m_clockOffsetSeconds = 0;
};

} // namespace poptap::sync
