#include "controlserver.h"

#include "faultproxy.h"
#include "httpmessage.h"

#include <QHostAddress>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonParseError>
#include <QTcpSocket>

#include <memory>

namespace poptap::faultproxy {

namespace {

ControlServer::Reply error(int status, const QString &message)
{
    return {status, {{QStringLiteral("error"), message}}};
}

QJsonArray faultsJson(const QList<FaultSpec> &faults)
{
    QJsonArray array;
    for (const FaultSpec &spec : faults)
        array.append(spec.toJson());
    return array;
}

QByteArray httpReply(const ControlServer::Reply &reply, bool keepAlive)
{
    const QByteArray body = QJsonDocument(reply.body).toJson(QJsonDocument::Compact);
    return "HTTP/1.1 " + QByteArray::number(reply.status) + (reply.status < 400 ? " OK" : " Error") + "\r\n"
         + "Content-Type: application/json\r\nContent-Length: " + QByteArray::number(body.size()) + "\r\n"
         + (keepAlive ? "" : "Connection: close\r\n") + "\r\n" + body;
}

} // namespace

ControlServer::ControlServer(FaultProxy &proxy, QObject *parent) : QObject(parent), m_proxy(proxy)
{
    connect(&m_server, &QTcpServer::newConnection, this, &ControlServer::acceptClients);
}

bool ControlServer::start(quint16 port)
{
    return m_server.listen(QHostAddress::LocalHost, port);
}

void ControlServer::acceptClients()
{
    while (QTcpSocket *socket = m_server.nextPendingConnection()) {
        socket->setParent(this);
        connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
        auto reader = std::make_shared<HttpMessageReader>(HttpMessageReader::Kind::Request);
        auto buffer = std::make_shared<QByteArray>();
        connect(socket, &QTcpSocket::readyRead, this, [this, socket, reader, buffer] {
            *buffer += socket->readAll();
            for (;;) {
                const HttpMessageReader::State state = reader->feed(*buffer);
                if (state == HttpMessageReader::State::NeedMore)
                    return;
                if (state == HttpMessageReader::State::Error) {
                    socket->write(httpReply(error(400, reader->error()), false));
                    socket->disconnectFromHost();
                    return;
                }
                const bool keepAlive = reader->keepAlive();
                socket->write(httpReply(handle(reader->method(), reader->target(), reader->body()), keepAlive));
                reader->reset();
                if (!keepAlive) {
                    socket->disconnectFromHost();
                    return;
                }
            }
        });
    }
}

ControlServer::Reply ControlServer::handle(const QByteArray &method, const QByteArray &target, const QByteArray &body)
{
    const QByteArray path = target.left(target.indexOf('?') < 0 ? target.size() : target.indexOf('?'));
    const auto wrongMethod = [&method] { return error(405, QStringLiteral("method %1 not allowed here").arg(QLatin1String(method))); };

    if (path == "/faults") {
        if (method == "GET")
            return {200, {{QStringLiteral("faults"), faultsJson(m_proxy.pendingFaults())}}};
        if (method == "POST")
            return postFaults(body);
        if (method == "DELETE") {
            const qsizetype cleared = m_proxy.pendingFaults().size();
            m_proxy.clearFaults();
            return {200, {{QStringLiteral("cleared"), cleared}}};
        }
        return wrongMethod();
    }
    if (path == "/requests") {
        if (method == "GET") {
            QJsonArray requests;
            for (const RequestRecord &record : m_proxy.requests())
                requests.append(record.toJson());
            return {200, {{QStringLiteral("requests"), requests}}};
        }
        if (method == "DELETE") {
            m_proxy.clearLog();
            return {200, {}};
        }
        return wrongMethod();
    }
    if (path == "/connections") {
        if (method != "GET")
            return wrongMethod();
        QJsonArray connections;
        for (const ConnectionRecord &record : m_proxy.connections())
            connections.append(record.toJson());
        return {200, {{QStringLiteral("connections"), connections}}};
    }
    if (path == "/counters") {
        if (method != "GET")
            return wrongMethod();
        return {200, m_proxy.counters().toJson()};
    }
    if (path == "/reset") {
        if (method != "POST")
            return wrongMethod();
        m_proxy.clearFaults();
        m_proxy.clearLog();
        return {200, {}};
    }
    if (path == "/config") {
        if (method != "GET")
            return wrongMethod();
        return {200,
                {{QStringLiteral("port"), m_proxy.port()},
                 {QStringLiteral("controlPort"), port()},
                 {QStringLiteral("upstreamHost"), m_proxy.upstreamHost()},
                 {QStringLiteral("upstreamPort"), m_proxy.upstreamPort()}}};
    }
    return error(404, QStringLiteral("no control call %1").arg(QString::fromLatin1(path)));
}

ControlServer::Reply ControlServer::postFaults(const QByteArray &body)
{
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(body, &parseError);
    if (!document.isObject())
        return error(400, QStringLiteral("body must be a JSON object: ") + parseError.errorString());
    const QJsonObject object = document.object();
    // Either one fault, or {"faults": [...]} queued together: all or none.
    QJsonArray items;
    if (object.contains(QStringLiteral("faults"))) {
        if (object.size() != 1 || !object.value(QStringLiteral("faults")).isArray())
            return error(400, QStringLiteral("faults must be the only field, an array"));
        items = object.value(QStringLiteral("faults")).toArray();
    } else {
        items.append(object);
    }
    QList<FaultSpec> specs;
    for (qsizetype i = 0; i < items.size(); ++i) {
        QString why;
        const std::optional<FaultSpec> spec = FaultSpec::fromJson(items.at(i).toObject(), &why);
        if (!items.at(i).isObject() || !spec)
            return error(400, QStringLiteral("fault %1: %2").arg(i).arg(why.isEmpty() ? QStringLiteral("not an object") : why));
        specs.append(*spec);
    }
    for (const FaultSpec &spec : std::as_const(specs))
        m_proxy.injectFault(spec);
    return {201, {{QStringLiteral("queued"), specs.size()}, {QStringLiteral("faults"), faultsJson(m_proxy.pendingFaults())}}};
}

} // namespace poptap::faultproxy
