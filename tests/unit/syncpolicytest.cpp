// The sync engine's policy, apart from any network: full-jitter backoff with a cap and
// Retry-After as a floor, and what each kind of answer means for the outbox.
#include "answerclass.h"
#include "backoff.h"

#include <QTest>

using namespace poptap::sync;
using namespace std::chrono_literals;

class SyncPolicyTest : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void backoffDoublesUpToTheCap()
    {
        // A "random" source that always picks the upper bound shows the ceiling itself.
        Backoff backoff(500ms, 60s, [](qint64 bound) { return bound; });
        const QList<qint64> expected{500, 1000, 2000, 4000, 8000, 16000, 32000, 60000, 60000};
        for (qint64 ms : expected)
            QCOMPARE(backoff.nextDelay().count(), ms);
        // Thousands of failures (a kiosk offline for a week) never overflow.
        for (int i = 0; i < 100000; ++i)
            QVERIFY(backoff.nextDelay().count() <= 60000);
        backoff.reset();
        QCOMPARE(backoff.nextDelay().count(), 500);
    }

    void backoffIsFullyJittered()
    {
        Backoff backoff(1s, 10s);
        qint64 smallest = std::numeric_limits<qint64>::max(), largest = 0;
        for (int i = 0; i < 2000; ++i) {
            backoff.reset();
            for (int n = 0; n < 5; ++n)
                backoff.nextDelay();
            const qint64 d = backoff.nextDelay().count(); // ceiling 10 s by now
            QVERIFY(d >= 0 && d <= 10000);
            smallest = std::min(smallest, d);
            largest = std::max(largest, d);
        }
        // Spread over the whole range, not clustered at the ceiling.
        QVERIFY2(smallest < 1000 && largest > 9000, qPrintable(QStringLiteral("%1..%2").arg(smallest).arg(largest)));
    }

    void retryAfterIsAFloor()
    {
        Backoff backoff(500ms, 60s, [](qint64) { return qint64(0); });
        QCOMPARE(backoff.nextDelay(30s).count(), 30000);
        QCOMPARE(backoff.nextDelay().count(), 0);
        Backoff high(500ms, 60s, [](qint64 bound) { return bound; });
        QCOMPARE(high.nextDelay(100ms).count(), 500);
    }

    void retryAfterForms_data()
    {
        QTest::addColumn<QByteArray>("value");
        QTest::addColumn<qint64>("ms"); // -1: not understood
        QTest::newRow("seconds") << QByteArray("120") << qint64(120000);
        QTest::newRow("zero") << QByteArray("0") << qint64(0);
        QTest::newRow("spaces") << QByteArray(" 5 ") << qint64(5000);
        QTest::newRow("http date") << QByteArray("Sun, 22 Nov 2026 10:00:30 GMT") << qint64(30000);
        QTest::newRow("http date past") << QByteArray("Sun, 22 Nov 2026 09:00:00 GMT") << qint64(0);
        QTest::newRow("negative") << QByteArray("-5") << qint64(-1);
        QTest::newRow("fraction") << QByteArray("1.5") << qint64(-1);
        QTest::newRow("huge") << QByteArray("99999999999999") << qint64(-1);
        QTest::newRow("garbage") << QByteArray("soon") << qint64(-1);
        QTest::newRow("empty") << QByteArray() << qint64(-1);
    }

    void retryAfterForms()
    {
        QFETCH(QByteArray, value);
        QFETCH(qint64, ms);
        const QDateTime now = QDateTime::fromString(QStringLiteral("2026-11-22T10:00:00Z"), Qt::ISODate);
        const auto parsed = parseRetryAfter(value, now);
        if (ms < 0)
            QVERIFY(!parsed);
        else
            QCOMPARE(parsed.value_or(-1ms).count(), ms);
    }

    void answersMapToWhatTheOutboxDoes_data()
    {
        QTest::addColumn<int>("status");
        QTest::addColumn<QString>("code");
        QTest::addColumn<int>("disposition");
        const auto row = [](const char *name, int status, const char *code, Disposition d) {
            QTest::newRow(name) << status << QString::fromLatin1(code) << int(d);
        };
        row("network", 0, "", Disposition::Retry);
        row("200", 200, "", Disposition::Done);
        row("201", 201, "", Disposition::Done);
        row("204", 204, "", Disposition::Done);
        row("304", 304, "", Disposition::Done);
        row("408", 408, "", Disposition::Retry);
        row("429", 429, "rate_limited", Disposition::Retry);
        row("500", 500, "internal_error", Disposition::Retry);
        row("502 from a proxy", 502, "", Disposition::Retry);
        row("503", 503, "unavailable", Disposition::Retry);
        row("clock skew", 401, "clock_skew", Disposition::Retry);
        row("nonce replayed", 401, "nonce_replayed", Disposition::Retry);
        row("unknown device", 401, "unknown_device", Disposition::ReenrollmentNeeded);
        row("bad signature", 401, "bad_signature", Disposition::ReenrollmentNeeded);
        // Only the delivery service's own error body can stop syncing or drop a batch: the same
        // status from a store proxy, a captive portal or a misrouted URL is waited out.
        row("401 without the service's error body", 401, "", Disposition::Retry);
        row("403 from a proxy", 403, "", Disposition::Retry);
        row("404 from a misrouted URL", 404, "", Disposition::Retry);
        row("revoked", 403, "device_revoked", Disposition::ReenrollmentNeeded);
        row("400", 400, "malformed_request", Disposition::Permanent);
        row("404", 404, "not_found", Disposition::Permanent);
        row("413", 413, "too_many_items", Disposition::Permanent);
        row("422", 422, "idempotency_key_reused", Disposition::Permanent);
        row("a captive portal's redirect", 302, "", Disposition::Retry);
        row("a 3xx from the service", 307, "validation_failed", Disposition::Permanent);
    }

    void answersMapToWhatTheOutboxDoes()
    {
        QFETCH(int, status);
        QFETCH(QString, code);
        QFETCH(int, disposition);
        const AnswerClass c = classifyAnswer(status, QStringLiteral("connection refused"), code, "7", QDateTime::currentDateTimeUtc());
        QCOMPARE(dispositionName(c.disposition), dispositionName(Disposition(disposition)));
        QVERIFY(!c.reason.isEmpty());
        // Retry-After is honoured where the status allows a retry later.
        if (status == 429 || status == 503)
            QCOMPARE(c.retryAfter.value_or(0ms).count(), 7000);
    }
};

QTEST_GUILESS_MAIN(SyncPolicyTest)
#include "syncpolicytest.moc"
