#pragma once
// Shared by the suites that run poptap-delivery against the LINE emulator: the service's
// configuration pointed at the emulator, the service in the test's process with LINE's side
// of a shopper's chat, and the service as its own process.

#include "deliveryserver.h"
#include "lineemulator.h"
#include "serviceconfig.h"
#include "servicedatabase.h"
#include "servicetesting.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QProcess>
#include <QRegularExpression>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>
#include <memory>

namespace servicetesting {

// An in-process service on a free port, talking to `line` for everything LINE does.
inline poptap::delivery::ServiceConfig configAgainst(const poptap::lineemu::LineEmulator &line, const QString &dataDir,
                                                     const QString &database)
{
    poptap::delivery::ServiceConfig c;
    c.port = 0;
    c.dataDir = dataDir;
    c.database = database;
    c.lineApiBaseUrl = line.baseUrl().toString();
    c.lineChannelId = line.config().channelId;
    c.lineChannelSecret = line.config().channelSecret;
    c.lineChannelAccessToken = line.config().channelAccessToken;
    return c;
}

// The service serving LIFF app `liffId` (its pages load LIFF's SDK from the emulator), on
// SQLite in dataDir.
inline poptap::delivery::ServiceConfig liffConfigAgainst(const poptap::lineemu::LineEmulator &line, const QString &dataDir,
                                                         const QString &liffId)
{
    poptap::delivery::ServiceConfig c = configAgainst(line, dataDir, {});
    c.liffId = liffId;
    c.liffSdkUrl = line.baseUrl().toString() + QStringLiteral("/liff/sdk.js");
    return c;
}

// The same settings as poptap-delivery's command line; `configFile` must exist.
inline QStringList argumentsAgainst(const QString &lineUrl, const poptap::lineemu::LineEmulatorConfig &line,
                                    const QString &configFile, const QString &dataDir, const QString &database)
{
    return {QStringLiteral("--config"), configFile, QStringLiteral("--listen"), QStringLiteral("127.0.0.1:0"),
            QStringLiteral("--data-dir"), dataDir, QStringLiteral("--database"), database,
            QStringLiteral("--line-api-base-url"), lineUrl, QStringLiteral("--line-channel-id"), line.channelId,
            QStringLiteral("--line-channel-secret"), line.channelSecret, QStringLiteral("--line-channel-access-token"),
            line.channelAccessToken};
}

// The fixture of the suites that run the service in the test's process against the emulator, as
// a base of the test class: a clean database (SQLite in a temporary directory, or PostgreSQL when
// POPTAP_TEST_DATABASE names one), LINE, the service, and what a shopper does on LINE.
class EmulatedService
{
protected:
    QTemporaryDir m_dir;
    QString m_database = testDatabase();
    std::unique_ptr<poptap::lineemu::LineEmulator> m_line;
    std::unique_ptr<poptap::delivery::DeliveryServer> m_server;
    QNetworkAccessManager m_network;

    // A clean database and LINE listening. Empty, or what went wrong.
    QString startLine()
    {
        if (const QString error = resetDatabase(m_database, m_dir.filePath(QStringLiteral("delivery.db"))); !error.isEmpty())
            return error;
        m_line = std::make_unique<poptap::lineemu::LineEmulator>();
        return m_line->start() ? QString() : QStringLiteral("the LINE emulator did not listen");
    }

    poptap::delivery::ServiceConfig serviceConfig() const { return configAgainst(*m_line, m_dir.path(), m_database); }

    // The service against LINE, on the database startLine() cleaned. Empty, or what went wrong.
    QString startServer(const poptap::delivery::ServiceConfig &config)
    {
        m_server.reset(); // a running one lets go of its port and database first
        m_server = std::make_unique<poptap::delivery::DeliveryServer>(config);
        return m_server->start();
    }
    QString startServer() { return startServer(serviceConfig()); }

    void stopAll()
    {
        m_server.reset();
        m_line.reset();
    }

    QUrl url(const QString &path) const
    {
        return QUrl(QStringLiteral("http://127.0.0.1:%1%2").arg(m_server->port()).arg(path));
    }

    qint64 count(const QString &sql) const
    {
        QSqlQuery q(m_server->database()->handle());
        return q.exec(sql) && q.next() ? q.value(0).toLongLong() : -1;
    }

    // What the LIFF page sends for `userId`: an ID token LINE issued for the channel.
    QString idTokenFor(const QString &userId)
    {
        poptap::lineemu::IdTokenClaims claims;
        claims.userId = userId;
        return m_line->issueIdToken(claims);
    }

