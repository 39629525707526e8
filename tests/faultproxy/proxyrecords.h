#pragma once

#include <QDateTime>
#include <QJsonObject>
#include <QString>

namespace poptap::faultproxy {

// What became of one request the proxy read from a client.
struct RequestRecord {
    qint64 id = 0;           // 1, 2, ... in arrival order
    qint64 connectionId = 0; // the client connection it came on
    QDateTime receivedAt;
    QString method;
    QString target;          // path and query as sent
    QString fault;           // the fault kind applied (faultKindName), empty for none
    int latencyMs = 0;       // an injected latency before forwarding, on top of `fault`
    bool forwarded = false;  // written in full to the upstream
    int upstreamStatus = 0;  // what the upstream answered; 0: nothing (not forwarded, or it failed)
    int clientStatus = 0;    // status line the client was sent; 0: none (reset, stall, too short a truncation)
    qint64 requestBytes = 0;         // client → proxy
    qint64 upstreamResponseBytes = 0; // upstream → proxy
    qint64 responseBytes = 0;        // proxy → client (written to the socket)
    // answered, reset, truncated, client-closed, upstream-failed, bad-request; empty while in flight
    QString outcome;
    qint64 elapsedMs = 0;    // from the whole request read to the outcome
    bool finished() const { return !outcome.isEmpty(); }
    QJsonObject toJson() const;
};

struct ConnectionRecord {
    qint64 id = 0;
    QDateTime openedAt;
    QDateTime closedAt;      // invalid while open
    int requests = 0;
    // client (it closed or reset), reset (the proxy sent an RST), closed (the proxy closed after
    // a truncation, a Connection: close or a bad request); empty while open
    QString closedBy;
    QJsonObject toJson() const;
};

struct FaultProxyCounters {
    qint64 connections = 0;   // accepted from clients
    qint64 requests = 0;      // read in full from clients
    qint64 forwarded = 0;     // written in full to the upstream
    qint64 faulted = 0;       // requests a fault (latency included) applied to
    qint64 resets = 0;        // client connections reset by the proxy
    qint64 upstreamConnections = 0;
    QJsonObject toJson() const;
};

} // namespace poptap::faultproxy
