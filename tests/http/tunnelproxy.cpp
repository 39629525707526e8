#include "tunnelproxy.h"

#include <QTcpSocket>
#include <QUrl>

namespace {

// Copies bytes both ways until either side closes.
void pipe(QTcpSocket *client, QTcpSocket *upstream)
{
    QObject::connect(client, &QTcpSocket::readyRead, upstream, [client, upstream] { upstream->write(client->readAll()); });
    QObject::connect(upstream, &QTcpSocket::readyRead, client, [client, upstream] { client->write(upstream->readAll()); });
    QObject::connect(client, &QTcpSocket::disconnected, upstream, &QTcpSocket::disconnectFromHost);
    QObject::connect(upstream, &QTcpSocket::disconnected, client, &QTcpSocket::disconnectFromHost);
}

} // namespace

TunnelProxy::TunnelProxy(bool refuse)
    : m_refuse(refuse)
{
    QObject::connect(&m_server, &QTcpServer::newConnection, &m_server, [this] {
        while (QTcpSocket *client = m_server.nextPendingConnection())
            serve(client);
    });
    m_server.listen(QHostAddress::LocalHost);
}

QString TunnelProxy::address() const
{
    return QStringLiteral("http://127.0.0.1:%1").arg(port());
}

void TunnelProxy::serve(QTcpSocket *client)
{
    auto head = std::make_shared<QByteArray>();
    auto connection = std::make_shared<QMetaObject::Connection>();
    *connection = QObject::connect(client, &QTcpSocket::readyRead, client, [this, client, head, connection] {
        *head += client->readAll();
        const qsizetype headEnd = head->indexOf("\r\n\r\n");
        if (headEnd < 0)
            return;
        QObject::disconnect(*connection);

        const qsizetype lineEnd = head->indexOf("\r\n");
        const QList<QByteArray> requestLine = head->left(lineEnd).split(' ');
        m_requestLines.append(QString::fromLatin1(head->left(lineEnd)));
        if (m_refuse || requestLine.size() != 3) {
            client->write("HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
            client->disconnectFromHost();
            return;
        }

        const bool tunnel = requestLine[0] == "CONNECT";
        const QUrl target = tunnel ? QUrl(QStringLiteral("//") + QString::fromLatin1(requestLine[1]))
                                   : QUrl(QString::fromLatin1(requestLine[1]));
        QByteArray forward;
        if (!tunnel) {
            const QByteArray originForm = target.path(QUrl::FullyEncoded).toLatin1()
                + (target.hasQuery() ? '?' + target.query(QUrl::FullyEncoded).toLatin1() : QByteArray());
            forward = requestLine[0] + ' ' + originForm + ' ' + requestLine[2] + head->mid(lineEnd);
        } else {
            forward = head->mid(headEnd + 4);
        }

        auto *upstream = new QTcpSocket(client);
        QObject::connect(upstream, &QTcpSocket::connected, client, [client, upstream, tunnel, forward] {
            if (tunnel)
                client->write("HTTP/1.1 200 Connection established\r\n\r\n");
            upstream->write(forward);
            pipe(client, upstream);
            if (client->bytesAvailable() > 0)
                upstream->write(client->readAll());
        });
        QObject::connect(upstream, &QTcpSocket::errorOccurred, client, [client] { client->disconnectFromHost(); });
        upstream->connectToHost(target.host(), quint16(target.port()));
    });
    QObject::connect(client, &QTcpSocket::disconnected, client, &QObject::deleteLater);
}
