// HttpTransport over plain HTTP against real servers on loopback: round trips, connection
// reuse, transport errors, and what happens to callbacks on cancel and destruction.
#include "echoserver.h"
#include "rawserver.h"
#include "transportwait.h"

#include <QElapsedTimer>
#include <QSignalSpy>
#include <QTest>
#include <QThread>

#include <atomic>

using namespace poptap::http;
using namespace std::chrono_literals;

class HttpTransportTest : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase() { clearProxyEnvironment(); }

    void getCarriesHeadersBothWays()
    {
        EchoServer server;
        TransportSettings settings;
        settings.userAgent = "poptap-kiosk/0.1.0";
        HttpTransport transport(settings);

        HttpRequest request = getRequest(server.url(QStringLiteral("/echo")));
        request.headers = {{"X-PopTap-Test", "hello"}};
        const auto response = sendAndWait(transport, request);
        QVERIFY(response);
        QVERIFY2(response->ok(), qPrintable(response->errorText));
        QCOMPARE(response->status, 200);
        QCOMPARE(response->header("x-echo-method"), QByteArray("GET"));
        QCOMPARE(response->header("x-echo-test"), QByteArray("hello"));
        QCOMPARE(response->header("x-echo-user-agent"), QByteArray("poptap-kiosk/0.1.0"));
        QCOMPARE(response->header("content-type"), QByteArray("application/octet-stream"));
        for (const auto &header : response->headers)
            QCOMPARE(header.first, header.first.toLower());
        QVERIFY(response->body.isEmpty());
    }

    void postCarriesTheBodyUnchanged()
    {
        EchoServer server;
        HttpTransport transport({});
        QByteArray body;
        for (int i = 0; i < 200 * 1024; ++i)
            body.append(char(i * 7)); // binary, with NUL bytes, larger than one read
        const auto response = sendAndWait(
            transport, {"POST", server.url(QStringLiteral("/echo")), {{"Content-Type", "application/json"}}, body});
        QVERIFY(response);
        QVERIFY2(response->ok(), qPrintable(response->errorText));
        QCOMPARE(response->header("x-echo-method"), QByteArray("POST"));
        QCOMPARE(response->header("x-echo-content-type"), QByteArray("application/json"));
        QCOMPARE(response->body.size(), body.size());
        QVERIFY(response->body == body);
    }

    void httpErrorStatusIsAnAnswerNotATransportError()
    {
        EchoServer server;
        HttpTransport transport({});
        const auto response = sendAndWait(transport, getRequest(server.url(QStringLiteral("/status/503"))));
        QVERIFY(response);
        QCOMPARE(response->status, 503);
        QCOMPARE(response->error, TransportError::None);
        QVERIFY(response->ok());
    }

    void sequentialRequestsShareOneConnection()
    {
        EchoServer server;
        HttpTransport transport({});
        for (int i = 0; i < 20; ++i) {
            const auto response = sendAndWait(transport, getRequest(server.url(QStringLiteral("/echo"))));
            QVERIFY(response && response->ok());
        }
        QCOMPARE(server.connections(), 1);
    }

    void concurrentRequestsEachAnswerOnce()
    {
        EchoServer server;
        HttpTransport transport({});
        QHash<int, int> calls;
        for (int i = 0; i < 10; ++i) {
            HttpRequest request{"POST", server.url(QStringLiteral("/echo")), {}, QByteArray::number(i)};
            transport.send(request, this, [&calls, i](HttpResponse response) {
                if (response.ok() && response.body == QByteArray::number(i))
                    ++calls[i];
            });
        }
        QTRY_COMPARE_WITH_TIMEOUT(calls.size(), 10, 10000);
        // A round trip after the others: any second callback would have been delivered by now.
        QVERIFY(sendAndWait(transport, getRequest(server.url(QStringLiteral("/echo")))));
        for (int count : std::as_const(calls))
            QCOMPARE(count, 1);
    }

    void refusedConnectionIsConnect()
    {
        quint16 closedPort = 0;
        {
            QTcpServer probe;
            QVERIFY(probe.listen(QHostAddress::LocalHost));
            closedPort = probe.serverPort();
        }
        HttpTransport transport({});
        const auto response =
            sendAndWait(transport, getRequest(QUrl(QStringLiteral("http://127.0.0.1:%1/").arg(closedPort))));
        QVERIFY(response);
        QCOMPARE(response->error, TransportError::Connect);
        QCOMPARE(response->status, 0);
        QVERIFY(!response->ok());
        QVERIFY(!response->errorText.isEmpty());
    }

    void silentServerTimesOutOnLowSpeed()
    {
        RawServer silent; // accepts, reads, never answers
        TransportSettings settings;
        settings.lowSpeedTime = 1s;
        HttpTransport transport(settings);
        QElapsedTimer clock;
        clock.start();
        const auto response = sendAndWait(transport, getRequest(silent.url(QStringLiteral("/"))), 10s);
        QVERIFY(response);
        QCOMPARE(response->error, TransportError::Timeout);
        QCOMPARE(silent.requestsSeen(), 1);
        QVERIFY2(clock.elapsed() >= 900, qPrintable(QString::number(clock.elapsed())));
    }

    // A request's own deadline ends it long before the low-speed limit would.
    void requestTimeoutEndsASilentExchange()
    {
        RawServer silent;
        HttpTransport transport(TransportSettings{}); // low-speed limit: 30 s
        HttpRequest request = getRequest(silent.url(QStringLiteral("/")));
        request.timeout = 300ms;
        QElapsedTimer clock;
        clock.start();
        const auto response = sendAndWait(transport, request, 10s);
        QVERIFY(response);
        QCOMPARE(response->error, TransportError::Timeout);
        QVERIFY2(clock.elapsed() >= 250 && clock.elapsed() < 5000, qPrintable(QString::number(clock.elapsed())));
    }

    void announcedBodyOverTheLimitIsTooLarge()
    {
        EchoServer server;
        TransportSettings settings;
        settings.maxResponseBytes = 64 * 1024;
        HttpTransport transport(settings);
        const auto response = sendAndWait(transport, getRequest(server.url(QStringLiteral("/big?bytes=1048576"))));
        QVERIFY(response);
        QCOMPARE(response->error, TransportError::TooLarge);
        QVERIFY(response->body.isEmpty());

        const auto fits = sendAndWait(transport, getRequest(server.url(QStringLiteral("/big?bytes=65536"))));
        QVERIFY(fits && fits->ok());
        QCOMPARE(fits->body.size(), 64 * 1024);
    }

    void unannouncedBodyOverTheLimitIsTooLarge()
    {
        // No Content-Length: the body ends when the connection does.
        RawServer server("HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n" + QByteArray(256 * 1024, 'y'));
        TransportSettings settings;
        settings.maxResponseBytes = 64 * 1024;
        HttpTransport transport(settings);
        const auto response = sendAndWait(transport, getRequest(server.url(QStringLiteral("/"))));
        QVERIFY(response);
        QCOMPARE(response->error, TransportError::TooLarge);
        QCOMPARE(response->status, 200);
        QVERIFY(!response->ok());
    }

    void garbageReplyIsProtocol()
    {
        RawServer server("SSH-2.0-OpenSSH_9.2\r\n\r\n");
        HttpTransport transport({});
        const auto response = sendAndWait(transport, getRequest(server.url(QStringLiteral("/"))));
        QVERIFY(response);
        QCOMPARE(response->error, TransportError::Protocol);
    }

    void malformedRequestsAreRefusedBeforeSending()
    {
        EchoServer server;
        HttpTransport transport({});
        HttpRequest smuggling = getRequest(server.url(QStringLiteral("/echo")));
        smuggling.headers = {{"X-PopTap-Test", "a\r\nX-Injected: yes"}};
        const auto injected = sendAndWait(transport, smuggling);
        QVERIFY(injected);
        QCOMPARE(injected->error, TransportError::Other);

        const auto ftp = sendAndWait(transport, getRequest(QUrl(QStringLiteral("ftp://127.0.0.1/file"))));
        QVERIFY(ftp);
        QCOMPARE(ftp->error, TransportError::Other);
        QCOMPARE(server.connections(), 0);
    }

    void cancelAllFinishesInFlightRequestsAsCancelled()
    {
        RawServer silent;
        EchoServer server;
        HttpTransport transport({});
        QList<TransportError> errors;
        for (int i = 0; i < 3; ++i)
            transport.send(getRequest(silent.url(QStringLiteral("/"))), this,
                           [&errors](HttpResponse response) { errors.append(response.error); });
        QTRY_COMPARE_WITH_TIMEOUT(silent.requestsSeen(), 3, 5000); // all three are on the wire
        transport.cancelAll();
        QTRY_COMPARE_WITH_TIMEOUT(errors.size(), 3, 5000);
        QCOMPARE(errors, QList<TransportError>(3, TransportError::Cancelled));

        // Still usable afterwards, and nothing more arrives for the cancelled ones.
        const auto after = sendAndWait(transport, getRequest(server.url(QStringLiteral("/echo"))));
        QVERIFY(after && after->ok());
        QCOMPARE(errors.size(), 3);
    }

    void destroyingTheTransportDropsEveryCallback()
    {
        RawServer silent;
        EchoServer server;
        int calls = 0;
        for (int round = 0; round < 10; ++round) {
            auto transport = std::make_unique<HttpTransport>(TransportSettings{});
            const auto count = [&calls](HttpResponse) { ++calls; };
            transport->send(getRequest(silent.url(QStringLiteral("/"))), this, count);
            transport->send(getRequest(server.url(QStringLiteral("/echo"))), this, count);
            transport->send(getRequest(QUrl(QStringLiteral("ftp://127.0.0.1/"))), this, count); // answered at once
            // Odd rounds let some answers arrive first; even rounds destroy with answers posted but not run.
            if (round % 2)
                QTRY_VERIFY_WITH_TIMEOUT(silent.requestsSeen() > 0, 5000);
            const int callsBefore = calls;
            transport.reset();
            // The worker is joined: whatever it posted is in the queue now, and must not run.
            QCoreApplication::sendPostedEvents();
            QCoreApplication::processEvents();
            QCOMPARE(calls, callsBefore);
        }
    }

    void destroyedContextGetsNoCallback()
    {
        RawServer silent;
        auto transport = std::make_unique<HttpTransport>(TransportSettings{});
        auto doomed = std::make_unique<QObject>();
        bool doomedCalled = false;
        std::optional<TransportError> survivor;
        transport->send(getRequest(silent.url(QStringLiteral("/"))), doomed.get(),
                        [&doomedCalled](HttpResponse) { doomedCalled = true; });
        transport->send(getRequest(silent.url(QStringLiteral("/"))), this,
                        [&survivor](HttpResponse response) { survivor = response.error; });
        QTRY_COMPARE_WITH_TIMEOUT(silent.requestsSeen(), 2, 5000);
        doomed.reset();
        transport->cancelAll();
        QTRY_VERIFY_WITH_TIMEOUT(survivor.has_value(), 5000);
        QCOMPARE(*survivor, TransportError::Cancelled);
        transport.reset(); // joins the worker: everything it was going to post is posted
        QCoreApplication::sendPostedEvents();
        QVERIFY(!doomedCalled);
    }

    void callbackRunsOnTheContextsThread()
    {
        EchoServer server;
        HttpTransport transport({});
        QThread other;
        other.start();
        QObject context;
        context.moveToThread(&other);
        std::atomic<QThread *> calledOn = nullptr;
        transport.send(getRequest(server.url(QStringLiteral("/echo"))), &context,
                       [&calledOn](HttpResponse) { calledOn = QThread::currentThread(); });
        QTRY_VERIFY_WITH_TIMEOUT(calledOn.load() != nullptr, 5000);
        QCOMPARE(calledOn.load(), &other);
        other.quit();
        QVERIFY(other.wait(5000));
    }
};

QTEST_GUILESS_MAIN(HttpTransportTest)
#include "httptransporttest.moc"
