// Heartbeats: the kiosk's health report, read by fleet monitoring.
#include "wire/heartbeatwire.h"
#include "wiretestjson.h"

#include <QTest>

using namespace poptap::wire;
using wiretest::refusalProblem;
using wiretest::withValue;
using wiretest::without;

namespace {

const QDateTime kNow = QDateTime::fromSecsSinceEpoch(1795339860, Qt::UTC);

Heartbeat sample()
{
    Heartbeat h;
    h.version = QStringLiteral("0.1.0");
    h.uptimeSeconds = 7260;
    h.queueDepth = 37;
    h.oldestPendingSeconds = 3655;
    h.reader = {ComponentStatus::Absent, QStringLiteral("pn532_uart:/dev/ttyUSB0: no such device")};
    h.camera = ComponentHealth{ComponentStatus::Ok, {}};
    h.counters = {{QStringLiteral("registrations"), 40}, {QStringLiteral("syncFailures"), 61}};
    h.recentErrors = {{kNow.addSecs(-5), QStringLiteral("sync: connection refused (retry in 64 s)")},
                      {kNow.addSecs(-3600), QStringLiteral("nfc: reader disconnected")}};
    return h;
}

} // namespace

class HeartbeatWireTest : public QObject
{
    Q_OBJECT

private slots:
    void roundTrips_data()
    {
        QTest::addColumn<Heartbeat>("heartbeat");
        QTest::newRow("reader unplugged, with camera") << sample();
        Heartbeat minimal;
        minimal.version = QStringLiteral("1");
        QTest::newRow("minimal, no camera") << minimal;
        Heartbeat extreme = sample();
        extreme.uptimeSeconds = kMaxSafeInteger;
        extreme.queueDepth = kMaxSafeInteger;
        extreme.oldestPendingSeconds = kMaxSafeInteger;
        extreme.camera = ComponentHealth{ComponentStatus::Disabled, QString(ComponentHealth::kMaxReasonLength, u'無')};
        extreme.counters.clear();
        for (int i = 0; i < Heartbeat::kMaxCounters; ++i)
            extreme.counters.insert(QStringLiteral("c%1").arg(i), kMaxSafeInteger - i);
        extreme.recentErrors.clear();
        for (int i = 0; i < Heartbeat::kMaxRecentErrors; ++i)
            extreme.recentErrors.append({kNow.addSecs(-i), QString(RecentError::kMaxMessageLength, 'e')});
        QTest::newRow("every limit reached") << extreme;
    }

    void roundTrips()
    {
        QFETCH(Heartbeat, heartbeat);
        const auto parsed = Heartbeat::fromJson(heartbeat.toJson());
        QVERIFY2(parsed.ok(), qPrintable(parsed.errorText()));
        QCOMPARE(*parsed.value, heartbeat);
    }

    void everyComponentStatusRoundTrips()
    {
        for (const ComponentStatus s : {ComponentStatus::Ok, ComponentStatus::Absent, ComponentStatus::Error,
                                        ComponentStatus::Disabled}) {
            Heartbeat h = sample();
            h.reader.status = s;
            const auto parsed = Heartbeat::fromJson(h.toJson());
            QVERIFY2(parsed.ok(), qPrintable(parsed.errorText()));
            QCOMPARE(parsed.value->reader.status, s);
        }
    }

