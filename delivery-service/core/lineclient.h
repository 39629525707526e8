#pragma once

#include "http/httptransport.h"

#include <QObject>
#include <QString>

#include <functional>

namespace poptap::delivery {

// The few LINE platform calls the service makes, against a base URL (https://api.line.me in
// production, the emulator in tests and demos). Over libcurl (http::HttpTransport, the kiosk's
// transport too): HTTP/2 to LINE where it is offered, as many connections as the send rate
// needs otherwise, and no Nagle delay. Qt Network keeps six connections per host: against the
// emulator that held multicasts to about 125 a second, each request taking some 45 ms on its
// connection, against LINE's 200 (bench-delivery-fanout).
class LineClient : public QObject
{
    Q_OBJECT
public:
    struct IdToken {
        QString userId;   // "sub": U + 32 hex
        QString error;    // empty when the token is valid for our channel
        bool unavailable = false; // LINE could not be asked (network, 5xx): try again later
    };
    struct Push {
        int httpStatus = 0;   // 0 when no answer arrived
        QString error;
        // 409: a request with this retry key was already accepted (DESIGN.md).
        bool delivered() const { return httpStatus == 200 || httpStatus == 409; }
        bool retryable() const { return httpStatus == 0 || httpStatus == 429 || httpStatus >= 500; }
    };

    LineClient(const QString &baseUrl, const QString &loginChannelId, const QString &channelAccessToken,
               QObject *parent = nullptr);
    void setTimeoutMs(int ms) { m_timeoutMs = ms; }

    void verifyIdToken(const QString &idToken, std::function<void(IdToken)> done);
    void push(const QByteArray &body, const QString &retryKey, std::function<void(Push)> done);
    // Up to 500 users, one request (DESIGN.md: 200 req/s per channel).
    void multicast(const QByteArray &body, const QString &retryKey, std::function<void(Push)> done);
    // Replies are free but single-use and short-lived; they take no retry key.
    void reply(const QByteArray &body, std::function<void(Push)> done);

private:
    void send(const QString &path, const QByteArray &body, const QString &retryKey, std::function<void(Push)> done);

    http::HttpTransport m_http;
    QString m_baseUrl;
    QString m_channelId;
    QString m_accessToken;
    int m_timeoutMs = 10000;
};

} // namespace poptap::delivery
