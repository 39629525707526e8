#pragma once

#include <QByteArray>
#include <QHash>
#include <QJsonObject>
#include <QObject>
#include <QProcess>
#include <QString>
#include <QTemporaryDir>
#include <QWebSocket>

// One headless Chromium with a fresh profile and one tab, driven over the DevTools protocol
// (a WebSocket on loopback). Commands go to the tab; events of every domain the caller enables
// arrive as `event`. The browser is closed, and killed if it will not go, on destruction.
class HeadlessChromium : public QObject
{
    Q_OBJECT

public:
    struct Reply {
        QJsonObject result;
        QString error; // the protocol's error message, or why no answer came
        bool ok() const { return error.isEmpty(); }
    };

    explicit HeadlessChromium(QObject *parent = nullptr);
    ~HeadlessChromium() override;

    // Launches `binary` and attaches to a new blank tab. Empty on success, else why not.
    QString start(const QString &binary, int timeoutMs = 20000);

    // A command to the tab, answered within timeoutMs (events keep flowing meanwhile).
    Reply call(const QString &method, const QJsonObject &params = {}, int timeoutMs = 10000);
    // A command whose answer nobody waits for: safe inside an event handler.
    void post(const QString &method, const QJsonObject &params = {});

    // The tail of Chromium's stderr, for failure messages.
    QString log() const { return QString::fromUtf8(m_log); }

Q_SIGNALS:
    void event(const QString &method, const QJsonObject &params);

private:
    int send(const QString &method, const QJsonObject &params, bool toTab);
    Reply await(int id, int timeoutMs);
    void onMessage(const QString &text);
    void onStderr();

    QTemporaryDir m_profile;
    QProcess m_process;
    QWebSocket m_socket;
    QByteArray m_log;
    QString m_devToolsUrl;
    QString m_sessionId; // the tab's flattened DevTools session
    int m_nextId = 0;
    QHash<int, QJsonObject> m_replies;
};
