#include "httpconnection.h"

#include <QList>

#include <optional>

namespace poptap::bench {

HttpConnection::HttpConnection(QString host, quint16 port, int timeoutMs)
    : m_host(std::move(host))
    , m_port(port)
    , m_timeoutMs(timeoutMs)
{
    m_timeout.setSingleShot(true);
    QObject::connect(&m_timeout, &QTimer::timeout, &m_socket,
                     [this] { finish({0, {}, QStringLiteral("no answer within %1 ms").arg(m_timeoutMs)}); });
    QObject::connect(&m_socket, &QTcpSocket::readyRead, &m_socket, [this] { onReadyRead(); });
    QObject::connect(&m_socket, &QTcpSocket::disconnected, &m_socket, [this] {
        if (m_done)
            finish({0, {}, QStringLiteral("the server closed the connection")});
    });
}

bool HttpConnection::connectNow()
{
    m_buffer.clear();
    m_closeAfter = false;
    m_socket.connectToHost(m_host, m_port);
    if (!m_socket.waitForConnected(m_timeoutMs))
        return false;
    m_socket.setSocketOption(QAbstractSocket::LowDelayOption, 1);
    return true;
}

void HttpConnection::send(const QByteArray &method, const QByteArray &path,
                          const QList<std::pair<QByteArray, QByteArray>> &headers, const QByteArray &body, Done done)
{
    m_done = std::move(done);
    if (m_socket.state() != QAbstractSocket::ConnectedState && !connectNow()) {
        finish({0, {}, QStringLiteral("cannot connect: ") + m_socket.errorString()});
        return;
    }
    QByteArray request = method + ' ' + path + " HTTP/1.1\r\n";
    request += "Host: " + m_host.toLatin1() + ':' + QByteArray::number(m_port) + "\r\n";
    request += "Content-Type: application/json\r\nContent-Length: " + QByteArray::number(body.size()) + "\r\n";
    for (const auto &[name, value] : headers)
        request += name + ": " + value + "\r\n";
    request += "\r\n";
    request += body;
    m_timeout.start(m_timeoutMs);
    m_socket.write(request); // one write: the whole request leaves at once
}

void HttpConnection::onReadyRead()
{
    m_buffer += m_socket.readAll();
    if (!m_done)
        return;
    if (std::optional<Answer> answer = takeAnswer())
        finish(std::move(*answer));
}

std::optional<HttpConnection::Answer> HttpConnection::takeAnswer()
{
    const qsizetype headerEnd = m_buffer.indexOf("\r\n\r\n");
    if (headerEnd < 0)
        return std::nullopt;
    const QList<QByteArray> lines = m_buffer.left(headerEnd).split('\n');
    const QList<QByteArray> statusLine = lines.first().trimmed().split(' ');
    Answer answer;
    answer.status = statusLine.size() >= 2 ? statusLine.at(1).toInt() : 0;
    qsizetype length = -1;
    for (qsizetype i = 1; i < lines.size(); ++i) {
        const QByteArray line = lines.at(i).trimmed();
        const qsizetype colon = line.indexOf(':');
        const QByteArray name = line.left(colon).trimmed().toLower();
        const QByteArray value = line.mid(colon + 1).trimmed();
        if (name == "content-length")
            length = value.toLongLong();
        else if (name == "connection" && value.toLower() == "close")
            m_closeAfter = true;
    }
    if (length < 0 && (answer.status == 204 || answer.status == 304))
        length = 0;
    if (answer.status == 0 || length < 0)
        return Answer{0, {}, QStringLiteral("unreadable answer: ") + QString::fromLatin1(m_buffer.left(200))};
    if (m_buffer.size() < headerEnd + 4 + length)
        return std::nullopt; // the body is still arriving
    answer.body = m_buffer.mid(headerEnd + 4, length);
    m_buffer.remove(0, headerEnd + 4 + length);
    return answer;
}

void HttpConnection::finish(Answer answer)
{
    // Taken first: abort() below emits disconnected(), which must not finish twice.
    const Done done = std::exchange(m_done, {});
    m_timeout.stop();
    if (m_closeAfter || answer.status == 0) {
        m_buffer.clear();
        m_closeAfter = false;
        m_socket.abort(); // the next send reconnects
    }
    if (done)
        done(answer);
}

} // namespace poptap::bench
