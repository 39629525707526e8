// FaultProxy between clients and a real Qt HttpServer upstream on loopback: every fault does
// what the README says, and nothing else — the upstream's request count tells which requests
// really reached the service.

#include "controlserver.h"
#include "faultproxy.h"
#include "httpmessage.h"

#include <QElapsedTimer>
#include <QHttpServer>
#include <QHttpServerRequest>
#include <QHttpServerResponse>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QProcess>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTest>

#include <arpa/inet.h>
#include <cerrno>
#include <fcntl.h>
#include <memory>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

using namespace poptap::faultproxy;

namespace {

const QByteArray registrationBody = QByteArrayLiteral("{\"intents\":[{\"sequence\":1}]}");

// The service stand-in: answers like poptap-delivery (Qt HttpServer, Content-Length) and
// counts what it was asked, so a test can tell "the service acted" from "the client saw".
class Upstream
{
public:
    Upstream()
    {
        m_server.route(QStringLiteral("/v1/registrations"), QHttpServerRequest::Method::Post,
                       [this](const QHttpServerRequest &request) {
                           ++registrations;
                           return QHttpServerResponse(QJsonObject{{QStringLiteral("stored"), registrations},
                                                                  {QStringLiteral("bytes"), request.body().size()}});
                       });
        m_server.route(QStringLiteral("/v1/catalog"), QHttpServerRequest::Method::Get, [this] {
            ++catalogs;
            // Big enough that a drip or a truncation shows.
            return QHttpServerResponse(QJsonObject{{QStringLiteral("catalog"), QString(1500, QLatin1Char('c'))}});
        });
        port = m_server.listen(QHostAddress::LocalHost, 0);
    }
    int received() const { return registrations + catalogs; }

    quint16 port = 0;
    int registrations = 0;
    int catalogs = 0;

private:
    QHttpServer m_server;
};

// A blocking-free POSIX client: sees the difference between a FIN and an RST, which a
// QTcpSocket reports alike, and counts exactly the bytes that arrived.
class RawClient
{
public:
    enum class End { Open, Closed, Reset, Failed };

    explicit RawClient(quint16 port)
    {
        m_fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        sockaddr_in address = {};
        address.sin_family = AF_INET;
        address.sin_port = htons(port);
        address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        // Loopback connects complete in the kernel's backlog, before the proxy accepts.
        m_connected = ::connect(m_fd, reinterpret_cast<sockaddr *>(&address), sizeof address) == 0;
        ::fcntl(m_fd, F_SETFL, ::fcntl(m_fd, F_GETFL) | O_NONBLOCK);
    }
    ~RawClient() { ::close(m_fd); }
    RawClient(const RawClient &) = delete;
    RawClient &operator=(const RawClient &) = delete;

    bool connected() const { return m_connected; }
    bool send(const QByteArray &bytes)
    {
        return ::send(m_fd, bytes.constData(), size_t(bytes.size()), MSG_NOSIGNAL) == bytes.size();
    }
    // Takes what has arrived; true once the peer closed or reset the connection.
    bool ended()
    {
        char chunk[4096];
        while (m_end == End::Open) {
            const ssize_t n = ::recv(m_fd, chunk, sizeof chunk, MSG_DONTWAIT);
            if (n > 0)
                received.append(chunk, n);
            else if (n == 0)
                m_end = End::Closed;
            else if (errno == EAGAIN || errno == EWOULDBLOCK)
                break;
            else if (errno != EINTR)
                m_end = errno == ECONNRESET ? End::Reset : End::Failed;
        }
        return m_end != End::Open;
    }
    // True once a whole response has arrived (or the connection ended).
    bool responseComplete()
    {
        ended();
        HttpMessageReader reader(HttpMessageReader::Kind::Response);
        QByteArray copy = received;
        return reader.feed(copy) == HttpMessageReader::State::Complete || m_end != End::Open;
    }
    End end() const { return m_end; }
    QByteArray received;

private:
    int m_fd = -1;
    bool m_connected = false;
    End m_end = End::Open;
};

QByteArray rawRegistration()
{
    return "POST /v1/registrations HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
           "Content-Length: " + QByteArray::number(registrationBody.size()) + "\r\n\r\n" + registrationBody;
}

struct Answer {
    int status = 0;
    QByteArray body;
    QByteArray retryAfter;
    QNetworkReply::NetworkError error = QNetworkReply::NoError;
    qint64 elapsedMs = 0;
};

} // namespace

