// RegistrationService: intents are created on the outbox thread, and the GUI hears
// about a registration only once its intent is on disk; a full outbox is reported as
// such, never as a crash.

#include "outboxtesting.h"
#include "registrationservice.h"

#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using namespace poptap;
using namespace poptap::testing;

namespace {

const QString kLiffId = QStringLiteral("2001234567-AbCdEfGh");

DeviceKey loadKey(const QString &dir)
{
    DeviceKey::Load load = DeviceKey::loadOrCreate(dir);
    if (!load.error.isEmpty())
        qFatal("device key: %s", qPrintable(load.error));
    return load.key;
}

RegistrationService::Setup setupFor(const QTemporaryDir &dir, const QString &linkTemplate = QStringLiteral("liff"))
{
    RegistrationService::Setup setup;
    setup.outboxPath = dir.filePath(QStringLiteral("outbox.db"));
    setup.key = loadKey(dir.path());
    QString error;
    setup.linkTemplate = DeepLinkTemplate::parse(linkTemplate, &error);
    if (!setup.linkTemplate.isValid())
        qFatal("link template: %s", qPrintable(error));
    setup.linkParameters.liffId = kLiffId;
    setup.linkParameters.basicId = QStringLiteral("@poptap-demo");
    return setup;
}

Registration registrationAt(const QSignalSpy &spy, int index)
{
    return qvariant_cast<Registration>(spy.at(index).at(1));
}

} // namespace

class RegistrationServiceTest : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void registrationIsDurableBeforeItIsSignalled_data();
    void registrationIsDurableBeforeItIsSignalled();
    void everyRequestGetsExactlyOneAnswer();
    void startAppliesRetention();
    void fullOutboxIsReportedAsStorageFull();
    void outboxTooSmallToCreateFailsRequestsCleanly();
};

void RegistrationServiceTest::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
}

void RegistrationServiceTest::registrationIsDurableBeforeItIsSignalled_data()
{
    QTest::addColumn<QString>("linkTemplate");
    QTest::addColumn<QString>("linkPrefix");
    QTest::newRow("liff") << QStringLiteral("liff") << QStringLiteral("https://liff.line.me/%1/r/").arg(kLiffId);
    QTest::newRow("oaMessage") << QStringLiteral("oamessage") << QStringLiteral("https://line.me/R/oaMessage/");
}

void RegistrationServiceTest::registrationIsDurableBeforeItIsSignalled()
{
    QFETCH(QString, linkTemplate);
    QFETCH(QString, linkPrefix);
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    RegistrationService::Setup setup = setupFor(dir, linkTemplate);
    const DeviceKey key = setup.key;
    const QDateTime issuedAt = nowWholeSeconds().addSecs(-90);
    setup.clock = [issuedAt] { return issuedAt; };

    RegistrationService service;
    const SqliteDatabase::OpenResult started = service.start(setup);
    QVERIFY2(started.error.isEmpty(), qPrintable(started.error));
    QVERIFY(started.created);

    // What the GUI sees the moment the signal arrives: the intent, read back by an
    // independent connection, is already committed.
    int rowsWhenSignalled = -1;
    QString stateWhenSignalled;
    connect(&service, &RegistrationService::registered, this, [&](int, const Registration &registration) {
        SideConnection reader(setup.outboxPath);
        const QList<QVariantList> rows = reader.rows(
            QStringLiteral("SELECT state FROM intent WHERE token = '%1'").arg(registration.token));
        rowsWhenSignalled = int(rows.size());
        stateWhenSignalled = rows.isEmpty() ? reader.error() : rows.first().value(0).toString();
    });
    QSignalSpy registered(&service, &RegistrationService::registered);
    QSignalSpy failed(&service, &RegistrationService::registrationFailed);

    const int requestId = service.requestBrandInterest(42);
    QVERIFY(registered.wait(10000));
    QTest::qWait(100); // nothing else follows
    QCOMPARE(registered.count(), 1);
    QCOMPARE(failed.count(), 0);
    QCOMPARE(registered.at(0).at(0).toInt(), requestId);
    QCOMPARE(rowsWhenSignalled, 1);
    QCOMPARE(stateWhenSignalled, QStringLiteral("pending"));

    const Registration registration = registrationAt(registered, 0);
    QVERIFY2(registration.link.startsWith(linkPrefix), qPrintable(registration.link));
    QVERIFY2(registration.link.contains(registration.token), qPrintable(registration.link));
    const TokenVerification verified = RegistrationToken::verify(registration.token, lookupFor(key), issuedAt);
    QVERIFY2(verified.ok(), qPrintable(describe(*verified.error)));
    QCOMPARE(*verified.claims, registration.claims);
    QCOMPARE(registration.claims.kind, RegistrationKind::BrandInterest);
    QCOMPARE(registration.claims.target, 42u);
    QCOMPARE(registration.claims.keyId, key.keyId());
    QCOMPARE(registration.claims.issuedAt, issuedAt);
    QCOMPARE(registration.claims.sequence, 1u);
}

