#include "clickredirects.h"

#include "deliverylogging.h"
#include "messages/lineformat.h"
#include "messages/trackedlinks.h"

#include <QDateTime>
#include <QSqlQuery>
#include <QVariant>

namespace poptap::delivery {
namespace {

// Shoppers reach these pages from LINE, so they get a page to read rather than JSON.
QHttpServerResponse page(QHttpServerResponse::StatusCode status, const QString &ja, const QString &en)
{
    const QString html = QStringLiteral("<!doctype html><html lang=\"ja\"><head><meta charset=\"utf-8\">"
                                        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
                                        "<title>PopTap</title></head><body><p>%1</p><p lang=\"en\">%2</p></body></html>")
                             .arg(ja, en);
    QHttpServerResponse response("text/html; charset=utf-8", html.toUtf8(), status);
    response.addHeader("Cache-Control", "no-store");
    return response;
}

QHttpServerResponse notFound()
{
    return page(QHttpServerResponse::StatusCode::NotFound, QStringLiteral("このリンクは見つかりませんでした。"),
                QStringLiteral("This link was not found."));
}

} // namespace

ClickRedirects::ClickRedirects(ServiceDatabase &db, const QString &timeZone, Clock now)
    : m_db(db)
    , m_days(timeZone)
    , m_now(now ? std::move(now) : Clock([] { return QDateTime::currentMSecsSinceEpoch(); }))
{
}

void ClickRedirects::registerRoutes(QHttpServer &http)
{
    using Method = QHttpServerRequest::Method;
    http.route(QStringLiteral("/c/<arg>"), Method::Get, [this](const QString &id) { return follow(id, true); });
    http.route(QStringLiteral("/c/<arg>"), Method::Head, [this](const QString &id) { return follow(id, false); });
}

QHttpServerResponse ClickRedirects::follow(const QString &id, bool count)
{
    if (!isTrackedLinkId(id)) // never reaches the database
        return notFound();
    QSqlQuery q(m_db.handle());
    q.prepare(QStringLiteral("SELECT target_url FROM tracked_link WHERE id = ?"));
    q.addBindValue(id);
    if (!q.exec()) {
        qCCritical(lcHttp).noquote() << "tracked link not looked up:" << q.lastError().text();
        QHttpServerResponse busy = page(QHttpServerResponse::StatusCode::ServiceUnavailable,
                                        QStringLiteral("ただいま開けません。しばらくしてからもう一度お試しください。"),
                                        QStringLiteral("This link cannot be opened right now. Please try again later."));
        busy.addHeader("Retry-After", "5");
        return busy;
    }
    if (!q.next())
        return notFound();
    const QString target = q.value(0).toString();
    if (!lineformat::isWebUrl(target)) {
        qCWarning(lcHttp).noquote() << "tracked link" << id << "has a target that is not http(s); not followed";
        return notFound();
    }
    if (count) {
        q.prepare(QStringLiteral("INSERT INTO link_click (link_id, day, clicks) VALUES (?, ?, 1)"
                                 " ON CONFLICT (link_id, day) DO UPDATE SET clicks = link_click.clicks + 1"));
        q.addBindValue(id);
        q.addBindValue(m_days.day(m_now()));
        // A click that cannot be counted still takes the shopper to the product.
        if (!q.exec())
            qCWarning(lcHttp).noquote() << "click on" << id << "not counted:" << q.lastError().text();
    }
    QHttpServerResponse redirect(QHttpServerResponse::StatusCode::Found);
    redirect.addHeader("Location", QUrl(target).toEncoded());
    redirect.addHeader("Cache-Control", "no-store"); // every tap comes back here and is counted
    redirect.addHeader("Referrer-Policy", "no-referrer");
    return redirect;
}

} // namespace poptap::delivery
