#include "testpki.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QProcess>
#include <QSslCertificate>
#include <QSslKey>

namespace {

// Our own configuration, so that the system's openssl.cnf cannot change the certificates.
const char opensslConfig[] =
    "[req]\n"
    "distinguished_name = dn\n"
    "prompt = no\n"
    "[dn]\n"
    "CN = unused\n"
    "[ca]\n"
    "basicConstraints = critical,CA:TRUE\n"
    "keyUsage = critical,keyCertSign,cRLSign\n"
    "subjectKeyIdentifier = hash\n"
    "[server]\n"
    "basicConstraints = CA:FALSE\n"
    "keyUsage = critical,digitalSignature\n"
    "extendedKeyUsage = serverAuth\n"
    "subjectAltName = IP:127.0.0.1,DNS:localhost\n"
    "authorityKeyIdentifier = keyid\n"
    "[client]\n"
    "basicConstraints = CA:FALSE\n"
    "keyUsage = critical,digitalSignature\n"
    "extendedKeyUsage = clientAuth\n"
    "authorityKeyIdentifier = keyid\n";

QString run(const QString &directory, const QStringList &arguments)
{
    QProcess openssl;
    openssl.setWorkingDirectory(directory);
    openssl.start(QStringLiteral(POPTAP_OPENSSL), arguments);
    if (!openssl.waitForFinished(30000) || openssl.exitStatus() != QProcess::NormalExit || openssl.exitCode() != 0)
        return QStringLiteral("openssl %1: %2").arg(arguments.join(u' '), QString::fromLocal8Bit(openssl.readAllStandardError()));
    return {};
}

QStringList newKey(const QString &keyFile)
{
    return {QStringLiteral("-newkey"), QStringLiteral("ec"), QStringLiteral("-pkeyopt"),
            QStringLiteral("ec_paramgen_curve:P-256"), QStringLiteral("-nodes"), QStringLiteral("-keyout"), keyFile};
}

QByteArray readFile(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

} // namespace

QString TestPki::generate(const QString &directory)
{
    const QDir dir(directory);
    QFile config(dir.filePath(QStringLiteral("openssl.cnf")));
    if (!config.open(QIODevice::WriteOnly) || config.write(opensslConfig) < 0)
        return QStringLiteral("cannot write %1").arg(config.fileName());
    config.close();
    const QString cnf = config.fileName();

    caCertificate = dir.filePath(QStringLiteral("ca.pem"));
    serverCertificate = dir.filePath(QStringLiteral("server.pem"));
    serverKey = dir.filePath(QStringLiteral("server.key"));
    clientCertificate = dir.filePath(QStringLiteral("client.pem"));
    clientKey = dir.filePath(QStringLiteral("client.key"));

    const QString caKey = dir.filePath(QStringLiteral("ca.key"));
    const auto selfSigned = [&](const QString &name, const QString &cert, const QString &key) {
        return QStringList{QStringLiteral("req"), QStringLiteral("-x509"), QStringLiteral("-config"), cnf,
                           QStringLiteral("-extensions"), QStringLiteral("ca"), QStringLiteral("-days"),
                           QStringLiteral("2"), QStringLiteral("-subj"), QStringLiteral("/CN=") + name,
                           QStringLiteral("-out"), cert} + newKey(key);
    };
    const auto request = [&](const QString &name, const QString &key, const QString &csr) {
        return QStringList{QStringLiteral("req"), QStringLiteral("-new"), QStringLiteral("-config"), cnf,
                           QStringLiteral("-subj"), QStringLiteral("/CN=") + name, QStringLiteral("-out"), csr}
            + newKey(key);
    };
    const auto sign = [&](const QString &csr, const QString &section, const QString &cert, const QString &serial) {
        return QStringList{QStringLiteral("x509"), QStringLiteral("-req"), QStringLiteral("-in"), csr,
                           QStringLiteral("-CA"), caCertificate, QStringLiteral("-CAkey"), caKey,
                           QStringLiteral("-set_serial"), serial, QStringLiteral("-days"), QStringLiteral("2"),
                           QStringLiteral("-extfile"), cnf, QStringLiteral("-extensions"), section,
                           QStringLiteral("-out"), cert};
    };
    const QString serverCsr = dir.filePath(QStringLiteral("server.csr"));
    const QString clientCsr = dir.filePath(QStringLiteral("client.csr"));
    const QString otherKey = dir.filePath(QStringLiteral("other.key"));
    const QList<QStringList> steps = {
        selfSigned(QStringLiteral("PopTap Test CA"), caCertificate, caKey),
        request(QStringLiteral("127.0.0.1"), serverKey, serverCsr),
        sign(serverCsr, QStringLiteral("server"), serverCertificate, QStringLiteral("2")),
        request(clientCommonName, clientKey, clientCsr),
        sign(clientCsr, QStringLiteral("client"), clientCertificate, QStringLiteral("3")),
        selfSigned(QStringLiteral("Unrelated CA"), dir.filePath(QStringLiteral("other.pem")), otherKey),
        {QStringLiteral("pkey"), QStringLiteral("-in"), serverKey, QStringLiteral("-pubout"), QStringLiteral("-outform"),
         QStringLiteral("DER"), QStringLiteral("-out"), dir.filePath(QStringLiteral("server.pub.der"))},
        {QStringLiteral("pkey"), QStringLiteral("-in"), otherKey, QStringLiteral("-pubout"), QStringLiteral("-outform"),
         QStringLiteral("DER"), QStringLiteral("-out"), dir.filePath(QStringLiteral("other.pub.der"))},
    };
    for (const QStringList &step : steps)
        if (const QString error = run(directory, step); !error.isEmpty())
            return error;

    // CURLOPT_PINNEDPUBLICKEY's form: the SHA-256 of the DER SubjectPublicKeyInfo, in base64.
    const auto pin = [&](const QString &derFile) {
        return "sha256//" + QCryptographicHash::hash(readFile(dir.filePath(derFile)), QCryptographicHash::Sha256).toBase64();
    };
    serverPin = pin(QStringLiteral("server.pub.der"));
    wrongPin = pin(QStringLiteral("other.pub.der"));
    return {};
}

QSslConfiguration TestPki::serverConfiguration(bool requireClientCertificate) const
{
    QSslConfiguration configuration = QSslConfiguration::defaultConfiguration();
    configuration.setLocalCertificate(QSslCertificate(readFile(serverCertificate)));
    configuration.setPrivateKey(QSslKey(readFile(serverKey), QSsl::Ec));
    if (requireClientCertificate) {
        configuration.setCaCertificates(QSslCertificate::fromData(readFile(caCertificate)));
        configuration.setPeerVerifyMode(QSslSocket::VerifyPeer);
    } else {
        configuration.setPeerVerifyMode(QSslSocket::VerifyNone);
    }
    return configuration;
}
