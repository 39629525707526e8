#pragma once
// Shared by the delivery service's suites: a clean database per test (an SQLite file,
// or a fresh PostgreSQL schema when POPTAP_TEST_DATABASE names one) and plain HTTP calls.

#include "deviceregistry.h"
#include "servicedatabase.h"

#include <QEventLoop>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QSqlQuery>
#include <QTimer>
#include <QUrl>

namespace servicetesting {

inline QString testDatabase()
{
    return qEnvironmentVariable("POPTAP_TEST_DATABASE");
}

// Returns an empty string, or what went wrong.
inline QString resetDatabase(const QString &database, const QString &sqlitePath)
{
    if (database.isEmpty()) {
        QFile::remove(sqlitePath);
        return {};
    }
    {
        // Each suite has its own database on the test cluster; the first run creates it.
        QUrl maintenance(database);
        const QString name = maintenance.path().mid(1);
        maintenance.setPath(QStringLiteral("/postgres"));
        poptap::delivery::ServiceDatabase server(QStringLiteral("create"));
        if (const QString error = server.open(maintenance.toString(), {}); !error.isEmpty())
            return error;
        QSqlQuery exists(server.handle());
        exists.prepare(QStringLiteral("SELECT 1 FROM pg_database WHERE datname = ?"));
        exists.addBindValue(name);
        if (!exists.exec())
            return exists.lastError().text();
        QSqlQuery create(server.handle());
        if (!exists.next() && !create.exec(QStringLiteral("CREATE DATABASE \"%1\"").arg(name)))
            return create.lastError().text();
    }
    poptap::delivery::ServiceDatabase reset(QStringLiteral("reset"));
    if (const QString error = reset.open(database, {}); !error.isEmpty())
        return error;
    QSqlQuery q(reset.handle());
    if (!q.exec(QStringLiteral("DROP SCHEMA public CASCADE")) || !q.exec(QStringLiteral("CREATE SCHEMA public")))
        return q.lastError().text();
    return {};
}

// The demo shop as an operator sets it up: store 101 with the demo catalog (which the
// service checks with the kiosk's parser). Returns an empty string, or what went wrong.
inline constexpr std::int64_t kDemoStoreId = 101;
inline QString addDemoStore(poptap::delivery::ServiceDatabase &db)
{
    poptap::delivery::DeviceRegistry registry(db);
    if (const QString error = registry.addStore(kDemoStoreId, QStringLiteral("jingumae"), QStringLiteral("ソラマド 神宮前店"),
                                                QStringLiteral("Soramado Jingumae"));
        !error.isEmpty())
        return error;
    QFile catalog(QStringLiteral(POPTAP_SOURCE_DIR "/resources/catalog/demo-catalog.json"));
    if (!catalog.open(QIODevice::ReadOnly))
        return catalog.errorString();
    return registry.setCatalog(kDemoStoreId, catalog.readAll());
}

// A LINE user id (U + 32 hex digits) numbered n, for tests that need many shoppers.
inline QString lineUserId(int n)
{
    return QStringLiteral("U%1").arg(QString::number(n, 16), 32, u'0');
}

// Shoppers first … first+count-1 subscribed to (kind, target) in `storeId`, as their claims
// leave them; in one transaction, for suites and benchmarks that need thousands. Empty on
// success, or what went wrong.
inline QString subscribeUsers(poptap::delivery::ServiceDatabase &db, int first, int count, int kind,
                              std::int64_t target, std::int64_t storeId)
{
    QSqlDatabase handle = db.handle();
    if (!handle.transaction())
        return handle.lastError().text();
    QSqlQuery sub(handle);
    sub.prepare(QStringLiteral("INSERT INTO subscription (user_id, kind, target, store_id, status, source_intent_id,"
                               " created_at, updated_at) VALUES (?, ?, ?, ?, 'active', ?, 1, 1)"));
    for (int n = first; n < first + count; ++n) {
        sub.addBindValue(lineUserId(n));
        sub.addBindValue(kind);
        sub.addBindValue(qint64(target));
        sub.addBindValue(qint64(storeId));
        sub.addBindValue(QStringLiteral("intent-%1-%2-%3").arg(kind).arg(target).arg(n));
        if (!sub.exec()) {
            const QString error = sub.lastError().text();
            handle.rollback();
            return error;
        }
    }
    return handle.commit() ? QString() : handle.lastError().text();
}

struct HttpReply {
    int status = 0; // 0: no answer within the timeout
    QByteArray body;
    QJsonObject json;
    QMap<QByteArray, QByteArray> headers; // lower-case names
};

inline HttpReply httpRequest(QNetworkAccessManager &network, const QByteArray &method, const QUrl &url,
                             const QByteArray &body = {}, const QList<std::pair<QByteArray, QByteArray>> &headers = {},
                             int timeoutMs = 20000)
{
    QNetworkRequest request(url);
    request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
    for (const auto &[name, value] : headers)
        request.setRawHeader(name, value);
    QNetworkReply *reply = network.sendCustomRequest(request, method, body);
    QEventLoop loop;
    QObject::connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
    QTimer::singleShot(timeoutMs, &loop, &QEventLoop::quit);
    loop.exec();
    HttpReply result;
    result.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    result.body = reply->readAll();
    result.json = QJsonDocument::fromJson(result.body).object();
    for (const auto &[name, value] : reply->rawHeaderPairs())
        result.headers.insert(name.toLower(), value);
    reply->deleteLater();
    return result;
}

} // namespace servicetesting
