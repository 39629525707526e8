#include "tlsforwarder.h"

#include <QSslSocket>
#include <QTcpSocket>

TlsForwarder::TlsForwarder(QSslConfiguration tls, quint16 targetPort)
    : m_targetPort(targetPort)
{
    // The service behind speaks HTTP/1.1 only: HTTP/2 must not be offered in its name.
    tls.setAllowedNextProtocols({QSslConfiguration::NextProtocolHttp1_1});
    m_server.setSslConfiguration(tls);
    QObject::connect(&m_server, &QSslServer::startedEncryptionHandshake, &m_server,
                     [this](QSslSocket *) { ++m_handshakesStarted; });
    // QSslServer queues a connection only once its handshake has succeeded.
    QObject::connect(&m_server, &QTcpServer::pendingConnectionAvailable, &m_server, [this] {
        while (QTcpSocket *client = m_server.nextPendingConnection())
            forward(qobject_cast<QSslSocket *>(client));
    });
    if (!m_server.listen(QHostAddress::LocalHost))
        qFatal("the TLS forwarder cannot listen: %s", qPrintable(m_server.errorString()));
}

void TlsForwarder::forward(QSslSocket *client)
{
    auto *upstream = new QTcpSocket(client);
    // Bytes the client sends before the service accepts wait in the client's buffer.
    QObject::connect(upstream, &QTcpSocket::connected, client, [this, client, upstream] {
        const auto toService = [this, client, upstream] {
            const QByteArray bytes = client->readAll();
            m_bytesForwarded += bytes.size();
            upstream->write(bytes);
        };
        QObject::connect(client, &QSslSocket::readyRead, upstream, toService);
        QObject::connect(upstream, &QTcpSocket::readyRead, client, [client, upstream] { client->write(upstream->readAll()); });
        QObject::connect(client, &QSslSocket::disconnected, upstream, &QTcpSocket::disconnectFromHost);
        QObject::connect(upstream, &QTcpSocket::disconnected, client, &QSslSocket::disconnectFromHost);
        toService();
    });
    QObject::connect(upstream, &QTcpSocket::errorOccurred, client, [client] { client->disconnectFromHost(); });
    QObject::connect(client, &QSslSocket::disconnected, client, &QObject::deleteLater);
    upstream->connectToHost(QHostAddress::LocalHost, m_targetPort);
}