class FaultProxyTest : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();

    void readerFindsChunkedAndPipelinedBoundaries();
    void passesThroughWithKeepAlive();
    void answersExpectContinueItself();
    void resetBeforeRequestNeverReachesTheService();
    void resetAfterRequestLosesOnlyTheAnswer();
    void stallHoldsUntilClearedThenForwards();
    void timedStallDelaysTheAnswer();
    void slowDripTakesAtLeastSizeOverRate();
    void truncateSendsExactlyNBytesThenCloses();
    void statusAnswersWithoutForwarding_data();
    void statusAnswersWithoutForwarding();
    void garbageReplacesOrInventsTheBody();
    void latencyDelaysEachRequestAndCombines();
    void pathFilterCountAndOrderThenPassThrough();
    void unreachableUpstreamIs502();
    void executableIsDrivenByItsControlApi();

private:
    Answer request(const QByteArray &method, const QString &path, const QByteArray &body = {}, quint16 port = 0);

    std::unique_ptr<Upstream> m_upstream;
    std::unique_ptr<FaultProxy> m_proxy;
    std::unique_ptr<QNetworkAccessManager> m_network;
};

void FaultProxyTest::init()
{
    m_upstream = std::make_unique<Upstream>();
    QVERIFY(m_upstream->port != 0);
    m_proxy = std::make_unique<FaultProxy>();
    QVERIFY(m_proxy->start(QStringLiteral("127.0.0.1"), m_upstream->port));
    m_network = std::make_unique<QNetworkAccessManager>();
}

void FaultProxyTest::cleanup()
{
    m_network.reset();
    m_proxy.reset();
    m_upstream.reset();
}

Answer FaultProxyTest::request(const QByteArray &method, const QString &path, const QByteArray &body, quint16 port)
{
    QNetworkRequest request(QUrl(QStringLiteral("http://127.0.0.1:%1%2").arg(port ? port : m_proxy->port()).arg(path)));
    request.setHeader(QNetworkRequest::ContentTypeHeader, QStringLiteral("application/json"));
    QElapsedTimer clock;
    clock.start();
    QNetworkReply *reply = m_network->sendCustomRequest(request, method, body);
    Answer answer;
    QSignalSpy finished(reply, &QNetworkReply::finished);
    if (!reply->isFinished() && !finished.wait(10000)) {
        reply->abort();
        delete reply;
        return answer;
    }
    answer.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    answer.body = reply->readAll();
    answer.retryAfter = reply->rawHeader("Retry-After");
    answer.error = reply->error();
    answer.elapsedMs = clock.elapsed();
    delete reply;
    return answer;
}

