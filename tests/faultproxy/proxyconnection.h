#pragma once

#include "faultspec.h"
#include "httpmessage.h"
#include "proxyrecords.h"

#include <QElapsedTimer>
#include <QObject>
#include <QPointer>
#include <QTimer>

#include <optional>

class QTcpSocket;

namespace poptap::faultproxy {

class FaultProxy;

// One client connection: reads its requests one at a time, asks the proxy for the fault each
// gets, forwards over its own upstream connection and delivers (or withholds) the answer.
// Requests a client pipelines wait in the buffer until the one before is answered.
class ProxyConnection : public QObject
{
    Q_OBJECT

public:
    ProxyConnection(FaultProxy &proxy, QTcpSocket *client); // a child of `proxy`; owns `client`
    ~ProxyConnection() override;

private:
    enum class Phase { Reading, Waiting, Forwarding, Responding, Ended };

    void onClientData();
    void nextRequest();
    void dispatch();
    void forward();
    void sendRequestUpstream();
    void onUpstreamData(QTcpSocket *socket);
    void onUpstreamGone(QTcpSocket *socket);
    void onUpstreamResponse();
    void upstreamFailed(const QString &why);
    void respondLocally(int status, const QByteArray &contentType, const QByteArray &body,
                        const QString &retryAfter = {}, const QString &outcome = QStringLiteral("answered"));
    void deliver(const QByteArray &response, const QString &outcome = QStringLiteral("answered"));
    void dripTick();
    void responseDone();
    void finishRecord(const QString &outcome);
    void writeToClient(const QByteArray &bytes);
    void resetClient();
    void closeClient();
    void end(const QString &closedBy);
    void dropUpstream();

    FaultProxy &m_proxy;
    QTcpSocket *m_client;
    QPointer<QTcpSocket> m_upstream;
    qint64 m_id;
    Phase m_phase = Phase::Reading;
    HttpMessageReader m_request{HttpMessageReader::Kind::Request};
    HttpMessageReader m_response{HttpMessageReader::Kind::Response};
    QByteArray m_clientBuffer;   // what the client sent beyond the request being read
    QByteArray m_upstreamBuffer;
    qint64 m_upstreamUnwritten = 0; // request bytes not yet taken by the upstream's kernel
    RequestRecord m_record;
    std::optional<FaultSpec> m_fault;
    QElapsedTimer m_sinceRequest;
    bool m_sentContinue = false;
    bool m_closeAfterResponse = false;
    QString m_closedBy;             // set when the proxy ends the connection: the disconnect that follows is ours
    QTimer m_dripTimer;
    QByteArray m_drip;
    qint64 m_dripSent = 0;
    QElapsedTimer m_dripClock;
};

} // namespace poptap::faultproxy
