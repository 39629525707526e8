#pragma once

#include "faultspec.h"
#include "proxyrecords.h"

#include <QList>
#include <QObject>
#include <QString>
#include <QTcpServer>

#include <deque>
#include <map>
#include <optional>

namespace poptap::faultproxy {

class ProxyConnection;

// A TCP proxy on 127.0.0.1 that reads HTTP/1.1 just far enough to find where each request
// and response ends, and makes chosen requests fail the way networks fail (README.md).
// Each client connection gets its own upstream connection, reused across keep-alive requests.
class FaultProxy : public QObject
{
    Q_OBJECT

public:
    explicit FaultProxy(QObject *parent = nullptr);
    ~FaultProxy() override;

    // Listens on 127.0.0.1 (port 0: any free one) and forwards to upstreamHost:upstreamPort.
    bool start(const QString &upstreamHost, quint16 upstreamPort, quint16 listenPort = 0);
    quint16 port() const;
    QString upstreamHost() const { return m_upstreamHost; }
    quint16 upstreamPort() const { return m_upstreamPort; }

    // Faults queue in order; a request takes the first pending fault it matches (and, apart from
    // that, the first matching latency), which then counts down and leaves the queue at zero.
    void injectFault(const FaultSpec &spec);
    // Empties the queue and releases requests stalled "until cleared": they go on to the upstream.
    void clearFaults();
    QList<FaultSpec> pendingFaults() const;

    QList<RequestRecord> requests() const;       // the last `logLimit`, oldest first
    QList<ConnectionRecord> connections() const; // likewise
    FaultProxyCounters counters() const { return m_counters; }
    void clearLog(); // records and counters
    static constexpr int logLimit = 10000;

Q_SIGNALS:
    void requestFinished(const poptap::faultproxy::RequestRecord &record);
    void connectionClosed(const poptap::faultproxy::ConnectionRecord &record);
    void faultsCleared();

private:
    friend class ProxyConnection;
    struct Taken {
        std::optional<FaultSpec> latency;
        std::optional<FaultSpec> fault;
    };

    void acceptClients();
    Taken takeFaults(const QByteArray &method, const QByteArray &target);
    // Records are created, updated and finished by their connection through these.
    qint64 openConnection();
    void closeConnection(qint64 id, const QString &closedBy);
    RequestRecord beginRequest(qint64 connectionId);
    void updateRequest(const RequestRecord &record);
    void finishRequest(const RequestRecord &record);

    QTcpServer m_server;
    QString m_upstreamHost;
    quint16 m_upstreamPort = 0;
    std::deque<FaultSpec> m_faults;
    std::map<qint64, RequestRecord> m_requests;
    std::map<qint64, ConnectionRecord> m_connections;
    qint64 m_nextRequestId = 1;
    qint64 m_nextConnectionId = 1;
    FaultProxyCounters m_counters;
};

} // namespace poptap::faultproxy
