#pragma once

#include <QSslConfiguration>
#include <QSslServer>

class QSslSocket;

// TLS in front of a plain-HTTP service on loopback, as a store's reverse proxy would be: every
// connection that completes the handshake is piped, byte for byte, to 127.0.0.1:<targetPort>.
class TlsForwarder
{
public:
    TlsForwarder(QSslConfiguration tls, quint16 targetPort);

    quint16 port() const { return m_server.serverPort(); }
    int handshakesStarted() const { return m_handshakesStarted; } // every TLS connection attempt
    qint64 bytesForwarded() const { return m_bytesForwarded; }    // decrypted, towards the service

private:
    void forward(QSslSocket *client);

    quint16 m_targetPort;
    int m_handshakesStarted = 0;
    qint64 m_bytesForwarded = 0;
    QSslServer m_server; // last: its sockets' handlers use the counters above
};
