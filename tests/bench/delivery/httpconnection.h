#pragma once

#include <QByteArray>
#include <QList>
#include <QString>
#include <QTcpSocket>
#include <QTimer>

#include <functional>
#include <optional>
#include <utility>

namespace poptap::bench {

// One keep-alive HTTP/1.1 connection with one request in flight, TCP_NODELAY set as
// libcurl (the kiosk's client) sets it. QNetworkAccessManager leaves Nagle on and writes
// a 100 KB upload in 16 KB pieces, so the server's delayed ACK added ~40 ms to every
// registration batch: a cost of the load generator, not of the service. Answers must
// carry Content-Length (Qt HttpServer's do); anything else counts as a failed request.
class HttpConnection
{
public:
    struct Answer {
        int status = 0; // 0: no answer; see error
        QByteArray body;
        QString error;
    };
    using Done = std::function<void(const Answer &)>;

    HttpConnection(QString host, quint16 port, int timeoutMs);

    // Opens the connection; true once connected (waits at most the timeout).
    bool connectNow();
    void send(const QByteArray &method, const QByteArray &path, const QList<std::pair<QByteArray, QByteArray>> &headers,
              const QByteArray &body, Done done);

private:
    void onReadyRead();
    void finish(Answer answer);
    // Parses a complete answer from m_buffer, if there is one yet.
    std::optional<Answer> takeAnswer();

    QString m_host;
    quint16 m_port;
    int m_timeoutMs;
    QTcpSocket m_socket;
    QTimer m_timeout;
    QByteArray m_buffer;
    Done m_done;
    bool m_closeAfter = false; // the server said Connection: close
};

} // namespace poptap::bench
