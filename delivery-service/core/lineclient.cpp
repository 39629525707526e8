#include "lineclient.h"

#include "webhookevent.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QUrlQuery>

namespace poptap::delivery {
namespace {

http::TransportSettings transportSettings()
{
    http::TransportSettings settings;
    settings.userAgent = QByteArrayLiteral("poptap-delivery");
    settings.maxResponseBytes = 1024 * 1024; // LINE answers in a few hundred bytes
    return settings;
}

QString answerText(const http::HttpResponse &response)
{
    return response.status > 0 ? QStringLiteral("HTTP %1").arg(response.status) : response.errorText;
}

} // namespace

LineClient::LineClient(const QString &baseUrl, const QString &loginChannelId, const QString &channelAccessToken,
                       QObject *parent)
    : QObject(parent)
    , m_http(transportSettings())
    , m_baseUrl(baseUrl.endsWith(u'/') ? baseUrl.chopped(1) : baseUrl)
    , m_channelId(loginChannelId)
    , m_accessToken(channelAccessToken)
{
}

void LineClient::verifyIdToken(const QString &idToken, std::function<void(IdToken)> done)
{
    QUrlQuery form;
    form.addQueryItem(QStringLiteral("id_token"), QString::fromLatin1(QUrl::toPercentEncoding(idToken)));
    form.addQueryItem(QStringLiteral("client_id"), QString::fromLatin1(QUrl::toPercentEncoding(m_channelId)));
    http::HttpRequest request{"POST",
                              QUrl(m_baseUrl + QStringLiteral("/oauth2/v2.1/verify")),
                              {{"Content-Type", "application/x-www-form-urlencoded"}},
                              form.toString(QUrl::FullyEncoded).toLatin1(),
                              std::chrono::milliseconds(m_timeoutMs)};
    m_http.send(std::move(request), this, [this, done = std::move(done)](const http::HttpResponse &response) {
        const QJsonObject json = QJsonDocument::fromJson(response.body).object();
        IdToken result;
        if (!response.ok() || response.status >= 500) {
            result.unavailable = true;
            result.error = QStringLiteral("LINE could not verify the ID token now: %1").arg(answerText(response));
        } else if (response.status != 200) {
            result.error = QStringLiteral("LINE refused the ID token: %1")
                               .arg(json.value(QLatin1String("error_description")).toString());
        } else if (json.value(QLatin1String("aud")).toString() != m_channelId) {
            result.error = QStringLiteral("the ID token was issued for another channel");
        } else if (!isLineUserId(json.value(QLatin1String("sub")).toString())) {
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
    http::HttpRequest request{"POST",
                              QUrl(m_baseUrl + path),
                              {{"Content-Type", "application/json"}, {"Authorization", "Bearer " + m_accessToken.toUtf8()}},
                              body,
                              std::chrono::milliseconds(m_timeoutMs)};
    if (!retryKey.isEmpty())
        request.headers.append({"X-Line-Retry-Key", retryKey.toLatin1()});
    m_http.send(std::move(request), this, [done = std::move(done)](const http::HttpResponse &response) {
        Push result;
        // A transfer that broke off after the status line is no answer: LINE may or may not
        // have taken the request, and the retry key settles it.
        result.httpStatus = response.ok() ? response.status : 0;
        if (!result.delivered()) {
            const QString message = QJsonDocument::fromJson(response.body).object().value(QLatin1String("message")).toString();
            result.error = message.isEmpty() ? answerText(response) : message;
        }
        done(result);
    });
}

} // namespace poptap::delivery
