#include "echoserver.h"

#include <QHttpServerRequest>
#include <QHttpServerResponse>
#include <QMetaEnum>
#include <QSslServer>
#include <QSslSocket>
#include <QTcpServer>

namespace {

// Counts accepted connections before handing them on to the real server class.
template <class Server>
class CountingServer : public Server
{
public:
    int accepted = 0;

protected:
    void incomingConnection(qintptr handle) override
    {
        ++accepted;
        Server::incomingConnection(handle);
    }
};

QByteArray requestHeader(const QHttpServerRequest &request, QByteArrayView name)
{
    const auto headers = request.headers();
    for (const auto &[key, value] : headers)
        if (key.compare(name, Qt::CaseInsensitive) == 0)
            return value;
    return {};
}

QHttpServerResponse echo(const QHttpServerRequest &request)
{
    QHttpServerResponse response("application/octet-stream", request.body());
    const char *method = QMetaEnum::fromType<QHttpServerRequest::Method>().valueToKey(int(request.method()));
    response.addHeader("x-echo-method", QByteArray(method).toUpper());
    response.addHeader("x-echo-test", requestHeader(request, "x-poptap-test"));
    response.addHeader("x-echo-user-agent", requestHeader(request, "user-agent"));
    response.addHeader("x-echo-content-type", requestHeader(request, "content-type"));
    return response;
}

} // namespace

EchoServer::EchoServer(std::optional<QSslConfiguration> tls, const QHostAddress &address)
    : m_host(address.toString()), m_tls(tls.has_value())
{
    m_http.route(QStringLiteral("/echo"), [](const QHttpServerRequest &request) { return echo(request); });
    m_http.route(QStringLiteral("/big"), [](const QHttpServerRequest &request) {
        const qsizetype bytes = request.query().queryItemValue(QStringLiteral("bytes")).toLongLong();
        return QHttpServerResponse("application/octet-stream", QByteArray(bytes, 'x'));
    });
    m_http.route(QStringLiteral("/status/<arg>"),
                 [](int code) { return QHttpServerResponse(QHttpServerResponse::StatusCode(code)); });

    if (tls) {
        auto *server = new CountingServer<QSslServer>;
        server->setSslConfiguration(*tls);
        QObject::connect(server, &QSslServer::startedEncryptionHandshake, server,
                         [names = m_clientNames](QSslSocket *socket) {
                             QObject::connect(socket, &QSslSocket::encrypted, socket, [names, socket] {
                                 const QSslCertificate peer = socket->peerCertificate();
                                 if (!peer.isNull())
                                     names->append(peer.subjectInfo(QSslCertificate::CommonName).join(u','));
                             });
                         });
        m_listener = server;
    } else {
        m_listener = new CountingServer<QTcpServer>;
    }
    if (m_listener->listen(address))
        m_port = m_listener->serverPort();
    m_http.bind(m_listener);
}

EchoServer::~EchoServer() = default;

QUrl EchoServer::url(const QString &pathAndQuery) const
{
    return QUrl(QStringLiteral("%1://%2:%3%4").arg(m_tls ? u"https" : u"http", m_host).arg(m_port).arg(pathAndQuery));
}

int EchoServer::connections() const
{
    if (auto *tls = dynamic_cast<CountingServer<QSslServer> *>(m_listener))
        return tls->accepted;
    return static_cast<CountingServer<QTcpServer> *>(m_listener)->accepted;
}

QStringList EchoServer::clientCertificateNames() const
{
    return *m_clientNames;
}
