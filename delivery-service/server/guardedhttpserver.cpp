#include "guardedhttpserver.h"

#include "deliverylogging.h"

#include "http/httpdate.h"
#include "wire/apierror.h"

#include <QHttpServerResponder>
#include <QDateTime>
#include <QMetaEnum>

namespace poptap::delivery {
namespace {

using wire::ApiError;
namespace code = wire::errorcode;

void refuse(QHttpServerResponder &&responder, const ApiError &error)
{
    responder.write(error.toJson(), "application/json", QHttpServerResponder::StatusCode(error.httpStatus));
}

// Media type without parameters, lower-cased: "application/json; charset=utf-8" -> "application/json".
QByteArray mediaType(const QByteArray &contentType)
{
    const qsizetype semicolon = contentType.indexOf(';');
    return (semicolon < 0 ? contentType : contentType.left(semicolon)).trimmed().toLower();
}

std::optional<ApiError> violation(const QHttpServerRequest &request)
{
    const auto headers = request.headers();
    qsizetype headerBytes = 0;
    QByteArray contentType;
    bool hasHost = false;
    for (const auto &[name, value] : headers) {
        hasHost = hasHost || name.compare("host", Qt::CaseInsensitive) == 0;
        headerBytes += name.size() + value.size() + 4; // ": " and CRLF, as on the wire
        if (name.compare("content-type", Qt::CaseInsensitive) == 0)
            contentType = value;
    }
    // HTTP/1.1 requires Host (RFC 9112, 3.2). Qt HttpServer 6.4 also drops every header of a
    // request with more than 100 fields or over 80 KiB of them, so those arrive here without one.
    if (!hasHost)
        return ApiError::make(code::kMalformedRequest,
                              QStringLiteral("no Host header (or headers far over %1 bytes or %2 fields)")
                                  .arg(wire::kMaxHeaderBytes)
                                  .arg(wire::kMaxHeaderFields));
    if (headers.size() > wire::kMaxHeaderFields || headerBytes > wire::kMaxHeaderBytes)
        return ApiError::make(code::kHeadersTooLarge, QStringLiteral("request headers larger than %1 bytes or %2 fields")
                                                          .arg(wire::kMaxHeaderBytes)
                                                          .arg(wire::kMaxHeaderFields));
    const QByteArray body = request.body();
    if (body.size() > wire::kMaxBodyBytes)
        return ApiError::make(code::kPayloadTooLarge, QStringLiteral("(body): larger than %1 bytes").arg(wire::kMaxBodyBytes));
    // Every body the service reads is JSON: kiosks, the LIFF page and LINE's webhooks.
    if (!body.isEmpty() && mediaType(contentType) != "application/json")
        return ApiError::make(code::kUnsupportedMediaType, QStringLiteral("Content-Type must be application/json"));
    return std::nullopt;
}

} // namespace

GuardedHttpServer::GuardedHttpServer(QObject *parent)
    : QAbstractHttpServer(parent)
{
    // Every answer carries the service's clock: kiosks correct their signing time from it.
    m_routes.afterRequest([](QHttpServerResponse &&response) {
        response.setHeader("Date", http::formatHttpDate(QDateTime::currentDateTimeUtc()));
        return std::move(response);
    });
}

bool GuardedHttpServer::handleRequest(const QHttpServerRequest &request, QTcpSocket *socket)
{
    if (const std::optional<ApiError> refused = violation(request)) {
        qCInfo(lcHttp).noquote() << request.url().path() << "refused:" << refused->message;
        refuse(makeResponder(request, socket), *refused);
        return true;
    }
    return m_routes.router()->handleRequest(request, socket);
}

void GuardedHttpServer::missingHandler(const QHttpServerRequest &request, QTcpSocket *socket)
{
    refuse(makeResponder(request, socket),
           ApiError::make(code::kNotFound, QStringLiteral("nothing is served at %1 %2")
                                               .arg(QString::fromLatin1(QMetaEnum::fromType<QHttpServerRequest::Method>()
                                                                            .valueToKey(int(request.method()))),
                                                    request.url().path())));
}

} // namespace poptap::delivery
