#include "kioskapiclient.h"

#include "http/httpdate.h"
#include "wire/catalogwire.h"
#include "wire/requestauth.h"

namespace poptap::sync {

KioskApiClient::KioskApiClient(http::HttpTransport &transport, QUrl serviceUrl, Clock now, QObject *parent)
    : QObject(parent)
    , m_transport(transport)
    , m_serviceUrl(std::move(serviceUrl))
    , m_now(std::move(now))
{
}

void KioskApiClient::setIdentity(const std::optional<EnrolledIdentity> &identity)
{
    m_identity = identity;
}

void KioskApiClient::send(const QByteArray &method, const QByteArray &path, const QByteArray &body,
                          QList<std::pair<QByteArray, QByteArray>> headers, bool sign,
                          std::function<void(const Answer &)> done)
{
    http::HttpRequest request;
    request.method = method;
    QUrl url = m_serviceUrl;
    url.setPath(url.path().chopped(url.path().endsWith(u'/') ? 1 : 0) + QString::fromLatin1(path));
    request.url = url;
    if (!body.isEmpty())
        headers.append(std::pair<QByteArray, QByteArray>("Content-Type", "application/json"));
    headers.append(std::pair<QByteArray, QByteArray>("Accept", "application/json"));
    if (sign && m_identity) {
        // Signed over the request target exactly as it goes on the wire.
        const QByteArray target = url.toEncoded(QUrl::RemoveScheme | QUrl::RemoveAuthority | QUrl::RemoveFragment);
        const wire::RequestSigner signer(m_identity->deviceId, m_identity->requestSecret);
        headers.append(signer.sign(method, target, body, m_now().toSecsSinceEpoch() + m_clockOffsetSeconds).list());
    }
    request.headers = headers;
    request.body = body;
    m_transport.send(std::move(request), this, [this, done = std::move(done)](const http::HttpResponse &response) {
        learnClock(response);
        done(read(response));
    });
}

KioskApiClient::Answer KioskApiClient::read(const http::HttpResponse &response)
{
    Answer answer;
    answer.status = response.ok() ? response.status : 0;
    answer.response = response;
    if (answer.status >= 400) {
        if (const auto parsed = wire::ApiError::fromJson(response.body, response.status); parsed.ok())
            answer.error = *parsed.value;
    }
    // "tls: SSL certificate problem ...": staff see that trust failed, not just "the network".
    const QString transportError = response.error == http::TransportError::None
        ? response.errorText
        : QStringLiteral("%1: %2").arg(QString::fromLatin1(http::transportErrorName(response.error)), response.errorText);
    answer.outcome = classifyAnswer(answer.status, transportError, answer.error ? answer.error->error : QString(),
                                    response.header("retry-after"), m_now().addSecs(m_clockOffsetSeconds));
    return answer;
}

void KioskApiClient::learnClock(const http::HttpResponse &response)
{
    const std::optional<QDateTime> serverNow = http::parseHttpDate(response.header("date"));
    if (!serverNow)
        return;
    // Date has whole seconds and the answer took a moment: only act on a real difference.
    const qint64 offset = m_now().secsTo(*serverNow);
    if (qAbs(offset - m_clockOffsetSeconds) < 5)
        return;
    m_clockOffsetSeconds = offset;
    Q_EMIT clockOffsetChanged(offset);
}

void KioskApiClient::enroll(const wire::EnrollmentRequest &request,
                            std::function<void(const Answer &, const std::optional<wire::EnrollmentResponse> &)> done)
{
    send("POST", "/v1/enrollments", request.toJson(), {}, false, [done = std::move(done)](const Answer &answer) {
        std::optional<wire::EnrollmentResponse> enrolled;
        Answer result = answer;
        if (answer.status == 201) {
            const auto parsed = wire::EnrollmentResponse::fromJson(answer.response.body);
            if (parsed.ok())
                enrolled = *parsed.value;
            else // a 201 we cannot read is the service's fault: try again later
                result.outcome = {Disposition::Retry, std::nullopt, QStringLiteral("unreadable enrollment answer: ") + parsed.errorText()};
        }
        done(result, enrolled);
    });
}

void KioskApiClient::uploadBatch(const QByteArray &idempotencyKey, const wire::RegistrationBatch &batch,
                                 std::function<void(const Answer &, const std::optional<wire::RegistrationBatchResponse> &)> done)
{
    send("POST", "/v1/registrations", batch.toJson(), {{wire::kIdempotencyKeyHeader, idempotencyKey}}, true,
         [batch, done = std::move(done)](const Answer &answer) {
             std::optional<wire::RegistrationBatchResponse> results;
             Answer result = answer;
             if (answer.status == 200) {
                 const auto parsed = wire::RegistrationBatchResponse::fromJson(answer.response.body);
                 // An answer about another batch, or one we cannot read, settles nothing.
                 if (!parsed.ok())
                     result.outcome = {Disposition::Retry, std::nullopt, QStringLiteral("unreadable batch answer: ") + parsed.errorText()};
                 else if (const auto mismatches = parsed.value->mismatchesWith(batch); !mismatches.isEmpty())
                     result.outcome = {Disposition::Retry, std::nullopt,
                                       QStringLiteral("batch answer does not match: ") + wire::joinErrors(mismatches, 3)};
                 else
                     results = *parsed.value;
             }
             done(result, results);
         });
}

void KioskApiClient::fetchCatalog(const QByteArray &etag,
                                  std::function<void(const Answer &, const QByteArray &, const QByteArray &)> done)
{
    QList<std::pair<QByteArray, QByteArray>> headers;
    if (!etag.isEmpty())
        headers.append(std::pair<QByteArray, QByteArray>("If-None-Match", etag));
    send("GET", "/v1/catalog", {}, headers, true, [done = std::move(done)](const Answer &answer) {
        if (answer.status == 200)
            done(answer, answer.response.body, answer.response.header("etag"));
        else
            done(answer, {}, {});
    });
}

void KioskApiClient::sendHeartbeat(const wire::Heartbeat &heartbeat, std::function<void(const Answer &)> done)
{
    send("POST", "/v1/heartbeats", heartbeat.toJson(), {}, true, std::move(done));
}

} // namespace poptap::sync
