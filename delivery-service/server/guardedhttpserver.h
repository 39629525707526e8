#pragma once

#include <QAbstractHttpServer>
#include <QHttpServer>

namespace poptap::delivery {

// The service's HTTP listener: Qt HttpServer routes behind the checks every route needs
// before it sees a request (Qt HttpServer 6.4 has none of its own):
// - no Host header (also what Qt 6.4 leaves of far larger headers) -> 400 malformed_request
// - headers over wire::kMaxHeaderBytes or kMaxHeaderFields      -> 431 headers_too_large
// - a body over wire::kMaxBodyBytes                             -> 413 payload_too_large
// - a body that is not application/json                       -> 415 unsupported_media_type
// - a path or method nobody serves                              -> 404 not_found, as JSON
// Qt reads a whole request before handing it over, so a front proxy should still cap
// request sizes on the wire (README, "Deploying").
class GuardedHttpServer : public QAbstractHttpServer
{
    Q_OBJECT
public:
    explicit GuardedHttpServer(QObject *parent = nullptr);

    // Where routes are added. It never listens itself.
    QHttpServer &routes() { return m_routes; }

protected:
    bool handleRequest(const QHttpServerRequest &request, QTcpSocket *socket) override;
    void missingHandler(const QHttpServerRequest &request, QTcpSocket *socket) override;

private:
    QHttpServer m_routes;
};

} // namespace poptap::delivery
