#include "lineclient.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkReply>
#include <QRegularExpression>
#include <QUrlQuery>

namespace poptap::delivery {

LineClient::LineClient(const QString &baseUrl, const QString &loginChannelId, const QString &channelAccessToken,
                       QObject *parent)
    : QObject(parent)
    , m_baseUrl(baseUrl.endsWith(u'/') ? baseUrl.chopped(1) : baseUrl)
    , m_channelId(loginChannelId)
    , m_accessToken(channelAccessToken)
{
}

void LineClient::verifyIdToken(const QString &idToken, std::function<void(IdToken)> done)
{
    QNetworkRequest request(QUrl(m_baseUrl + QStringLiteral("/oauth2/v2.1/verify")));
    request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/x-www-form-urlencoded"));
    request.setTransferTimeout(m_timeoutMs);
    QUrlQuery form;
    form.addQueryItem(QStringLiteral("id_token"), QString::fromLatin1(QUrl::toPercentEncoding(idToken)));
    form.addQueryItem(QStringLiteral("client_id"), QString::fromLatin1(QUrl::toPercentEncoding(m_channelId)));
    QNetworkReply *reply = m_network.post(request, form.toString(QUrl::FullyEncoded).toLatin1());
    connect(reply, &QNetworkReply::finished, this, [this, reply, done = std::move(done)] {
        reply->deleteLater();
        static const QRegularExpression userIdPattern(QStringLiteral("^U[0-9a-f]{32}$"));
        const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        const QJsonObject json = QJsonDocument::fromJson(reply->read(64 * 1024)).object();
        IdToken result;
        if (status == 0 || status >= 500) {
            result.unavailable = true;
            result.error = QStringLiteral("LINE could not verify the ID token now: %1").arg(reply->errorString());
        } else if (status != 200) {
            result.error = QStringLiteral("LINE refused the ID token: %1")
                               .arg(json.value(QLatin1String("error_description")).toString());
        } else if (json.value(QLatin1String("aud")).toString() != m_channelId) {
            result.error = QStringLiteral("the ID token was issued for another channel");
        } else if (!userIdPattern.match(json.value(QLatin1String("sub")).toString()).hasMatch()) {
            result.error = QStringLiteral("the ID token names no LINE user");
        } else {
            result.userId = json.value(QLatin1String("sub")).toString();
        }
        done(result);
    });
}

void LineClient::push(const QByteArray &body, const QString &retryKey, std::function<void(Push)> done)
{
    send(QStringLiteral("/v2/bot/message/push"), body, retryKey, std::move(done));
}

void LineClient::multicast(const QByteArray &body, const QString &retryKey, std::function<void(Push)> done)
{
    send(QStringLiteral("/v2/bot/message/multicast"), body, retryKey, std::move(done));
}

void LineClient::reply(const QByteArray &body, std::function<void(Push)> done)
{
    send(QStringLiteral("/v2/bot/message/reply"), body, {}, std::move(done));
}

void LineClient::send(const QString &path, const QByteArray &body, const QString &retryKey, std::function<void(Push)> done)
{
    QNetworkRequest request(QUrl(m_baseUrl + path));
    request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
    request.setRawHeader("Authorization", "Bearer " + m_accessToken.toUtf8());
    if (!retryKey.isEmpty())
        request.setRawHeader("X-Line-Retry-Key", retryKey.toLatin1());
    request.setTransferTimeout(m_timeoutMs);
    QNetworkReply *reply = m_network.post(request, body);
    connect(reply, &QNetworkReply::finished, this, [reply, done = std::move(done)] {
        reply->deleteLater();
        Push result;
        result.httpStatus = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        if (!result.delivered()) {
            const QJsonObject json = QJsonDocument::fromJson(reply->read(64 * 1024)).object();
            const QString message = json.value(QLatin1String("message")).toString();
            result.error = message.isEmpty() ? reply->errorString() : message;
        }
        done(result);
    });
}

} // namespace poptap::delivery
