// Tracked links (server/clickredirects.h) over real HTTP on loopback, behind the service's
// GuardedHttpServer: GET /c/<id> counts the click for the shops' local day and answers 302 to
// the link's target, and only to it.
// Runs on SQLite, and on PostgreSQL when POPTAP_TEST_DATABASE names one.
#include "clickredirects.h"
#include "guardedhttpserver.h"
#include "messages/trackedlinks.h"
#include "servicetesting.h"

#include <QDateTime>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

using namespace poptap::delivery;

namespace {

const QUrl kTarget(QStringLiteral("https://shop.example.jp/products/1001?colour=navy&size=M"));

struct Answer {
    int status = 0;
    QByteArray location;
    QByteArray contentType;
    QByteArray cacheControl;
    QByteArray body;
};

} // namespace

class ClickRedirectsTest : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    QString m_database = servicetesting::testDatabase();
    std::unique_ptr<ServiceDatabase> m_db;
    std::unique_ptr<ClickRedirects> m_clicks;
    std::unique_ptr<GuardedHttpServer> m_http;
    quint16 m_port = 0;
    qint64 m_nowMs = 0;
    QNetworkAccessManager m_network;

    // One request, redirects not followed: the 302 is what is under test.
    Answer request(const QByteArray &method, const QString &pathAndQuery)
    {
        QNetworkRequest request(QUrl(QStringLiteral("http://127.0.0.1:%1%2").arg(m_port).arg(pathAndQuery)));
        request.setAttribute(QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::ManualRedirectPolicy);
        QNetworkReply *reply = m_network.sendCustomRequest(request, method);
        if (!QTest::qWaitFor([reply] { return reply->isFinished(); }, 10000))
            qWarning("no answer"); // status stays 0 and the caller fails
        Answer answer{reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), reply->rawHeader("Location"),
                      reply->rawHeader("Content-Type"), reply->rawHeader("Cache-Control"), reply->readAll()};
        reply->deleteLater();
        return answer;
    }

    QString link(const QUrl &target = kTarget)
    {
        QString error;
        const QString id = createTrackedLink(*m_db, QStringLiteral("event-1"), 1, 101, 7, target, &error);
        if (id.isEmpty())
            qWarning("link not created: %s", qPrintable(error));
        return id;
    }

    // Clicks per day, "day=clicks", in day order.
    QStringList clicks(const QString &id)
    {
        QStringList rows;
        QSqlQuery q(m_db->handle());
        q.prepare(QStringLiteral("SELECT day, clicks FROM link_click WHERE link_id = ? ORDER BY day"));
        q.addBindValue(id);
        if (q.exec())
            while (q.next())
                rows << q.value(0).toString() + u'=' + q.value(1).toString();
        return rows;
    }

    qint64 allClicks()
    {
        QSqlQuery q(m_db->handle());
        return q.exec(QStringLiteral("SELECT count(*) FROM link_click")) && q.next() ? q.value(0).toLongLong() : -1;
    }

