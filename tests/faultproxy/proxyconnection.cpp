#include "proxyconnection.h"

#include "faultproxy.h"
#include "faultproxylogging.h"

#include <QTcpSocket>

#include <sys/socket.h>

namespace poptap::faultproxy {

namespace {

QByteArray reasonPhrase(int status)
{
    switch (status) {
    case 200: return "OK";
    case 400: return "Bad Request";
    case 408: return "Request Timeout";
    case 429: return "Too Many Requests";
    case 500: return "Internal Server Error";
    case 502: return "Bad Gateway";
    case 503: return "Service Unavailable";
    case 504: return "Gateway Timeout";
    default: return "Injected";
    }
}

// Status code of whatever part of a status line `bytes` holds; 0 if it is cut before the code.
int statusIn(const QByteArray &bytes)
{
    if (bytes.size() < 12 || !bytes.startsWith("HTTP/"))
        return 0;
    return bytes.mid(9, 3).toInt();
}

QByteArray errorBody(const QString &why)
{
    return QByteArrayLiteral("{\"error\":\"fault-proxy: ") + why.toUtf8().replace('"', '\'') + QByteArrayLiteral("\"}");
}

} // namespace

ProxyConnection::ProxyConnection(FaultProxy &proxy, QTcpSocket *client)
    : QObject(&proxy), m_proxy(proxy), m_client(client), m_id(proxy.openConnection())
{
    m_client->setParent(this);
    // Small writes (a drip, a 100 Continue) go out at once instead of waiting for an ACK.
    m_client->setSocketOption(QAbstractSocket::LowDelayOption, 1);
    connect(m_client, &QTcpSocket::readyRead, this, &ProxyConnection::onClientData);
    connect(m_client, &QTcpSocket::disconnected, this,
            [this] { end(m_closedBy.isEmpty() ? QStringLiteral("client") : m_closedBy); });
    m_dripTimer.setInterval(20);
    m_dripTimer.setTimerType(Qt::PreciseTimer);
    connect(&m_dripTimer, &QTimer::timeout, this, &ProxyConnection::dripTick);
    onClientData(); // a request may have arrived with the connection
}

ProxyConnection::~ProxyConnection()
{
    // Sockets die with us; what they signal on the way is no news.
    m_client->disconnect(this);
    if (m_upstream)
        m_upstream->disconnect(this);
}

void ProxyConnection::onClientData()
{
    m_clientBuffer += m_client->readAll();
    if (m_phase == Phase::Reading)
        nextRequest();
}

void ProxyConnection::nextRequest()
{
    if (m_phase != Phase::Reading)
        return;
    const HttpMessageReader::State state = m_request.feed(m_clientBuffer);
    if (state == HttpMessageReader::State::NeedMore) {
        // curl holds back a large body until told to go on; waiting for its timeout would skew benchmarks.
        if (m_request.headComplete() && !m_sentContinue
            && m_request.header("expect").compare("100-continue", Qt::CaseInsensitive) == 0) {
            m_client->write("HTTP/1.1 100 Continue\r\n\r\n");
            m_sentContinue = true;
        }
        return;
    }

    m_record = m_proxy.beginRequest(m_id);
    m_record.method = QString::fromLatin1(m_request.method());
    m_record.target = QString::fromLatin1(m_request.target());
    m_record.requestBytes = m_request.raw().size();
    m_sinceRequest.start();
    if (state == HttpMessageReader::State::Error) {
        qCInfo(lcFaultProxy) << "connection" << m_id << "bad request:" << m_request.error();
        m_record.requestBytes = m_request.raw().size() + m_clientBuffer.size();
        m_closeAfterResponse = true;
        respondLocally(400, "application/json", errorBody(m_request.error()), {}, QStringLiteral("bad-request"));
        return;
    }

    m_closeAfterResponse = !m_request.keepAlive();
    const FaultProxy::Taken taken = m_proxy.takeFaults(m_request.method(), m_request.target());
    m_fault = taken.fault;
    if (m_fault)
        m_record.fault = faultKindName(m_fault->kind);
    m_proxy.updateRequest(m_record);
    if (taken.latency) {
        m_record.latencyMs = taken.latency->ms;
        m_phase = Phase::Waiting;
        // Precise: a coarse timer may fire 5 % early, and the delay is promised as a minimum.
        QTimer::singleShot(taken.latency->ms, Qt::PreciseTimer, this, &ProxyConnection::dispatch);
        return;
    }
    dispatch();
}

void ProxyConnection::dispatch()
{
    if (m_phase == Phase::Ended)
        return;
    if (!m_fault) {
        forward();
        return;
    }
    switch (m_fault->kind) {
    case FaultKind::ResetBeforeRequest:
        finishRecord(QStringLiteral("reset"));
        resetClient();
        return;
    case FaultKind::Stall:
        m_phase = Phase::Waiting;
        // When the stall ends the network "heals": the request goes on as if it had been slow.
        if (m_fault->ms > 0)
            QTimer::singleShot(m_fault->ms, Qt::PreciseTimer, this, &ProxyConnection::forward);
        else
            connect(&m_proxy, &FaultProxy::faultsCleared, this, &ProxyConnection::forward, Qt::SingleShotConnection);
        return;
    case FaultKind::Status:
        respondLocally(m_fault->effectiveStatus(), m_fault->effectiveContentType(), m_fault->effectiveBody(),
                       m_fault->retryAfter);
        return;
    case FaultKind::Garbage:
        if (!m_fault->forward) {
            respondLocally(m_fault->effectiveStatus(), m_fault->effectiveContentType(), m_fault->effectiveBody());
            return;
        }
        break;
    case FaultKind::ResetAfterRequest:
    case FaultKind::SlowDrip:
    case FaultKind::Truncate:
    case FaultKind::Latency:
        break;
    }
    forward();
}

void ProxyConnection::forward()
{
    if (m_phase == Phase::Ended)
        return;
    m_phase = Phase::Forwarding;
    m_response.reset();
    m_response.setRequestMethod(m_request.method());
    m_upstreamBuffer.clear();
    if (m_upstream && m_upstream->state() == QAbstractSocket::ConnectedState) {
        sendRequestUpstream();
        return;
    }
    dropUpstream();
    auto *socket = new QTcpSocket(this);
    m_upstream = socket;
    ++m_proxy.m_counters.upstreamConnections;
    connect(socket, &QTcpSocket::connected, this, [this, socket] {
        socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
        if (socket == m_upstream && m_phase == Phase::Forwarding)
            sendRequestUpstream();
    });
    connect(socket, &QTcpSocket::readyRead, this, [this, socket] { onUpstreamData(socket); });
    connect(socket, &QTcpSocket::bytesWritten, this, [this, socket](qint64 written) {
        if (socket != m_upstream || m_upstreamUnwritten <= 0)
            return;
        m_upstreamUnwritten -= written;
        if (m_upstreamUnwritten <= 0) {
            m_record.forwarded = true;
            ++m_proxy.m_counters.forwarded;
        }
    });
    connect(socket, &QTcpSocket::disconnected, this, [this, socket] { onUpstreamGone(socket); });
    connect(socket, &QTcpSocket::errorOccurred, this, [this, socket](QAbstractSocket::SocketError error) {
        // A refused or failed connect never reaches `disconnected`.
        if (error != QAbstractSocket::RemoteHostClosedError)
            onUpstreamGone(socket);
    });
    socket->connectToHost(m_proxy.upstreamHost(), m_proxy.upstreamPort());
}

void ProxyConnection::sendRequestUpstream()
{
    m_upstreamUnwritten = m_request.raw().size();
    m_upstream->write(m_request.raw());
}

void ProxyConnection::onUpstreamData(QTcpSocket *socket)
{
    if (socket != m_upstream)
        return;
    m_upstreamBuffer += socket->readAll();
    if (m_phase != Phase::Forwarding) {
        m_upstreamBuffer.clear(); // nothing was asked; an upstream talking out of turn is ignored
        return;
    }
    for (;;) {
        const HttpMessageReader::State state = m_response.feed(m_upstreamBuffer);
        if (state == HttpMessageReader::State::NeedMore)
            return;
        if (state == HttpMessageReader::State::Error) {
            upstreamFailed(QStringLiteral("unreadable upstream response: ") + m_response.error());
            return;
        }
        const int status = m_response.status();
        if (status >= 200 || status == 101) {
            onUpstreamResponse();
            return;
        }
        // An interim 1xx: the client already had its 100 Continue from us, so it is dropped.
        m_response.reset();
        m_response.setRequestMethod(m_request.method());
    }
}

void ProxyConnection::onUpstreamGone(QTcpSocket *socket)
{
    if (socket != m_upstream)
        return;
    m_upstreamBuffer += socket->readAll();
    if (m_phase == Phase::Forwarding) {
        if (m_response.feed(m_upstreamBuffer) == HttpMessageReader::State::NeedMore)
            m_response.finishAtEof();
        if (m_response.state() == HttpMessageReader::State::Complete) {
            onUpstreamResponse();
        } else if (!m_response.headComplete()) {
            upstreamFailed(QStringLiteral("no answer from upstream: ") + socket->errorString());
        } else {
            upstreamFailed(QStringLiteral("upstream closed before its answer was complete"));
        }
    }
    dropUpstream();
}

void ProxyConnection::dropUpstream()
{
    if (!m_upstream)
        return;
    QTcpSocket *socket = m_upstream;
    m_upstream = nullptr;
    socket->disconnect(this);
    socket->abort();
    socket->deleteLater();
}

void ProxyConnection::upstreamFailed(const QString &why)
{
    qCInfo(lcFaultProxy) << "connection" << m_id << why;
    dropUpstream();
    respondLocally(502, "application/json", errorBody(why), {}, QStringLiteral("upstream-failed"));
}

void ProxyConnection::onUpstreamResponse()
{
    m_record.upstreamStatus = m_response.status();
    m_record.upstreamResponseBytes = m_response.raw().size();
    const QByteArray response = m_response.raw();
    // The answer tells its end by closing, or says it will close: the client must see the same.
    if (!m_response.keepAlive() || m_response.framedByClose()) {
        m_closeAfterResponse = true;
        dropUpstream();
    }
    const std::optional<FaultKind> kind = m_fault ? std::optional(m_fault->kind) : std::nullopt;
    if (kind == FaultKind::ResetAfterRequest) {
        finishRecord(QStringLiteral("reset"));
        resetClient();
    } else if (kind == FaultKind::Truncate) {
        const QByteArray part = response.left(qsizetype(qMin<qint64>(m_fault->bytes, response.size())));
        writeToClient(part);
        m_record.clientStatus = statusIn(part);
        finishRecord(QStringLiteral("truncated"));
        closeClient();
    } else if (kind == FaultKind::SlowDrip) {
        m_phase = Phase::Responding;
        m_record.clientStatus = m_response.status();
        m_drip = response;
        m_dripSent = 0;
        m_dripClock.start();
        m_dripTimer.start();
    } else if (kind == FaultKind::Garbage) {
        QByteArray head = m_response.startLine() + "\r\n";
        for (const auto &[name, value] : m_response.headers()) {
            if (name.compare("content-length", Qt::CaseInsensitive) != 0
                && name.compare("transfer-encoding", Qt::CaseInsensitive) != 0)
                head += name + ": " + value + "\r\n";
        }
        const QByteArray body = m_fault->effectiveBody();
        deliver(head + "Content-Length: " + QByteArray::number(body.size()) + "\r\n\r\n" + body);
    } else {
        deliver(response);
    }
}

void ProxyConnection::respondLocally(int status, const QByteArray &contentType, const QByteArray &body,
                                     const QString &retryAfter, const QString &outcome)
{
    QByteArray head = "HTTP/1.1 " + QByteArray::number(status) + ' ' + reasonPhrase(status) + "\r\n"
                    + "Content-Type: " + contentType + "\r\n"
                    + "Content-Length: " + QByteArray::number(body.size()) + "\r\n";
    if (!retryAfter.isEmpty())
        head += "Retry-After: " + retryAfter.toLatin1() + "\r\n";
    if (m_closeAfterResponse)
        head += "Connection: close\r\n";
    deliver(head + "\r\n" + body, outcome);
}

void ProxyConnection::deliver(const QByteArray &response, const QString &outcome)
{
    writeToClient(response);
    m_record.clientStatus = statusIn(response);
    finishRecord(outcome);
    responseDone();
}

void ProxyConnection::dripTick()
{
    // Sends what the rate allows by now, so the whole answer takes at least size / rate seconds.
    const qint64 due = qMin<qint64>(m_drip.size(), m_fault->bytesPerSecond * m_dripClock.elapsed() / 1000);
    if (due > m_dripSent) {
        writeToClient(m_drip.mid(m_dripSent, due - m_dripSent));
        m_dripSent = due;
    }
    if (m_dripSent < m_drip.size())
        return;
    m_dripTimer.stop();
    m_drip.clear();
    finishRecord(QStringLiteral("answered"));
    responseDone();
}

void ProxyConnection::responseDone()
{
    if (m_phase == Phase::Ended)
        return;
    if (m_closeAfterResponse) {
        closeClient();
        return;
    }
    m_phase = Phase::Reading;
    m_request.reset();
    m_fault.reset();
    m_sentContinue = false;
    // Later, so a client pipelining many requests does not recurse through them.
    QTimer::singleShot(0, this, &ProxyConnection::nextRequest);
}

void ProxyConnection::finishRecord(const QString &outcome)
{
    if (m_record.id == 0 || m_record.finished())
        return;
    m_record.outcome = outcome;
    m_record.elapsedMs = m_sinceRequest.elapsed();
    m_proxy.finishRequest(m_record);
}

void ProxyConnection::writeToClient(const QByteArray &bytes)
{
    m_client->write(bytes);
    m_record.responseBytes += bytes.size();
}

void ProxyConnection::resetClient()
{
    // SO_LINGER with a zero timeout makes close() send an RST; Qt's LingerOption cannot say
    // "on, zero seconds" (0 turns lingering off, which closes with a FIN).
    const struct linger abortive = {1, 0};
    ::setsockopt(int(m_client->socketDescriptor()), SOL_SOCKET, SO_LINGER, &abortive, sizeof abortive);
    m_closedBy = QStringLiteral("reset");
    m_client->abort();
    end(m_closedBy);
}

void ProxyConnection::closeClient()
{
    if (m_phase == Phase::Ended)
        return;
    m_phase = Phase::Responding;
    m_closedBy = QStringLiteral("closed");
    m_client->disconnectFromHost(); // sends what is queued, then a FIN; `disconnected` ends us
    if (m_client->state() == QAbstractSocket::UnconnectedState)
        end(m_closedBy);
}

void ProxyConnection::end(const QString &closedBy)
{
    if (m_phase == Phase::Ended)
        return;
    m_phase = Phase::Ended;
    m_dripTimer.stop();
    finishRecord(QStringLiteral("client-closed"));
    dropUpstream();
    m_proxy.closeConnection(m_id, closedBy);
    deleteLater();
}

} // namespace poptap::faultproxy
