#pragma once

#include <QByteArray>
#include <QStringList>
#include <QTcpServer>

// A minimal forward proxy on loopback, as a store's network would have: CONNECT host:port opens
// a tunnel (HTTPS), an absolute-form request ("GET http://host:port/path") is forwarded in origin
// form (plain HTTP). It records each request line; told to refuse, it answers 403 to everything.
class TunnelProxy
{
public:
    explicit TunnelProxy(bool refuse = false);

    quint16 port() const { return m_server.serverPort(); }
    QString address() const;               // "http://127.0.0.1:<port>"
    QStringList requestLines() const { return m_requestLines; }

private:
    void serve(class QTcpSocket *client);

    QTcpServer m_server;
    QStringList m_requestLines;
    bool m_refuse;
};
