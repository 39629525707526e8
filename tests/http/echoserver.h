#pragma once

#include <QHostAddress>
#include <QHttpServer>
#include <QSslConfiguration>
#include <QStringList>
#include <QUrl>

#include <memory>
#include <optional>

class QTcpServer;

// Qt HttpServer on loopback, over HTTP or (given a TLS configuration) HTTPS, counting the TCP
// connections it accepts. Routes:
//   /echo            any method; answers the request body, with x-echo-method, x-echo-test (the
//                    request's x-poptap-test), x-echo-user-agent and x-echo-content-type headers
//   /big?bytes=N     N bytes of 'x', with Content-Length
//   /status/<code>   an empty answer with that status
class EchoServer
{
public:
    explicit EchoServer(std::optional<QSslConfiguration> tls = std::nullopt,
                        const QHostAddress &address = QHostAddress(QHostAddress::LocalHost));
    ~EchoServer();

    quint16 port() const { return m_port; }
    QUrl url(const QString &pathAndQuery) const;
    int connections() const;                  // TCP connections accepted so far
    QStringList clientCertificateNames() const; // CNs of the client certificates presented

private:
    QHttpServer m_http;
    QTcpServer *m_listener = nullptr;         // owned by m_http
    std::shared_ptr<QStringList> m_clientNames = std::make_shared<QStringList>();
    quint16 m_port = 0;
    QString m_host;
    bool m_tls = false;
};