void RegistrationServiceTest::everyRequestGetsExactlyOneAnswer()
{
    QTemporaryDir dir;
    const RegistrationService::Setup setup = setupFor(dir);
    RegistrationService service;
    QVERIFY(service.start(setup).error.isEmpty());
    QSignalSpy registered(&service, &RegistrationService::registered);
    QSignalSpy failed(&service, &RegistrationService::registrationFailed);

    QList<int> requestIds;
    for (quint32 brand = 1; brand <= 25; ++brand)
        requestIds << service.requestBrandInterest(brand);
    QTRY_COMPARE_WITH_TIMEOUT(registered.count(), 25, 20000);
    QTest::qWait(100);
    QCOMPARE(registered.count(), 25);
    QCOMPARE(failed.count(), 0);

    QSet<int> answered;
    QSet<std::uint32_t> sequences;
    SideConnection reader(setup.outboxPath);
    for (int i = 0; i < registered.count(); ++i) {
        const int requestId = registered.at(i).at(0).toInt();
        const Registration registration = registrationAt(registered, i);
        answered.insert(requestId);
        sequences.insert(registration.claims.sequence);
        // Requests are served in order: request n is brand n.
        QCOMPARE(registration.claims.target, quint32(requestIds.indexOf(requestId) + 1));
        QCOMPARE(reader.value(QStringLiteral("SELECT count(*) FROM intent WHERE token = '%1'")
                                  .arg(registration.token)).toInt(), 1);
    }
    QCOMPARE(answered, QSet<int>(requestIds.cbegin(), requestIds.cend()));
    QCOMPARE(sequences.size(), 25);
}

void RegistrationServiceTest::startAppliesRetention()
{
    QTemporaryDir dir;
    RegistrationService::Setup setup = setupFor(dir);
    setup.retentionDays = 30;
    QStringList keptTokens;
    QString purgedToken;
    {
        // A previous run of the kiosk: one intent acknowledged long ago, two still pending.
        OutboxStore store;
        QVERIFY(store.open(setup.outboxPath, optionsFor(setup.key)).error.isEmpty());
        const QDateTime longAgo = nowWholeSeconds().addDays(-60);
        for (int i = 0; i < 3; ++i) {
            const OutboxStore::Commit commit = store.commit(
                claimsFor(setup.key, quint32(i), RegistrationKind::BrandInterest, longAgo), signerFor(setup.key));
            QVERIFY(commit.ok());
            if (i == 0) {
                QVERIFY(store.markAcknowledged({commit.intent->claims.intentId()}, longAgo.addDays(1)));
                purgedToken = commit.intent->token;
            } else {
                keptTokens << commit.intent->token;
            }
        }
    }
    RegistrationService service;
    const SqliteDatabase::OpenResult started = service.start(setup);
    QVERIFY2(started.error.isEmpty(), qPrintable(started.error));
    QVERIFY(!started.created);

    SideConnection reader(setup.outboxPath);
    QCOMPARE(reader.value(QStringLiteral("SELECT count(*) FROM intent WHERE token = '%1'").arg(purgedToken)).toInt(),
             0);
    for (const QString &token : std::as_const(keptTokens))
        QCOMPARE(reader.value(QStringLiteral("SELECT state FROM intent WHERE token = '%1'").arg(token)).toString(),
                 QStringLiteral("pending"));
}

