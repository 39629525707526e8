#include "rawserver.h"

#include <QTcpSocket>

RawServer::RawServer(QByteArray reply, bool closeAfterReply)
    : m_reply(std::move(reply)), m_closeAfterReply(closeAfterReply)
{
    QObject::connect(&m_server, &QTcpServer::newConnection, &m_server, [this] {
        while (QTcpSocket *socket = m_server.nextPendingConnection()) {
            QObject::connect(socket, &QTcpSocket::readyRead, socket, [this, socket, head = QByteArray()]() mutable {
                head += socket->readAll();
                if (!head.contains("\r\n\r\n"))
                    return;
                head.clear();
                ++m_requests;
                if (m_reply.isEmpty())
                    return;
                socket->write(m_reply);
                if (m_closeAfterReply)
                    socket->disconnectFromHost();
            });
        }
    });
    m_server.listen(QHostAddress::LocalHost);
}

QUrl RawServer::url(const QString &path) const
{
    return QUrl(QStringLiteral("http://127.0.0.1:%1%2").arg(port()).arg(path));
}
