#include "faultproxy.h"

#include "faultproxylogging.h"
#include "proxyconnection.h"

#include <QHostAddress>
#include <QTcpSocket>

namespace poptap::faultproxy {

namespace {
// Oldest entries go first, so a long benchmark through the proxy stays bounded.
template<typename Map>
void trimLog(Map &map)
{
    while (map.size() > size_t(FaultProxy::logLimit))
        map.erase(map.begin());
}
} // namespace

FaultProxy::FaultProxy(QObject *parent) : QObject(parent)
{
    connect(&m_server, &QTcpServer::newConnection, this, &FaultProxy::acceptClients);
}

FaultProxy::~FaultProxy()
{
    // Connections call back into the logs; end them while those still exist.
    qDeleteAll(findChildren<ProxyConnection *>(Qt::FindDirectChildrenOnly));
}

bool FaultProxy::start(const QString &upstreamHost, quint16 upstreamPort, quint16 listenPort)
{
    m_upstreamHost = upstreamHost;
    m_upstreamPort = upstreamPort;
    if (!m_server.listen(QHostAddress::LocalHost, listenPort)) {
        qCWarning(lcFaultProxy) << "cannot listen on 127.0.0.1 port" << listenPort << m_server.errorString();
        return false;
    }
    qCInfo(lcFaultProxy) << "listening on port" << m_server.serverPort() << "for" << upstreamHost << upstreamPort;
    return true;
}

quint16 FaultProxy::port() const
{
    return m_server.serverPort();
}

void FaultProxy::injectFault(const FaultSpec &spec)
{
    qCInfo(lcFaultProxy) << "fault queued" << spec.toJson();
    m_faults.push_back(spec);
}

void FaultProxy::clearFaults()
{
    m_faults.clear();
    Q_EMIT faultsCleared();
}

QList<FaultSpec> FaultProxy::pendingFaults() const
{
    return QList<FaultSpec>(m_faults.begin(), m_faults.end());
}

QList<RequestRecord> FaultProxy::requests() const
{
    QList<RequestRecord> list;
    list.reserve(qsizetype(m_requests.size()));
    for (const auto &[id, record] : m_requests)
        list.append(record);
    return list;
}

QList<ConnectionRecord> FaultProxy::connections() const
{
    QList<ConnectionRecord> list;
    list.reserve(qsizetype(m_connections.size()));
    for (const auto &[id, record] : m_connections)
        list.append(record);
    return list;
}

void FaultProxy::clearLog()
{
    m_requests.clear();
    m_connections.clear();
    m_counters = {};
}

void FaultProxy::acceptClients()
{
    while (QTcpSocket *client = m_server.nextPendingConnection())
        new ProxyConnection(*this, client);
}

FaultProxy::Taken FaultProxy::takeFaults(const QByteArray &method, const QByteArray &target)
{
    Taken taken;
    for (auto it = m_faults.begin(); it != m_faults.end();) {
        const bool isLatency = it->kind == FaultKind::Latency;
        std::optional<FaultSpec> &slot = isLatency ? taken.latency : taken.fault;
        if (slot || !it->matches(method, target)) {
            ++it;
            continue;
        }
        slot = *it;
        if (it->count > 0 && --it->count == 0)
            it = m_faults.erase(it);
        else
            ++it;
        if (taken.latency && taken.fault)
            break;
    }
    if (taken.latency || taken.fault)
        ++m_counters.faulted;
    return taken;
}

qint64 FaultProxy::openConnection()
{
    const qint64 id = m_nextConnectionId++;
    ++m_counters.connections;
    ConnectionRecord &record = m_connections[id];
    record.id = id;
    record.openedAt = QDateTime::currentDateTimeUtc();
    trimLog(m_connections);
    return id;
}

void FaultProxy::closeConnection(qint64 id, const QString &closedBy)
{
    if (closedBy == QLatin1String("reset"))
        ++m_counters.resets;
    const auto it = m_connections.find(id);
    if (it == m_connections.end())
        return;
    it->second.closedAt = QDateTime::currentDateTimeUtc();
    it->second.closedBy = closedBy;
    Q_EMIT connectionClosed(it->second);
}

RequestRecord FaultProxy::beginRequest(qint64 connectionId)
{
    RequestRecord record;
    record.id = m_nextRequestId++;
    record.connectionId = connectionId;
    record.receivedAt = QDateTime::currentDateTimeUtc();
    ++m_counters.requests;
    if (const auto it = m_connections.find(connectionId); it != m_connections.end())
        ++it->second.requests;
    return record;
}

void FaultProxy::updateRequest(const RequestRecord &record)
{
    m_requests[record.id] = record;
    trimLog(m_requests);
}

void FaultProxy::finishRequest(const RequestRecord &record)
{
    updateRequest(record);
    qCDebug(lcFaultProxy) << "request" << record.toJson();
    Q_EMIT requestFinished(record);
}

} // namespace poptap::faultproxy
