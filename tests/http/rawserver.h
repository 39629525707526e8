#pragma once

#include <QByteArray>
#include <QTcpServer>
#include <QUrl>

// A TCP server on loopback that answers every request head with fixed bytes, written by hand
// so that a test controls what no well-behaved HTTP server would send. With no reply it never
// answers: it accepts, reads and holds the connection (a stalled server).
class RawServer
{
public:
    explicit RawServer(QByteArray reply = {}, bool closeAfterReply = true);

    quint16 port() const { return m_server.serverPort(); }
    QUrl url(const QString &path) const;
    int requestsSeen() const { return m_requests; }

private:
    QTcpServer m_server;
    QByteArray m_reply;
    bool m_closeAfterReply;
    int m_requests = 0;
};