void FaultProxyTest::readerFindsChunkedAndPipelinedBoundaries()
{
    // A chunked answer with an extension and a trailer, then the start of the next one, fed
    // a byte at a time as a slow network would.
    const QByteArray first = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                             "5;ext=1\r\nhello\r\n6\r\n world\r\n0\r\nX-Trailer: t\r\n\r\n";
    const QByteArray stream = first + "HTTP/1.1 204 No Content\r\n\r\n";
    HttpMessageReader reader(HttpMessageReader::Kind::Response);
    QByteArray input;
    qsizetype fed = 0;
    while (fed < stream.size() && reader.state() == HttpMessageReader::State::NeedMore) {
        input.append(stream.at(fed++));
        reader.feed(input);
    }
    QCOMPARE(reader.state(), HttpMessageReader::State::Complete);
    QCOMPARE(reader.raw(), first);
    QCOMPARE(fed, first.size());

    reader.reset();
    input = stream.mid(fed);
    QCOMPARE(reader.feed(input), HttpMessageReader::State::Complete);
    QCOMPARE(reader.status(), 204);

    // A request body framed by Content-Length leaves the pipelined request after it alone.
    HttpMessageReader requestReader(HttpMessageReader::Kind::Request);
    QByteArray requests = rawRegistration() + "GET /v1/catalog HTTP/1.1\r\n\r\n";
    QCOMPARE(requestReader.feed(requests), HttpMessageReader::State::Complete);
    QCOMPARE(requestReader.body(), registrationBody);
    QCOMPARE(requests, QByteArray("GET /v1/catalog HTTP/1.1\r\n\r\n"));

    // A response with no framing runs until the upstream closes.
    HttpMessageReader untilClose(HttpMessageReader::Kind::Response);
    QByteArray http10 = "HTTP/1.0 200 OK\r\n\r\nbody";
    QCOMPARE(untilClose.feed(http10), HttpMessageReader::State::NeedMore);
    QCOMPARE(untilClose.finishAtEof(), HttpMessageReader::State::Complete);
    QCOMPARE(untilClose.body(), QByteArray("body"));
}

void FaultProxyTest::passesThroughWithKeepAlive()
{
    const Answer first = request("POST", QStringLiteral("/v1/registrations"), registrationBody);
    const Answer second = request("POST", QStringLiteral("/v1/registrations"), registrationBody);
    const Answer catalog = request("GET", QStringLiteral("/v1/catalog"));
    QCOMPARE(first.status, 200);
    QCOMPARE(QJsonDocument::fromJson(first.body).object().value(QStringLiteral("stored")).toInt(), 1);
    QCOMPARE(QJsonDocument::fromJson(second.body).object().value(QStringLiteral("stored")).toInt(), 2);
    QCOMPARE(catalog.status, 200);
    QCOMPARE(m_upstream->registrations, 2);
    QCOMPARE(m_upstream->catalogs, 1);

    // Three requests over one client connection, each logged with its bytes both ways.
    const QList<ConnectionRecord> connections = m_proxy->connections();
    QCOMPARE(connections.size(), 1);
    QCOMPARE(connections.first().requests, 3);
    const QList<RequestRecord> records = m_proxy->requests();
    QCOMPARE(records.size(), 3);
    QCOMPARE(records.at(2).method, QStringLiteral("GET"));
    QCOMPARE(records.at(2).target, QStringLiteral("/v1/catalog"));
    for (const RequestRecord &record : records) {
        QVERIFY(record.fault.isEmpty());
        QVERIFY(record.forwarded);
        QCOMPARE(record.upstreamStatus, 200);
        QCOMPARE(record.clientStatus, 200);
        QCOMPARE(record.outcome, QStringLiteral("answered"));
        QVERIFY(record.requestBytes > 0);
        QCOMPARE(record.responseBytes, record.upstreamResponseBytes);
    }
    QVERIFY(records.at(2).responseBytes > 1500);
    QCOMPARE(m_proxy->counters().forwarded, 3);
    QCOMPARE(m_proxy->counters().upstreamConnections, 1);
}

void FaultProxyTest::answersExpectContinueItself()
{
    // curl withholds a large body behind "Expect: 100-continue"; the proxy must not wait for it.
    RawClient client(m_proxy->port());
    QVERIFY(client.send("POST /v1/registrations HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                        "Expect: 100-continue\r\nContent-Length: "
                        + QByteArray::number(registrationBody.size()) + "\r\n\r\n"));
    QTRY_VERIFY_WITH_TIMEOUT((client.ended(), client.received.contains("\r\n\r\n")), 5000);
    QCOMPARE(client.received, QByteArray("HTTP/1.1 100 Continue\r\n\r\n"));
    QCOMPARE(m_upstream->registrations, 0);
    client.received.clear();
    QVERIFY(client.send(registrationBody));
    QTRY_VERIFY_WITH_TIMEOUT(client.responseComplete(), 5000);
    QVERIFY(client.received.startsWith("HTTP/1.1 200 OK\r\n"));
    QCOMPARE(m_upstream->registrations, 1);
}

