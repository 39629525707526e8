#pragma once

#include <QByteArray>
#include <QJsonObject>
#include <QObject>
#include <QTcpServer>

namespace poptap::faultproxy {

class FaultProxy;

// The proxy's control API for tests in other processes: JSON over HTTP/1.1 on its own port,
// so nothing the kiosk sends can collide with it (README.md lists the calls).
class ControlServer : public QObject
{
    Q_OBJECT

public:
    struct Reply {
        int status = 200;
        QJsonObject body;
    };

    explicit ControlServer(FaultProxy &proxy, QObject *parent = nullptr);

    bool start(quint16 port = 0); // 127.0.0.1 only
    quint16 port() const { return m_server.serverPort(); }

    // One call, as the HTTP front end makes it.
    Reply handle(const QByteArray &method, const QByteArray &target, const QByteArray &body);

private:
    void acceptClients();
    Reply postFaults(const QByteArray &body);

    FaultProxy &m_proxy;
    QTcpServer m_server;
};

} // namespace poptap::faultproxy