void RegistrationServiceTest::fullOutboxIsReportedAsStorageFull()
{
    QTemporaryDir dir;
    RegistrationService::Setup setup = setupFor(dir);
    setup.outboxMaxBytes = 48 * 1024; // the empty schema and a few dozen intents
    auto service = std::make_unique<RegistrationService>();
    const SqliteDatabase::OpenResult started = service->start(setup);
    QVERIFY2(started.error.isEmpty(), qPrintable(started.error));
    QSignalSpy registered(service.get(), &RegistrationService::registered);
    QSignalSpy failed(service.get(), &RegistrationService::registrationFailed);

    // One request at a time, as shoppers come, until the outbox is full.
    for (int i = 0; i < 5000 && failed.isEmpty(); ++i) {
        service->requestBrandInterest(quint32(i));
        QVERIFY(QTest::qWaitFor([&] { return registered.count() + failed.count() == i + 1; }, 10000));
    }
    QCOMPARE(failed.count(), 1);
    qInfo().noquote() << registered.count() << "registrations fit under the cap; then:" << failed.at(0).at(1).toString();
    QVERIFY(registered.count() > 0);
    QVERIFY(!failed.at(0).at(1).toString().isEmpty());
    QCOMPARE(failed.at(0).at(2).toBool(), true); // storageFull: the kiosk can say so

    // Still full, still answered, no crash.
    const int again = service->requestBrandInterest(7);
    QTRY_COMPARE_WITH_TIMEOUT(failed.count(), 2, 10000);
    QCOMPARE(failed.at(1).at(0).toInt(), again);
    QCOMPARE(failed.at(1).at(2).toBool(), true);

    // Every registration that was signalled is in the outbox, and the file is sound.
    SideConnection reader(setup.outboxPath);
    QCOMPARE(reader.value(QStringLiteral("SELECT count(*) FROM intent")).toInt(), registered.count());
    for (int i = 0; i < registered.count(); ++i) {
        const QString token = registrationAt(registered, i).token;
        QCOMPARE(reader.value(QStringLiteral("SELECT count(*) FROM intent WHERE token = '%1'").arg(token)).toInt(), 1);
    }
    QCOMPARE(reader.quickCheck(), QStringList{QStringLiteral("ok")});
    service.reset(); // shuts the outbox thread down cleanly while full
}

void RegistrationServiceTest::outboxTooSmallToCreateFailsRequestsCleanly()
{
    QTemporaryDir dir;
    RegistrationService::Setup setup = setupFor(dir);
    setup.outboxMaxBytes = 4096; // not even room for the schema
    RegistrationService service;
    const SqliteDatabase::OpenResult started = service.start(setup);
    QVERIFY(!started.error.isEmpty());
    qInfo().noquote() << "start refused:" << started.error;
    QVERIFY2(started.error.contains(QLatin1String("full")), qPrintable(started.error));

    QSignalSpy registered(&service, &RegistrationService::registered);
    QSignalSpy failed(&service, &RegistrationService::registrationFailed);
    const int requestId = service.requestBrandInterest(1);
    QVERIFY(failed.wait(10000));
    QCOMPARE(failed.at(0).at(0).toInt(), requestId);
    QVERIFY(!failed.at(0).at(1).toString().isEmpty());
    QCOMPARE(registered.count(), 0);
}

QTEST_GUILESS_MAIN(RegistrationServiceTest)
#include "registrationservicetest.moc"