void FaultProxyTest::resetBeforeRequestNeverReachesTheService()
{
    m_proxy->injectFault(FaultSpec::resetBeforeRequest());
    RawClient client(m_proxy->port());
    QVERIFY(client.connected());
    QVERIFY(client.send(rawRegistration()));
    QTRY_VERIFY_WITH_TIMEOUT(client.ended(), 5000);
    QCOMPARE(client.end(), RawClient::End::Reset);
    QVERIFY(client.received.isEmpty());
    QCOMPARE(m_upstream->received(), 0);
    const RequestRecord record = m_proxy->requests().value(0);
    QCOMPARE(record.fault, QStringLiteral("reset-before-request"));
    QCOMPARE(record.outcome, QStringLiteral("reset"));
    QVERIFY(!record.forwarded);
    QCOMPARE(m_proxy->connections().value(0).closedBy, QStringLiteral("reset"));
    QCOMPARE(m_proxy->counters().resets, 1);
}

void FaultProxyTest::resetAfterRequestLosesOnlyTheAnswer()
{
    m_proxy->injectFault(FaultSpec::resetAfterRequest());
    RawClient client(m_proxy->port());
    QVERIFY(client.send(rawRegistration()));
    QTRY_VERIFY_WITH_TIMEOUT(client.ended(), 5000);
    QCOMPARE(client.end(), RawClient::End::Reset);
    QVERIFY(client.received.isEmpty());
    QCOMPARE(m_upstream->registrations, 1); // the service stored the batch; only its answer was lost
    const RequestRecord record = m_proxy->requests().value(0);
    QVERIFY(record.forwarded);
    QCOMPARE(record.upstreamStatus, 200);
    QCOMPARE(record.clientStatus, 0);
    QCOMPARE(record.responseBytes, 0);

    // The retry goes through: the fault was for one request.
    QCOMPARE(request("POST", QStringLiteral("/v1/registrations"), registrationBody).status, 200);
    QCOMPARE(m_upstream->registrations, 2);
}

void FaultProxyTest::stallHoldsUntilClearedThenForwards()
{
    m_proxy->injectFault(FaultSpec::stall()); // until cleared
    RawClient client(m_proxy->port());
    QVERIFY(client.send(rawRegistration()));
    QTRY_COMPARE_WITH_TIMEOUT(m_proxy->counters().requests, qint64(1), 5000);
    QTest::qWait(300);
    QVERIFY(!client.ended()); // still open, and silent
    QVERIFY(client.received.isEmpty());
    QCOMPARE(m_upstream->received(), 0);

    m_proxy->clearFaults(); // the network heals: the held request goes on
    QTRY_VERIFY_WITH_TIMEOUT(client.responseComplete(), 5000);
    QVERIFY(client.received.startsWith("HTTP/1.1 200"));
    QCOMPARE(client.end(), RawClient::End::Open);
    QCOMPARE(m_upstream->registrations, 1);
    QCOMPARE(m_proxy->requests().value(0).fault, QStringLiteral("stall"));
}

void FaultProxyTest::timedStallDelaysTheAnswer()
{
    m_proxy->injectFault(FaultSpec::stall(300));
    const Answer answer = request("GET", QStringLiteral("/v1/catalog"));
    QCOMPARE(answer.status, 200);
    QVERIFY2(answer.elapsedMs >= 300, qPrintable(QString::number(answer.elapsedMs)));
    QCOMPARE(m_upstream->catalogs, 1);
}