    // ID tokens for `userId` that LINE's verify endpoint refuses: one for another channel, one expired.
    QStringList idTokensLineRejects(const QString &userId)
    {
        poptap::lineemu::IdTokenClaims foreign;
        foreign.userId = userId;
        foreign.channelId = QStringLiteral("9999999999");
        poptap::lineemu::IdTokenClaims expired;
        expired.userId = userId;
        expired.issuedAt = QDateTime::currentDateTimeUtc().addSecs(-7200);
        expired.expiresAt = QDateTime::currentDateTimeUtc().addSecs(-3600);
        return {m_line->issueIdToken(foreign), m_line->issueIdToken(expired)};
    }

    // LINE delivers a shopper's event to the service's webhook, signed.
    poptap::lineemu::WebhookResult sendEvent(const poptap::lineemu::WebhookEventSpec &event)
    {
        poptap::lineemu::WebhookResult result;
        bool done = false;
        m_line->sendWebhook(url(QStringLiteral("/line/webhook")), {event}, {}, [&](const poptap::lineemu::WebhookResult &r) {
            result = r;
            done = true;
        });
        if (!QTest::qWaitFor([&] { return done; }, 10000))
            qWarning("the webhook request did not end"); // status stays 0 and the caller fails
        return result;
    }

    // The shopper follows or blocks the account.
    poptap::lineemu::WebhookResult sendEvent(poptap::lineemu::WebhookEventSpec::Type type, const QString &user)
    {
        poptap::lineemu::WebhookEventSpec event;
        event.type = type;
        event.userId = user;
        return sendEvent(event);
    }

    // `eventId` reused: LINE's redelivery of the same message.
    poptap::lineemu::WebhookResult sendMessage(const QString &user, const QString &text, const QString &eventId = {})
    {
        poptap::lineemu::WebhookEventSpec event;
        event.type = poptap::lineemu::WebhookEventSpec::Type::Message;
        event.userId = user;
        event.text = text;
        event.webhookEventId = eventId;
        return sendEvent(event);
    }

    // The shopper taps a postback button (e.g. the confirmation's quick reply).
    poptap::lineemu::WebhookResult sendPostback(const QString &user, const QString &data)
    {
        poptap::lineemu::WebhookEventSpec event;
        event.type = poptap::lineemu::WebhookEventSpec::Type::Postback;
        event.userId = user;
        event.data = data;
        return sendEvent(event);
    }

    // The text of the message LINE delivered to `user` `index`th (the first: the confirmation).
    QString confirmationTo(const QString &user, int index = 0) const
    {
        const auto delivered = m_line->deliveries(user);
        return delivered.size() <= index ? QString()
                                         : delivered.at(index).messages.first().toObject().value(u"text").toString();
    }

    // The postback data of the stop button in the first message LINE delivered to `user`.
    QString stopButtonData(const QString &user) const
    {
        const auto delivered = m_line->deliveries(user);
        if (delivered.isEmpty())
            return {};
        const QJsonArray items = delivered.first().messages.first().toObject().value(u"quickReply").toObject()
                                     .value(u"items").toArray();
        return items.first().toObject().value(u"action").toObject().value(u"data").toString();
    }
};

// poptap-delivery as its own process: started, killed, measured.
class ServiceProcess
{
public:
    explicit ServiceProcess(QString program) : m_program(std::move(program)) {}
    ~ServiceProcess()
    {
        if (m_process.state() != QProcess::NotRunning) {
            m_process.terminate();
            if (!m_process.waitForFinished(10000))
                m_process.kill();
        }
    }

    // Empty once it listens, or what it said instead.
    QString start(const QStringList &arguments)
    {
        m_process.setProcessChannelMode(QProcess::ForwardedErrorChannel); // its warnings belong in the log
        m_process.start(m_program, arguments);
        static const QRegularExpression listening(QStringLiteral("listening on http://127\\.0\\.0\\.1:(\\d+)"));
        QByteArray said;
        while (m_port == 0 && m_process.waitForReadyRead(15000)) {
            said += m_process.readAllStandardOutput();
            if (const QRegularExpressionMatch match = listening.match(QString::fromUtf8(said)); match.hasMatch())
                m_port = match.captured(1).toUShort();
        }
        return m_port ? QString() : QStringLiteral("poptap-delivery did not start: %1").arg(QString::fromUtf8(said));
    }

    void kill()
    {
        ::kill(pid_t(m_process.processId()), SIGKILL);
        m_process.waitForFinished(5000);
        m_port = 0;
    }

    void stop()
    {
        m_process.terminate();
        m_process.waitForFinished(15000);
    }

    quint16 port() const { return m_port; }
    qint64 pid() const { return m_process.processId(); }

private:
    QString m_program;
    QProcess m_process;
    quint16 m_port = 0;
};

} // namespace servicetesting
