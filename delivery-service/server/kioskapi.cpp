#include "kioskapi.h"

#include "deviceregistry.h"
#include "requestheaders.h"

#include "wire/catalogwire.h"
#include "wire/heartbeatwire.h"

#include <QDateTime>
#include <QMetaEnum>

namespace poptap::delivery {
namespace {

using wire::ApiError;
namespace code = wire::errorcode;

QHttpServerResponse json(int status, const QByteArray &body)
{
    return QHttpServerResponse("application/json", body, QHttpServerResponse::StatusCode(status));
}

QHttpServerResponse apiError(const ApiError &error)
{
    QHttpServerResponse response = json(error.httpStatus, error.toJson());
    if (error.httpStatus == 401)
        response.addHeader("WWW-Authenticate", wire::authheader::kChallenge);
    if (error.httpStatus == 429 || error.httpStatus == 503)
        response.addHeader("Retry-After", "2");
    return response;
}

QByteArray pathWithQuery(const QHttpServerRequest &request)
{
    return request.url().toEncoded(QUrl::RemoveScheme | QUrl::RemoveAuthority | QUrl::RemoveFragment);
}

} // namespace

KioskApi::KioskApi(KioskLedger &ledger, DeviceRegistry &registry)
    : m_ledger(ledger)
    , m_registry(registry)
    , m_verifier([this](const QString &deviceId, const QByteArray &nonce, qint64 until) {
        return m_ledger.rememberNonce(deviceId, nonce, until);
    })
{
}

void KioskApi::registerRoutes(QHttpServer &http)
{
    using Method = QHttpServerRequest::Method;
    http.route(QStringLiteral("/v1/enrollments"), Method::Post, [this](const QHttpServerRequest &r) { return enroll(r); });
    http.route(QStringLiteral("/v1/catalog"), Method::Get, [this](const QHttpServerRequest &r) { return catalog(r); });
    http.route(QStringLiteral("/v1/registrations"), Method::Post,
               [this](const QHttpServerRequest &r) { return registrations(r); });
    http.route(QStringLiteral("/v1/heartbeats"), Method::Post, [this](const QHttpServerRequest &r) { return heartbeat(r); });
}

KioskApi::Authenticated KioskApi::authenticate(const QHttpServerRequest &request)
{
    const QByteArray body = request.body();
    const QByteArray method = QByteArray(QMetaEnum::fromType<QHttpServerRequest::Method>().valueToKey(int(request.method()))).toUpper();
    const QByteArray path = pathWithQuery(request);
    wire::ReceivedRequest received{method, path, body, findHeader(request, wire::authheader::kDevice),
                                   findHeader(request, wire::authheader::kTimestamp),
                                   findHeader(request, wire::authheader::kNonce),
                                   findHeader(request, wire::authheader::kSignature)};
    const wire::AuthResult result = m_verifier.verify(
        received,
        [this](const QString &deviceId) -> std::optional<wire::RequestVerifier::DeviceCredential> {
            const auto device = m_ledger.device(deviceId);
            if (!device)
                return std::nullopt;
            return wire::RequestVerifier::DeviceCredential{device->requestSecret, device->revoked};
        },
        QDateTime::currentSecsSinceEpoch());
    if (!result.ok()) {
        QHttpServerResponse refusal = apiError(result.toApiError());
        refusal.addHeader("Date", QDateTime::currentDateTimeUtc().toString(Qt::RFC2822Date).toLatin1());
        return {std::nullopt, std::move(refusal)};
    }
    return {result.deviceId, std::nullopt};
}

QHttpServerResponse KioskApi::enroll(const QHttpServerRequest &request)
{
    const auto parsed = wire::EnrollmentRequest::fromJson(request.body());
    if (!parsed.ok())
        return apiError(ApiError::fromParseFailure(parsed.failure, parsed.errors));
    const KioskLedger::Enrolled enrolled = m_ledger.enroll(*parsed.value);
    if (enrolled.error)
        return apiError(*enrolled.error);
    return json(201, enrolled.response->toJson());
}

QHttpServerResponse KioskApi::catalog(const QHttpServerRequest &request)
{
    Authenticated auth = authenticate(request);
    if (auth.refusal)
        return std::move(*auth.refusal);
    const auto device = m_ledger.device(*auth.deviceId);
    const auto stored = device ? m_registry.catalog(device->storeId) : std::nullopt;
    if (!stored)
        return apiError(ApiError::make(code::kNotFound, QStringLiteral("no catalog for this device's store yet")));
    const QByteArray etag = stored->etag.toLatin1();
    if (wire::ifNoneMatchHits(header(request, "If-None-Match"), etag)) {
        QHttpServerResponse notModified(QHttpServerResponse::StatusCode::NotModified);
        notModified.addHeader("ETag", etag);
        return notModified;
    }
    QHttpServerResponse response = json(200, stored->body);
    response.addHeader("ETag", etag);
    return response;
}

QHttpServerResponse KioskApi::registrations(const QHttpServerRequest &request)
{
    Authenticated auth = authenticate(request);
    if (auth.refusal)
        return std::move(*auth.refusal);
    const KioskLedger::Ingested result = m_ledger.ingest(*auth.deviceId, header(request, wire::kIdempotencyKeyHeader),
                                                         request.body());
    QHttpServerResponse response = json(result.httpStatus, result.body);
    if (result.replayed)
        response.addHeader(wire::kIdempotentReplayedHeader, "true");
    if (result.httpStatus == 429 || result.httpStatus == 503)
        response.addHeader("Retry-After", "2");
    return response;
}

QHttpServerResponse KioskApi::heartbeat(const QHttpServerRequest &request)
{
    Authenticated auth = authenticate(request);
    if (auth.refusal)
        return std::move(*auth.refusal);
    const auto parsed = wire::Heartbeat::fromJson(request.body());
    if (!parsed.ok())
        return apiError(ApiError::fromParseFailure(parsed.failure, parsed.errors));
    if (!m_ledger.recordHeartbeat(*auth.deviceId, request.body()).isEmpty())
        return apiError(ApiError::make(code::kUnavailable, QStringLiteral("heartbeat not stored")));
    return QHttpServerResponse(QHttpServerResponse::StatusCode::NoContent);
}

} // namespace poptap::delivery