void FaultProxyTest::slowDripTakesAtLeastSizeOverRate()
{
    const int rate = 4000; // the ~1.6 KB answer takes ≥ 0.4 s
    m_proxy->injectFault(FaultSpec::slowDrip(rate));
    const Answer answer = request("GET", QStringLiteral("/v1/catalog"));
    QCOMPARE(answer.status, 200);
    QCOMPARE(QJsonDocument::fromJson(answer.body).object().value(QStringLiteral("catalog")).toString().size(), 1500);
    const RequestRecord record = m_proxy->requests().value(0);
    QCOMPARE(record.fault, QStringLiteral("slow-drip"));
    QCOMPARE(record.responseBytes, record.upstreamResponseBytes);
    const qint64 minimumMs = record.responseBytes * 1000 / rate;
    QVERIFY2(answer.elapsedMs >= minimumMs, qPrintable(QStringLiteral("%1 ms < %2 ms").arg(answer.elapsedMs).arg(minimumMs)));
}

void FaultProxyTest::truncateSendsExactlyNBytesThenCloses()
{
    m_proxy->injectFault(FaultSpec::truncate(20));
    RawClient client(m_proxy->port());
    QVERIFY(client.send(rawRegistration()));
    QTRY_VERIFY_WITH_TIMEOUT(client.ended(), 5000);
    QCOMPARE(client.end(), RawClient::End::Closed); // a FIN, not a reset
    QCOMPARE(client.received.size(), 20);
    QVERIFY(client.received.startsWith("HTTP/1.1 200 OK\r\n"));
    QCOMPARE(m_upstream->registrations, 1);
    const RequestRecord record = m_proxy->requests().value(0);
    QCOMPARE(record.outcome, QStringLiteral("truncated"));
    QCOMPARE(record.responseBytes, 20);
    QVERIFY(record.upstreamResponseBytes > 20);
}

void FaultProxyTest::statusAnswersWithoutForwarding_data()
{
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("retryAfter");
    QTest::newRow("429 seconds") << 429 << QStringLiteral("7");
    QTest::newRow("503 http-date") << 503 << QStringLiteral("Wed, 21 Oct 2026 07:28:00 GMT");
    QTest::newRow("500 plain") << 500 << QString();
    QTest::newRow("502 plain") << 502 << QString();
}

void FaultProxyTest::statusAnswersWithoutForwarding()
{
    QFETCH(int, status);
    QFETCH(QString, retryAfter);
    m_proxy->injectFault(FaultSpec::answer(status, retryAfter, "{\"error\":\"busy\"}"));
    const Answer answer = request("POST", QStringLiteral("/v1/registrations"), registrationBody);
    QCOMPARE(answer.status, status);
    QCOMPARE(answer.retryAfter, retryAfter.toLatin1());
    QCOMPARE(answer.body, QByteArray("{\"error\":\"busy\"}"));
    QCOMPARE(m_upstream->registrations, 0);

    // The connection survives an error answer, and the next request passes.
    QCOMPARE(request("POST", QStringLiteral("/v1/registrations"), registrationBody).status, 200);
    QCOMPARE(m_upstream->registrations, 1);
    QCOMPARE(m_proxy->connections().size(), 1);
}

void FaultProxyTest::garbageReplacesOrInventsTheBody()
{
    m_proxy->injectFault(FaultSpec::garbage());
    m_proxy->injectFault(FaultSpec::garbage(true));

    QJsonParseError parseError;
    const Answer invented = request("POST", QStringLiteral("/v1/registrations"), registrationBody);
    QCOMPARE(invented.status, 200);
    QJsonDocument::fromJson(invented.body, &parseError);
    QVERIFY(parseError.error != QJsonParseError::NoError);
    QCOMPARE(m_upstream->registrations, 0);

    const Answer replaced = request("POST", QStringLiteral("/v1/registrations"), registrationBody);
    QCOMPARE(replaced.status, 200);
    QVERIFY(!replaced.body.isEmpty());
    QJsonDocument::fromJson(replaced.body, &parseError);
    QVERIFY(parseError.error != QJsonParseError::NoError);
    QCOMPARE(m_upstream->registrations, 1); // stored, though the kiosk cannot read the answer
    QCOMPARE(m_proxy->requests().value(1).upstreamStatus, 200);
}