private Q_SLOTS:
    void init()
    {
        const QString sqlite = m_dir.filePath(QStringLiteral("delivery.db"));
        QCOMPARE(servicetesting::resetDatabase(m_database, sqlite), QString());
        m_db = std::make_unique<ServiceDatabase>(QStringLiteral("click-test"));
        QCOMPARE(m_db->open(m_database, sqlite), QString());
        QCOMPARE(m_db->migrate(), QString());
        m_nowMs = QDateTime(QDate(2026, 11, 22), QTime(12, 0), Qt::UTC).toMSecsSinceEpoch();
        m_clicks = std::make_unique<ClickRedirects>(*m_db, QStringLiteral("Asia/Tokyo"), [this] { return m_nowMs; });
        m_http = std::make_unique<GuardedHttpServer>();
        m_clicks->registerRoutes(m_http->routes());
        m_port = m_http->listen(QHostAddress::LocalHost, 0);
        QVERIFY(m_port != 0);
    }

    void cleanup()
    {
        m_http.reset();
        m_clicks.reset();
        m_db.reset();
    }

    void aClickIsCountedAndForwardedToTheProduct()
    {
        const QString id = link();
        const Answer first = request("GET", QStringLiteral("/c/") + id);
        QCOMPARE(first.status, 302);
        QCOMPARE(QUrl::fromEncoded(first.location), kTarget);
        QCOMPARE(first.cacheControl, QByteArray("no-store")); // a second tap comes back and counts
        QCOMPARE(clicks(id), QStringList{QStringLiteral("2026-11-22=1")});
        QCOMPARE(request("GET", QStringLiteral("/c/") + id).status, 302);
        QCOMPARE(clicks(id), QStringList{QStringLiteral("2026-11-22=2")});
    }

    // The day is the shops' (Asia/Tokyo), not the server's (the tests run in UTC): 15:30 UTC
    // is already the next morning in Tokyo.
    void clicksAreCountedPerLocalDay()
    {
        const QString id = link();
        m_nowMs = QDateTime(QDate(2026, 11, 22), QTime(14, 59), Qt::UTC).toMSecsSinceEpoch();
        QCOMPARE(request("GET", QStringLiteral("/c/") + id).status, 302);
        m_nowMs = QDateTime(QDate(2026, 11, 22), QTime(15, 30), Qt::UTC).toMSecsSinceEpoch();
        QCOMPARE(request("GET", QStringLiteral("/c/") + id).status, 302);
        QCOMPARE(request("GET", QStringLiteral("/c/") + id).status, 302);
        QCOMPARE(clicks(id), (QStringList{QStringLiteral("2026-11-22=1"), QStringLiteral("2026-11-23=2")}));
    }

    // The target comes from the table alone: nothing in the request can change it.
    void nothingInTheRequestChangesWhereItGoes()
    {
        const QString id = link();
        const Answer answer = request("GET", QStringLiteral("/c/%1?url=https://evil.example/&next=//evil.example").arg(id));
        QCOMPARE(answer.status, 302);
        QCOMPARE(QUrl::fromEncoded(answer.location), kTarget);
        QCOMPARE(request("GET", QStringLiteral("/c/%1/https://evil.example/").arg(id)).status, 404);
    }

    void unknownAndMalformedLinksAreNotFound_data()
    {
        QTest::addColumn<QString>("path");
        QTest::addColumn<bool>("page"); // false: no route matches, so the server's JSON 404
        QTest::addRow("unknown id") << QStringLiteral("/c/AAAAAAAAAAAAAAAA") << true;
        QTest::addRow("too short") << QStringLiteral("/c/AAAA") << true;
        QTest::addRow("too long") << QStringLiteral("/c/") + QStringLiteral("A").repeated(17) << true;
        QTest::addRow("not base64url") << QStringLiteral("/c/AAAAAAAA%27OR1=1") << true;
        QTest::addRow("encoded slash") << QStringLiteral("/c/AAAAAAAA%2F..%2F..") << false;
    }

    void unknownAndMalformedLinksAreNotFound()
    {
        QFETCH(QString, path);
        QFETCH(bool, page);
        link(); // one link exists; these are not it
        const Answer answer = request("GET", path);
        QCOMPARE(answer.status, 404);
        QVERIFY(answer.location.isEmpty());
        if (page) { // a page a shopper can read
            QCOMPARE(answer.contentType, QByteArray("text/html; charset=utf-8"));
            QVERIFY(answer.body.contains("This link was not found."));
        }
        QCOMPARE(allClicks(), 0);
    }

    // A row that is not an http(s) link (written by hand or by an older version) is not followed.
    void onlyWebTargetsAreFollowed()
    {
        QSqlQuery q(m_db->handle());
        q.prepare(QStringLiteral("INSERT INTO tracked_link (id, target_url, created_at) VALUES (?, ?, 0)"));
        const QString id = QStringLiteral("jsjsjsjsjsjsjsjs");
        q.addBindValue(id);
        q.addBindValue(QStringLiteral("javascript:alert(document.cookie)"));
        QVERIFY2(q.exec(), qPrintable(q.lastError().text()));
        QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("not http\\(s\\); not followed")));
        QCOMPARE(request("GET", QStringLiteral("/c/") + id).status, 404);
        QCOMPARE(allClicks(), 0);
    }

    // Link previews and checkers ask with HEAD: they get the redirect but are not shoppers.
    void aHeadRequestIsForwardedButNotCounted()
    {
        const QString id = link();
        const Answer answer = request("HEAD", QStringLiteral("/c/") + id);
        QCOMPARE(answer.status, 302);
        QCOMPARE(QUrl::fromEncoded(answer.location), kTarget);
        QVERIFY(clicks(id).isEmpty());
    }
};

QTEST_GUILESS_MAIN(ClickRedirectsTest)
#include "clickredirectstest.moc"
