#pragma once

#include "lineclient.h"
#include "messages/storecatalogs.h"
#include "subscriptions.h"
#include "targetnames.h"

#include <QHttpServer>
#include <QJsonArray>

#include <functional>

namespace poptap::delivery {

// The API of the LIFF "my subscriptions" page (liff/manage.html, served at /m):
//   GET  /v1/me/subscriptions       the caller's active subscriptions, named in Japanese and English
//   POST /v1/me/subscriptions/stop  {"subscriptionId": "<id>"} or {"all": true}; idempotent
// The caller is the LINE user of the LIFF ID token in `Authorization: Bearer`, as LINE's verify
// endpoint names them (the claim's check, LineClient::verifyIdToken). Every query is scoped to
// that user: another user's subscription is "not found", never shown and never stopped.
class SubscriptionsApi
{
public:
    using Clock = std::function<qint64()>; // ms since epoch
    SubscriptionsApi(ServiceDatabase &db, LineClient &line, Clock now);

    void registerRoutes(QHttpServer &http);

private:
    using Action = std::function<QHttpServerResponse(const QString &userId)>;
    void handleList(const QHttpServerRequest &request, QHttpServerResponder &&responder);
    void handleStop(const QHttpServerRequest &request, QHttpServerResponder &&responder);
    // Answers 401 at once without an ID token; otherwise has LINE verify it, then answers with
    // what `act` returns for its user, or 401/503 when LINE refuses it or cannot be asked now.
    void answerAsUser(const QString &idToken, QHttpServerResponder &&responder, Action act);
    QHttpServerResponse list(const QString &userId) const;
    QHttpServerResponse stopOne(const QString &userId, const StopRequest &request);
    QHttpServerResponse stopAll(const QString &userId);
    // `result` and the subscriptions this call stopped, with those still active.
    QHttpServerResponse stopped(const QString &userId, const QString &result, const QList<StopRequest> &stopped) const;
    QJsonArray describe(const QList<StopRequest> &subscriptions) const;

    Subscriptions m_subscriptions;
    TargetNames m_names;
    StoreCatalogs m_stores;
    LineClient &m_line;
    Clock m_now;
};

} // namespace poptap::delivery