void FaultProxyTest::latencyDelaysEachRequestAndCombines()
{
    m_proxy->injectFault(FaultSpec::latency(150).times(0));
    m_proxy->injectFault(FaultSpec::answer(503));
    const Answer failed = request("POST", QStringLiteral("/v1/registrations"), registrationBody);
    const Answer passed = request("POST", QStringLiteral("/v1/registrations"), registrationBody);
    QCOMPARE(failed.status, 503); // latency does not shadow the fault queued after it
    QCOMPARE(passed.status, 200);
    QVERIFY2(failed.elapsedMs >= 150, qPrintable(QString::number(failed.elapsedMs)));
    QVERIFY2(passed.elapsedMs >= 150, qPrintable(QString::number(passed.elapsedMs)));
    const QList<RequestRecord> records = m_proxy->requests();
    QCOMPARE(records.value(0).fault, QStringLiteral("status"));
    QCOMPARE(records.value(0).latencyMs, 150);
    QVERIFY(records.value(1).fault.isEmpty());
    QCOMPARE(records.value(1).latencyMs, 150);
    QCOMPARE(m_proxy->pendingFaults().size(), 1); // count 0: until cleared
    m_proxy->clearFaults();
    QVERIFY(m_proxy->pendingFaults().isEmpty());
}

void FaultProxyTest::pathFilterCountAndOrderThenPassThrough()
{
    m_proxy->injectFault(FaultSpec::answer(503).onPath(QStringLiteral("/v1/registrations")).times(2));
    m_proxy->injectFault(FaultSpec::answer(500));

    QCOMPARE(request("POST", QStringLiteral("/v1/registrations"), registrationBody).status, 503);
    QCOMPARE(request("GET", QStringLiteral("/v1/catalog?etag=1")).status, 500); // the filter skips it to the next
    QCOMPARE(request("POST", QStringLiteral("/v1/registrations"), registrationBody).status, 503);
    QVERIFY(m_proxy->pendingFaults().isEmpty());
    QCOMPARE(request("POST", QStringLiteral("/v1/registrations"), registrationBody).status, 200);
    QCOMPARE(request("GET", QStringLiteral("/v1/catalog")).status, 200);
    QCOMPARE(m_upstream->registrations, 1);
    QCOMPARE(m_upstream->catalogs, 1);

    FaultSpec spec = FaultSpec::answer(503).onPath(QStringLiteral("/v1/registrations"));
    QVERIFY(spec.matches("POST", "/v1/registrations/batch?x=1"));
    QVERIFY(!spec.matches("POST", "/v1/registrationsX"));
    spec.method = QStringLiteral("GET");
    QVERIFY(!spec.matches("POST", "/v1/registrations"));
}

void FaultProxyTest::unreachableUpstreamIs502()
{
    FaultProxy orphan;
    const quint16 closedPort = m_upstream->port;
    m_upstream.reset(); // nothing listens there any more
    QVERIFY(orphan.start(QStringLiteral("127.0.0.1"), closedPort));
    const Answer answer = request("GET", QStringLiteral("/v1/catalog"), {}, orphan.port());
    QCOMPARE(answer.status, 502);
    QCOMPARE(orphan.requests().value(0).outcome, QStringLiteral("upstream-failed"));
}

