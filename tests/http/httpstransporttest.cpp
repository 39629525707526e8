// HttpTransport over TLS and through proxies, against real servers on loopback with a
// throwaway CA made by openssl at test time.
#include "echoserver.h"
#include "testpki.h"
#include "transportwait.h"
#include "tunnelproxy.h"

#include <QTemporaryDir>
#include <QTest>

using namespace poptap::http;

class HttpsTransportTest : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    TestPki m_pki;

    TransportSettings trusting() const
    {
        TransportSettings settings;
        settings.tls.caBundle = m_pki.caCertificate;
        return settings;
    }

private slots:
    void initTestCase()
    {
        clearProxyEnvironment();
        QVERIFY(m_dir.isValid());
        const QString error = m_pki.generate(m_dir.path());
        QVERIFY2(error.isEmpty(), qPrintable(error));
    }

    void acceptedWithTheCaConfigured()
    {
        EchoServer server(m_pki.serverConfiguration());
        HttpTransport transport(trusting());
        const auto response =
            sendAndWait(transport, {"POST", server.url(QStringLiteral("/echo")), {}, QByteArray("over tls")});
        QVERIFY(response);
        QVERIFY2(response->ok(), qPrintable(response->errorText));
        QCOMPARE(response->body, QByteArray("over tls"));

        // The TLS session's connection is reused too.
        for (int i = 0; i < 5; ++i)
            QVERIFY(sendAndWait(transport, getRequest(server.url(QStringLiteral("/echo"))))->ok());
        QCOMPARE(server.connections(), 1);
    }

    void refusedWithoutTheCa()
    {
        EchoServer server(m_pki.serverConfiguration());
        HttpTransport transport({}); // the system store does not know the test CA
        const auto response = sendAndWait(transport, getRequest(server.url(QStringLiteral("/echo"))));
        QVERIFY(response);
        QCOMPARE(response->error, TransportError::Tls);
        QCOMPARE(response->status, 0);
        QVERIFY2(response->errorText.contains(QLatin1String("certificate"), Qt::CaseInsensitive),
                 qPrintable(response->errorText));
    }

    void refusedForAnotherHostName()
    {
        // The certificate names 127.0.0.1 and localhost; Linux answers all of 127/8 on loopback.
        EchoServer server(m_pki.serverConfiguration(), QHostAddress(QStringLiteral("127.0.0.2")));
        QVERIFY(server.port() != 0);
        HttpTransport transport(trusting());
        const auto response = sendAndWait(transport, getRequest(server.url(QStringLiteral("/echo"))));
        QVERIFY(response);
        QCOMPARE(response->error, TransportError::Tls);
        QVERIFY2(response->errorText.contains(QLatin1String("host"), Qt::CaseInsensitive),
                 qPrintable(response->errorText));
    }

    void pinnedKeyMustMatch()
    {
        EchoServer server(m_pki.serverConfiguration());
        TransportSettings wrong = trusting();
        wrong.tls.pinnedPublicKey = m_pki.wrongPin;
        HttpTransport wrongTransport(wrong);
        const auto refused = sendAndWait(wrongTransport, getRequest(server.url(QStringLiteral("/echo"))));
        QVERIFY(refused);
        QCOMPARE(refused->error, TransportError::Tls);
        QVERIFY2(refused->errorText.contains(QLatin1String("pinned"), Qt::CaseInsensitive),
                 qPrintable(refused->errorText));

        TransportSettings right = trusting();
        right.tls.pinnedPublicKey = m_pki.wrongPin + ';' + m_pki.serverPin; // either of two keys, as in a rotation
        HttpTransport rightTransport(right);
        const auto accepted = sendAndWait(rightTransport, getRequest(server.url(QStringLiteral("/echo"))));
        QVERIFY(accepted);
        QVERIFY2(accepted->ok(), qPrintable(accepted->errorText));
    }

    void clientCertificatePresentedWhenConfigured()
    {
        EchoServer server(m_pki.serverConfiguration(true));

        HttpTransport anonymous(trusting());
        const auto refused = sendAndWait(anonymous, getRequest(server.url(QStringLiteral("/echo"))));
        QVERIFY(refused);
        // Under TLS 1.3 the server may only hang up after the handshake (Protocol), or refuse in it (Tls).
        QVERIFY2(refused->error == TransportError::Tls || refused->error == TransportError::Protocol,
                 qPrintable(refused->errorText));
        QCOMPARE(refused->status, 0);
        QVERIFY(server.clientCertificateNames().isEmpty());

        TransportSettings settings = trusting();
        settings.tls.clientCertificate = m_pki.clientCertificate;
        settings.tls.clientKey = m_pki.clientKey;
        HttpTransport identified(settings);
        const auto accepted = sendAndWait(identified, getRequest(server.url(QStringLiteral("/echo"))));
        QVERIFY(accepted);
        QVERIFY2(accepted->ok(), qPrintable(accepted->errorText));
        QCOMPARE(server.clientCertificateNames(), QStringList{m_pki.clientCommonName});
    }

    void explicitProxyTunnelsHttps()
    {
        EchoServer server(m_pki.serverConfiguration());
        TunnelProxy proxy;
        TransportSettings settings = trusting();
        settings.proxy = proxy.address();
        HttpTransport transport(settings);
        const auto response =
            sendAndWait(transport, {"POST", server.url(QStringLiteral("/echo")), {}, QByteArray("through the proxy")});
        QVERIFY(response);
        QVERIFY2(response->ok(), qPrintable(response->errorText));
        QCOMPARE(response->body, QByteArray("through the proxy"));
        QCOMPARE(proxy.requestLines(), QStringList{QStringLiteral("CONNECT 127.0.0.1:%1 HTTP/1.1").arg(server.port())});
    }

    void refusingProxyIsProxy()
    {
        EchoServer server(m_pki.serverConfiguration());
        TunnelProxy proxy(/*refuse*/ true);
        TransportSettings settings = trusting();
        settings.proxy = proxy.address();
        HttpTransport transport(settings);
        const auto response = sendAndWait(transport, getRequest(server.url(QStringLiteral("/echo"))));
        QVERIFY(response);
        QCOMPARE(response->error, TransportError::Proxy);
        QCOMPARE(server.connections(), 0);
    }

    void environmentProxyIsHonouredWhenNoneIsSet()
    {
        EchoServer server;
        TunnelProxy proxy;
        qputenv("http_proxy", proxy.address().toLatin1());
        HttpTransport transport({});
        const auto response = sendAndWait(transport, getRequest(server.url(QStringLiteral("/echo?via=env"))));
        clearProxyEnvironment();
        QVERIFY(response);
        QVERIFY2(response->ok(), qPrintable(response->errorText));
        QCOMPARE(proxy.requestLines(),
                 QStringList{QStringLiteral("GET http://127.0.0.1:%1/echo?via=env HTTP/1.1").arg(server.port())});
        QCOMPARE(response->header("x-echo-method"), QByteArray("GET"));
    }
};

QTEST_GUILESS_MAIN(HttpsTransportTest)
#include "httpstransporttest.moc"