    void malformedHeartbeatIsRefused_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<QString>("path");
        QTest::addColumn<QString>("reason");
        const QByteArray good = sample().toJson();
        const auto row = [](const char *name, const QByteArray &json, const char *path, const char *reason) {
            QTest::newRow(name) << json << QString::fromLatin1(path) << QString::fromUtf8(reason);
        };
        row("version missing", without(good, "version"), "version", "is required");
        row("version prose", withValue(good, "version", "latest build"), "version", "a version like");
        row("uptime negative", withValue(good, "uptimeSeconds", -1), "uptimeSeconds", "from 0 to 9007199254740991");
        row("uptime 2^53", withValue(good, "uptimeSeconds", 9007199254740992.0), "uptimeSeconds",
            "from 0 to 9007199254740991");
        row("uptime fraction", withValue(good, "uptimeSeconds", 0.5), "uptimeSeconds", "integer");
        row("uptime text", withValue(good, "uptimeSeconds", "7260"), "uptimeSeconds", "integer");
        row("queueDepth missing", without(good, "queueDepth"), "queueDepth", "is required");
        row("queueDepth 1e308", withValue(good, "queueDepth", 1e308), "queueDepth", "integer");
        row("oldest without a queue", withValue(good, "queueDepth", 0), "oldestPendingSeconds",
            "must be 0 when queueDepth is 0");
        row("oldestPending missing", without(good, "oldestPendingSeconds"), "oldestPendingSeconds", "is required");
        row("reader missing", without(good, "reader"), "reader", "is required");
        row("reader a string", withValue(good, "reader", "ok"), "reader", "must be an object");
        row("reader status unknown", withValue(good, "reader.status", "serving"), "reader.status",
            "must be one of \"ok\", \"absent\", \"error\", \"disabled\"");
        row("reader status missing", without(good, "reader.status"), "reader.status", "is required");
        row("reader reason empty", withValue(good, "reader.reason", ""), "reader.reason", "must not be empty");
        row("reader reason 201", withValue(good, "reader.reason", QString(201, 'r')), "reader.reason", "at most 200");
        row("reader reason with newline", withValue(good, "reader.reason", "a\nb"), "reader.reason",
            "control characters");
        row("camera null", withValue(good, "camera", QJsonValue::Null), "camera", "must be an object");
        row("camera status unknown", withValue(good, "camera.status", "blurry"), "camera.status", "must be one of");
        row("counters missing", without(good, "counters"), "counters", "is required");
        row("counters an array", withValue(good, "counters", QJsonArray{1, 2}), "counters", "must be an object");
        row("counter negative", withValue(good, "counters.registrations", -3), "counters.registrations", "from 0");
        row("counter text", withValue(good, "counters.registrations", "40"), "counters.registrations", "integer");
        row("counter nested", withValue(good, "counters.registrations", QJsonObject{{"today", 3}}),
            "counters.registrations", "integer");
        row("counter name with space", withValue(good, "counters.sync failures", 3), "counters", "names must match");
        row("counter name with control", withValue(good, QStringLiteral("counters.a\u0007b"), 3), "counters",
            "names must match");
        row("counter name capitalised", withValue(good, "counters.Registrations", 3), "counters", "names must match");
        QJsonObject many;
        for (int i = 0; i <= Heartbeat::kMaxCounters; ++i)
            many.insert(QStringLiteral("c%1").arg(i), i);
        row("65 counters", withValue(good, "counters", many), "counters", "has 65 entries, at most 64");
        row("recentErrors missing", without(good, "recentErrors"), "recentErrors", "is required");
        QJsonArray errors;
        for (int i = 0; i <= Heartbeat::kMaxRecentErrors; ++i)
            errors.append(QJsonObject{{"at", "2026-11-22T09:30:00Z"}, {"message", "x"}});
        row("21 recent errors", withValue(good, "recentErrors", errors), "recentErrors",
            "has 21 items, at most 20 are allowed");
        row("error without time", without(good, "recentErrors[1].at"), "recentErrors[1].at", "is required");
        row("error local time", withValue(good, "recentErrors[1].at", "2026-11-22T18:30:00+09:00"),
            "recentErrors[1].at", "UTC time");
        row("error message 501", withValue(good, "recentErrors[0].message", QString(501, 'm')),
            "recentErrors[0].message", "at most 500");
        row("error message with escape", withValue(good, "recentErrors[0].message", "\x1b[31mred"),
            "recentErrors[0].message", "control characters");
        row("error message lone surrogate", QByteArray(good).replace("reader disconnected", "\\ud83d"),
            "recentErrors[1].message", "unpaired surrogates");
        row("error a string", withValue(good, "recentErrors[0]", "sync failed"), "recentErrors[0]",
            "must be an object");
    }

    void malformedHeartbeatIsRefused()
    {
        QFETCH(QByteArray, json);
        QFETCH(QString, path);
        QFETCH(QString, reason);
        const QString problem = refusalProblem(Heartbeat::fromJson(json), WireFailure::Invalid, path, reason);
        QVERIFY2(problem.isEmpty(), qPrintable(problem));
    }

    void oversizedBodyIsRefusedBeforeParsing()
    {
        const QByteArray json = withValue(sample().toJson(), "padding", QString(kMaxBodyBytes, ' '));
        const QString problem = refusalProblem(Heartbeat::fromJson(json), WireFailure::TooLarge, "(body)", "larger");
        QVERIFY2(problem.isEmpty(), qPrintable(problem));
    }

    void kioskLogLinesAreMadeSendable()
    {
        Heartbeat h = sample();
        h.recentErrors.clear();
        for (int i = 0; i < 25; ++i)
            h.addRecentError(kNow.addSecs(i).addMSecs(250), QStringLiteral("error %1\n\tdetail\x1b").arg(i));
        h.addRecentError(kNow, QString(2000, 'x'));
        // A cut through a surrogate pair (an emoji at the limit) and a stray surrogate from a
        // broken decoder must not make the whole heartbeat unsendable.
        h.addRecentError(kNow, QString(RecentError::kMaxMessageLength - 1, 'y') + QString::fromUtf8("🔥"));
        h.addRecentError(kNow, QStringLiteral("bad ") + QChar(0xdc00) + QStringLiteral(" byte ") + QString::fromUtf8("🔥"));
        h.addRecentError(kNow, QStringLiteral("\n"));
        QCOMPARE(h.recentErrors.size(), Heartbeat::kMaxRecentErrors);
        QCOMPARE(h.recentErrors[0].message, QStringLiteral("(no message)"));
        QCOMPARE(h.recentErrors[1].message, QStringLiteral("bad \uFFFD byte ") + QString::fromUtf8("🔥"));
        QCOMPARE(h.recentErrors[2].message, QString(RecentError::kMaxMessageLength - 1, 'y'));
        QCOMPARE(h.recentErrors[3].message.size(), RecentError::kMaxMessageLength);
        QCOMPARE(h.recentErrors[4].message, QStringLiteral("error 24  detail "));
        QCOMPARE(h.recentErrors[4].at, kNow.addSecs(24)); // whole seconds
        QCOMPARE(h.recentErrors.last().message, QStringLiteral("error 9  detail ")); // oldest dropped
        const auto parsed = Heartbeat::fromJson(h.toJson());
        QVERIFY2(parsed.ok(), qPrintable(parsed.errorText()));
        QCOMPARE(*parsed.value, h);
    }
};

QTEST_GUILESS_MAIN(HeartbeatWireTest)
#include "heartbeatwiretest.moc"
