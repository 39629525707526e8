#pragma once

#include <QByteArray>
#include <QSslConfiguration>
#include <QString>

// A throwaway certificate authority made with the openssl command-line tool: a server
// certificate for 127.0.0.1 and localhost, and a client certificate, both signed by it, and a
// second, unrelated CA whose key makes a wrong pin. Files live in `directory`.
class TestPki
{
public:
    // Empty on success, otherwise what openssl said.
    QString generate(const QString &directory);

    QString caCertificate;      // PEM
    QString serverCertificate;
    QString serverKey;
    QString clientCertificate;
    QString clientKey;
    QString clientCommonName = QStringLiteral("poptap-test-kiosk");
    QByteArray serverPin;       // "sha256//<base64>" of the server's public key
    QByteArray wrongPin;        // the same form, of another key

    // The server side: its certificate and key; with requireClientCertificate, only clients
    // presenting a certificate from this CA get past the handshake.
    QSslConfiguration serverConfiguration(bool requireClientCertificate = false) const;
};