void FaultProxyTest::executableIsDrivenByItsControlApi()
{
    QProcess process;
    process.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    process.start(QStringLiteral(FAULT_PROXY_BINARY),
                  {QStringLiteral("--upstream"), QStringLiteral("127.0.0.1:%1").arg(m_upstream->port)});
    QVERIFY(process.waitForStarted());
    QTRY_VERIFY_WITH_TIMEOUT(process.canReadLine(), 5000);
    static const QRegularExpression banner(
        QStringLiteral("^fault-proxy listening on http://127\\.0\\.0\\.1:(\\d+) control http://127\\.0\\.0\\.1:(\\d+) "));
    const QString line = QString::fromUtf8(process.readLine());
    const QRegularExpressionMatch match = banner.match(line);
    QVERIFY2(match.hasMatch(), qPrintable(line));
    const quint16 proxyPort = quint16(match.captured(1).toUInt());
    const quint16 controlPort = quint16(match.captured(2).toUInt());

    const auto control = [&](const QByteArray &method, const QString &path, const QJsonObject &body = {}) {
        const QByteArray payload = body.isEmpty() ? QByteArray() : QJsonDocument(body).toJson(QJsonDocument::Compact);
        const Answer answer = request(method, path, payload, controlPort);
        return std::make_pair(answer.status, QJsonDocument::fromJson(answer.body).object());
    };

    const auto refused = control("POST", QStringLiteral("/faults"), {{QStringLiteral("kind"), QStringLiteral("explode")}});
    QCOMPARE(refused.first, 400);
    QVERIFY(refused.second.value(QStringLiteral("error")).toString().contains(QStringLiteral("kind")));

    const QJsonObject fault{{QStringLiteral("kind"), QStringLiteral("status")},
                            {QStringLiteral("status"), 429},
                            {QStringLiteral("retryAfter"), QStringLiteral("3")},
                            {QStringLiteral("path"), QStringLiteral("/v1/registrations")}};
    const auto queued = control("POST", QStringLiteral("/faults"), {{QStringLiteral("faults"), QJsonArray{fault}}});
    QCOMPARE(queued.first, 201);
    QCOMPARE(queued.second.value(QStringLiteral("queued")).toInt(), 1);
    QCOMPARE(control("GET", QStringLiteral("/faults")).second.value(QStringLiteral("faults")).toArray().size(), 1);

    const Answer limited = request("POST", QStringLiteral("/v1/registrations"), registrationBody, proxyPort);
    QCOMPARE(limited.status, 429);
    QCOMPARE(limited.retryAfter, QByteArray("3"));
    QCOMPARE(request("POST", QStringLiteral("/v1/registrations"), registrationBody, proxyPort).status, 200);
    QCOMPARE(m_upstream->registrations, 1);

    const QJsonArray requests = control("GET", QStringLiteral("/requests")).second.value(QStringLiteral("requests")).toArray();
    QCOMPARE(requests.size(), 2);
    QCOMPARE(requests.at(0)[QStringLiteral("fault")].toString(), QStringLiteral("status"));
    QCOMPARE(requests.at(0)[QStringLiteral("upstreamStatus")].toInt(), 0);
    QVERIFY(requests.at(1)[QStringLiteral("fault")].isNull());
    QCOMPARE(requests.at(1)[QStringLiteral("upstreamStatus")].toInt(), 200);
    QCOMPARE(control("GET", QStringLiteral("/counters")).second.value(QStringLiteral("forwarded")).toInt(), 1);
    QCOMPARE(control("GET", QStringLiteral("/config")).second.value(QStringLiteral("upstreamPort")).toInt(),
             m_upstream->port);

    control("POST", QStringLiteral("/faults"), {{QStringLiteral("kind"), QStringLiteral("stall")}});
    QCOMPARE(control("DELETE", QStringLiteral("/faults")).second.value(QStringLiteral("cleared")).toInt(), 1);
    QCOMPARE(control("POST", QStringLiteral("/reset")).first, 200);
    QVERIFY(control("GET", QStringLiteral("/requests")).second.value(QStringLiteral("requests")).toArray().isEmpty());
    QCOMPARE(control("GET", QStringLiteral("/nowhere")).first, 404);

    process.terminate();
    QVERIFY(process.waitForFinished(5000));
    QCOMPARE(process.exitStatus(), QProcess::NormalExit);
    QCOMPARE(process.exitCode(), 0);
}

QTEST_GUILESS_MAIN(FaultProxyTest)
#include "faultproxytest.moc"
