// OutboxStore on a healthy disk: schema, epoch, sequences, tokens, retention,
// refusal of a newer schema, and the durability settings of the writer connection.

#include "outboxtesting.h"

#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using namespace poptap;
using namespace poptap::testing;

class OutboxStoreTest : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void freshStoreCreatesSchemaAndRecordsEpoch();
    void commitSignsTheStoredClaims_data();
    void commitSignsTheStoredClaims();
    void sequencesCountUpAcrossReopen();
    void reopenedStoreKeepsItsEpoch();
    void newIntentsArePending();
    void retentionRemovesOnlyOldAcknowledgedIntents();
    void newerSchemaIsRefusedAndLeftUntouched_data();
    void newerSchemaIsRefusedAndLeftUntouched();
    void writerConnectionIsWalWithFullSync();
    void failedEpochAllocationIsReported();
    void commitWithoutOpenStoreFails();

private:
    DeviceKey keyIn(const QTemporaryDir &dir);
};

DeviceKey OutboxStoreTest::keyIn(const QTemporaryDir &dir)
{
    DeviceKey::Load load = DeviceKey::loadOrCreate(dir.path());
    if (!load.error.isEmpty())
        qFatal("device key: %s", qPrintable(load.error));
    return load.key;
}

void OutboxStoreTest::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
}

void OutboxStoreTest::freshStoreCreatesSchemaAndRecordsEpoch()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(QStringLiteral("outbox.db"));
    DeviceKey key = keyIn(dir);
    int allocations = 0;
    int epoch = 0;
    {
        OutboxStore store;
        const SqliteDatabase::OpenResult result = store.open(path, optionsFor(key, 0, &allocations));
        QVERIFY2(result.error.isEmpty(), qPrintable(result.error));
        QVERIFY(result.created);
        QVERIFY(result.quarantinedTo.isEmpty());
        QVERIFY(result.corruption.isEmpty());
        QVERIFY(store.isOpen());
        QCOMPARE(allocations, 1);
        QVERIFY(store.epoch() > 0);
        epoch = store.epoch();
        QCOMPARE(store.totalCount(), 0);
        QCOMPARE(store.count(OutboxState::Pending), 0);
    }

    SideConnection side(path);
    QVERIFY2(side.isOpen(), qPrintable(side.error()));
    QCOMPARE(side.value(QStringLiteral("PRAGMA user_version")).toInt(), 1);
    const QList<QVariantList> tables =
        side.rows(QStringLiteral("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name"));
    QStringList names;
    for (const QVariantList &row : tables)
        names << row.value(0).toString();
    QCOMPARE(names, (QStringList{QStringLiteral("counter"), QStringLiteral("intent"), QStringLiteral("meta")}));
    QCOMPARE(side.value(QStringLiteral("SELECT value FROM meta WHERE key = 'epoch'")).toInt(), epoch);

    // The allocation was persisted in the device key: a key loaded from disk hands out the next one.
    DeviceKey reloaded = keyIn(dir);
    QCOMPARE(reloaded.keyId(), key.keyId());
    QString error;
    QCOMPARE(reloaded.allocateEpoch(&error), epoch + 1);
}

void OutboxStoreTest::commitSignsTheStoredClaims_data()
{
    QTest::addColumn<RegistrationKind>("kind");
    QTest::addColumn<quint32>("target");
    QTest::addColumn<int>("ttlHours");
    QTest::newRow("brand interest") << RegistrationKind::BrandInterest << 17u << 24;
    QTest::newRow("restock") << RegistrationKind::Restock << 4000123u << 72;
    QTest::newRow("pop sticker") << RegistrationKind::Pop << 0xfffffffeu << 1;
}

void OutboxStoreTest::commitSignsTheStoredClaims()
{
    QFETCH(RegistrationKind, kind);
    QFETCH(quint32, target);
    QFETCH(int, ttlHours);

    QTemporaryDir dir;
    DeviceKey key = keyIn(dir);
    OutboxStore store;
    const SqliteDatabase::OpenResult opened = store.open(dir.filePath(QStringLiteral("outbox.db")), optionsFor(key));
    QVERIFY2(opened.error.isEmpty(), qPrintable(opened.error));

    for (std::uint32_t expectedSequence = 1; expectedSequence <= 3; ++expectedSequence) {
        TokenClaims claims = claimsFor(key, target, kind);
        claims.ttlHours = std::uint8_t(ttlHours);
        const OutboxStore::Commit commit = store.commit(claims, signerFor(key));
        QVERIFY2(commit.ok(), qPrintable(commit.error));
        QCOMPARE(commit.failure, OutboxStore::Failure::None);
        const OutboxIntent &intent = *commit.intent;
        QCOMPARE(intent.claims.sequence, expectedSequence);
        QCOMPARE(intent.claims.epoch, store.epoch());
        QCOMPARE(intent.claims.kind, kind);
        QCOMPARE(intent.claims.target, target);
        QVERIFY(intent.token.size() <= 40);

        const TokenVerification verified =
            RegistrationToken::verify(intent.token, lookupFor(key), nowWholeSeconds());
        QVERIFY2(verified.ok(), qPrintable(describe(*verified.error)));
        QCOMPARE(*verified.claims, intent.claims);

        const std::optional<OutboxIntent> stored = store.findByToken(intent.token);
        QVERIFY(stored.has_value());
        QCOMPARE(stored->claims, *verified.claims);
        QCOMPARE(stored->rowId, intent.rowId);
        QCOMPARE(stored->token, intent.token);
    }
    QCOMPARE(store.totalCount(), 3);
    QVERIFY(!store.findByToken(QStringLiteral("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")).has_value());
}

void OutboxStoreTest::sequencesCountUpAcrossReopen()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("outbox.db"));
    QStringList tokens;
    std::uint32_t expected = 1;
    for (int session = 0; session < 3; ++session) {
        DeviceKey key = keyIn(dir); // as after a restart of the kiosk
        OutboxStore store;
        const SqliteDatabase::OpenResult opened = store.open(path, optionsFor(key));
        QVERIFY2(opened.error.isEmpty(), qPrintable(opened.error));
        QCOMPARE(opened.created, session == 0);
        QCOMPARE(store.totalCount(), qint64(tokens.size()));
        for (const QString &token : std::as_const(tokens))
            QVERIFY2(store.findByToken(token).has_value(), qPrintable(token));
        for (int i = 0; i < 4; ++i, ++expected) {
            const OutboxStore::Commit commit = store.commit(claimsFor(key, 100 + i), signerFor(key));
            QVERIFY2(commit.ok(), qPrintable(commit.error));
            QCOMPARE(commit.intent->claims.sequence, expected);
            tokens << commit.intent->token;
        }
    }
    QCOMPARE(tokens.size(), 12);
    QCOMPARE(QSet<QString>(tokens.cbegin(), tokens.cend()).size(), 12);
}

void OutboxStoreTest::reopenedStoreKeepsItsEpoch()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("outbox.db"));
    int allocations = 0;
    std::uint16_t firstEpoch = 0;
    {
        DeviceKey key = keyIn(dir);
        OutboxStore store;
        QVERIFY(store.open(path, optionsFor(key, 0, &allocations)).error.isEmpty());
        firstEpoch = store.epoch();
        QVERIFY(store.commit(claimsFor(key, 1), signerFor(key)).ok());
    }
    for (int restart = 0; restart < 3; ++restart) {
        DeviceKey key = keyIn(dir);
        OutboxStore store;
        const SqliteDatabase::OpenResult opened = store.open(path, optionsFor(key, 0, &allocations));
        QVERIFY2(opened.error.isEmpty(), qPrintable(opened.error));
        QVERIFY(!opened.created);
        QCOMPARE(store.epoch(), firstEpoch);
        const OutboxStore::Commit commit = store.commit(claimsFor(key, 2), signerFor(key));
        QVERIFY(commit.ok());
        QCOMPARE(commit.intent->claims.epoch, firstEpoch);
    }
    QCOMPARE(allocations, 1); // only the first open asked the device key for a generation
}

void OutboxStoreTest::newIntentsArePending()
{
    QTemporaryDir dir;
    DeviceKey key = keyIn(dir);
    OutboxStore store;
    QVERIFY(store.open(dir.filePath(QStringLiteral("outbox.db")), optionsFor(key)).error.isEmpty());
    QStringList tokens;
    for (int i = 0; i < 5; ++i) {
        const OutboxStore::Commit commit = store.commit(claimsFor(key, quint32(i)), signerFor(key));
        QVERIFY(commit.ok());
        QCOMPARE(toString(commit.intent->state), toString(OutboxState::Pending));
        tokens << commit.intent->token;
    }
    QCOMPARE(store.count(OutboxState::Pending), 5);
    QCOMPARE(store.count(OutboxState::Sent), 0);
    QCOMPARE(store.count(OutboxState::Acknowledged), 0);
    QCOMPARE(store.count(OutboxState::Dead), 0);
    for (const QString &token : std::as_const(tokens)) {
        const std::optional<OutboxIntent> stored = store.findByToken(token);
        QVERIFY(stored.has_value());
        QCOMPARE(toString(stored->state), toString(OutboxState::Pending));
        QVERIFY(stored->stateReason.isEmpty());
    }
}

void OutboxStoreTest::retentionRemovesOnlyOldAcknowledgedIntents()
{
    QTemporaryDir dir;
    DeviceKey key = keyIn(dir);
    OutboxStore store;
    QVERIFY(store.open(dir.filePath(QStringLiteral("outbox.db")), optionsFor(key)).error.isEmpty());

    const QDateTime now = nowWholeSeconds();
    const QDateTime cutoff = now.addDays(-30);
    const auto commitAt = [&](const QDateTime &issuedAt) {
        const OutboxStore::Commit commit = store.commit(claimsFor(key, 7, RegistrationKind::BrandInterest, issuedAt),
                                                        signerFor(key));
        if (!commit.ok())
            qFatal("commit failed: %s", qPrintable(commit.error));
        return *commit.intent;
    };
    const OutboxIntent oldPending = commitAt(now.addDays(-60));     // never synced: must stay
    const OutboxIntent oldAcknowledged = commitAt(now.addDays(-50));
    const OutboxIntent acknowledgedAtCutoff = commitAt(now.addDays(-45));
    const OutboxIntent recentAcknowledged = commitAt(now.addDays(-2));
    const OutboxIntent freshPending = commitAt(now);

    QVERIFY(store.markAcknowledged({oldAcknowledged.claims.intentId()}, now.addDays(-40)));
    QVERIFY(store.markAcknowledged({acknowledgedAtCutoff.claims.intentId()}, cutoff));
    QVERIFY(store.markAcknowledged({recentAcknowledged.claims.intentId()}, now.addDays(-1)));
    QCOMPARE(store.count(OutboxState::Acknowledged), 3);
    QCOMPARE(store.count(OutboxState::Pending), 2);
    QCOMPARE(toString(store.findByToken(recentAcknowledged.token)->state), toString(OutboxState::Acknowledged));

    QCOMPARE(store.purgeAcknowledgedBefore(cutoff), 1);
    QVERIFY(!store.findByToken(oldAcknowledged.token).has_value());
    QVERIFY(store.findByToken(oldPending.token).has_value());
    QCOMPARE(toString(store.findByToken(oldPending.token)->state), toString(OutboxState::Pending));
    QVERIFY(store.findByToken(acknowledgedAtCutoff.token).has_value()); // "older than", not "at"
    QVERIFY(store.findByToken(recentAcknowledged.token).has_value());
    QVERIFY(store.findByToken(freshPending.token).has_value());
    QCOMPARE(store.count(OutboxState::Pending), 2);
    QCOMPARE(store.count(OutboxState::Acknowledged), 2);
    QCOMPARE(store.totalCount(), 4);

    // Nothing left to purge; even a cutoff far in the future never removes a pending intent.
    QCOMPARE(store.purgeAcknowledgedBefore(cutoff), 0);
    QCOMPARE(store.purgeAcknowledgedBefore(now.addYears(10)), 2);
    QCOMPARE(store.count(OutboxState::Pending), 2);
    QCOMPARE(store.totalCount(), 2);

    // Retention does not rewind the sequence: the next intent gets a number no token used.
    QCOMPARE(commitAt(now).claims.sequence, 6u);
}

void OutboxStoreTest::newerSchemaIsRefusedAndLeftUntouched_data()
{
    QTest::addColumn<bool>("wal");
    // A downgrade: the file was written by a newer kiosk (in WAL, as every kiosk writes it).
    QTest::newRow("newer kiosk, wal") << true;
    // A newer file restored or copied in rollback-journal mode (e.g. by the sqlite3 shell's .restore).
    QTest::newRow("newer kiosk, rollback journal") << false;
}

void OutboxStoreTest::newerSchemaIsRefusedAndLeftUntouched()
{
    QFETCH(bool, wal);
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("outbox.db"));
    QString token;
    {
        DeviceKey key = keyIn(dir);
        OutboxStore store;
        QVERIFY(store.open(path, optionsFor(key)).error.isEmpty());
        const OutboxStore::Commit commit = store.commit(claimsFor(key, 3), signerFor(key));
        QVERIFY(commit.ok());
        token = commit.intent->token;
    }
    {
        SideConnection writer(path, false);
        QVERIFY2(writer.isOpen(), qPrintable(writer.error()));
        QVERIFY2(writer.exec(QStringLiteral("PRAGMA user_version=7")), qPrintable(writer.error()));
        if (!wal) {
            QVERIFY2(writer.exec(QStringLiteral("PRAGMA journal_mode=DELETE")), qPrintable(writer.error()));
            QCOMPARE(writer.value(QStringLiteral("PRAGMA journal_mode")).toString(), QStringLiteral("delete"));
        }
    }
    QVERIFY(!QFile::exists(path + QStringLiteral("-wal"))); // everything is in the main file
    const QMap<QString, QByteArray> before = snapshotOf(dir.path());

    DeviceKey key = keyIn(dir);
    int allocations = 0;
    {
        OutboxStore store;
        const SqliteDatabase::OpenResult result = store.open(path, optionsFor(key, 0, &allocations));
        QVERIFY(!result.error.isEmpty());
        QVERIFY2(result.error.contains(QLatin1String("newer")), qPrintable(result.error));
        QVERIFY2(result.error.contains(QLatin1String("7")), qPrintable(result.error));
        QVERIFY(result.quarantinedTo.isEmpty());
        QVERIFY(!store.isOpen());
        const OutboxStore::Commit commit = store.commit(claimsFor(key, 4), signerFor(key));
        QVERIFY(!commit.ok());
        QCOMPARE(commit.failure, OutboxStore::Failure::Error);
    }
    QCOMPARE(allocations, 0); // a refused file does not burn an outbox generation
    QVERIFY(quarantinedFiles(dir.path()).isEmpty());

    // Every byte of the directory is as it was: the file can still go back to the newer kiosk.
    // Regression: switching to WAL before the version check used to rewrite header bytes 18-19
    // and the change counter of a database it then refused.
    QCOMPARE(snapshotOf(dir.path()), before);
    SideConnection reader(path);
    QCOMPARE(reader.value(QStringLiteral("PRAGMA user_version")).toInt(), 7);
    QCOMPARE(reader.value(QStringLiteral("SELECT count(*) FROM intent WHERE token = '%1'").arg(token)).toInt(), 1);
}

void OutboxStoreTest::writerConnectionIsWalWithFullSync()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("outbox.db"));
    DeviceKey key = keyIn(dir);
    OutboxStore store;
    QVERIFY(store.open(path, optionsFor(key)).error.isEmpty());
    QVERIFY(store.commit(claimsFor(key, 9), signerFor(key)).ok());
    {
        // The store's own writer connection (same thread, so it may be used here).
        QSqlDatabase writer = QSqlDatabase::database(QStringLiteral("poptap-outbox"), false);
        QVERIFY(writer.isOpen());
        QSqlQuery q(writer);
        QVERIFY(q.exec(QStringLiteral("PRAGMA journal_mode")) && q.next());
        QCOMPARE(q.value(0).toString(), QStringLiteral("wal"));
        QVERIFY(q.exec(QStringLiteral("PRAGMA synchronous")) && q.next());
        QCOMPARE(q.value(0).toInt(), 2); // FULL: an intent is on disk before its QR code is shown
    }
    // Journal mode is a property of the file: an independent reader sees WAL too, and the
    // committed intent without any checkpoint.
    QVERIFY(QFile::exists(path + QStringLiteral("-wal")));
    SideConnection reader(path);
    QVERIFY2(reader.isOpen(), qPrintable(reader.error()));
    QCOMPARE(reader.value(QStringLiteral("PRAGMA journal_mode")).toString(), QStringLiteral("wal"));
    QCOMPARE(reader.value(QStringLiteral("SELECT count(*) FROM intent")).toInt(), 1);
    QCOMPARE(reader.quickCheck(), QStringList{QStringLiteral("ok")});
}

void OutboxStoreTest::failedEpochAllocationIsReported()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("outbox.db"));
    DeviceKey key = keyIn(dir);
    {
        OutboxStore store;
        OutboxStore::Options options;
        options.allocateEpoch = [](QString *error) {
            *error = QStringLiteral("device key is read-only");
            return -1;
        };
        const SqliteDatabase::OpenResult result = store.open(path, options);
        QCOMPARE(result.error, QStringLiteral("device key is read-only"));
        QVERIFY(!store.isOpen());
        QCOMPARE(store.commit(claimsFor(key, 1), signerFor(key)).failure, OutboxStore::Failure::Error);
    }
    // Once the key can be written again, the same file opens and gets its generation.
    OutboxStore store;
    const SqliteDatabase::OpenResult result = store.open(path, optionsFor(key));
    QVERIFY2(result.error.isEmpty(), qPrintable(result.error));
    QVERIFY(store.epoch() > 0);
    QCOMPARE(store.commit(claimsFor(key, 1), signerFor(key)).intent->claims.sequence, 1u);
}

void OutboxStoreTest::commitWithoutOpenStoreFails()
{
    QTemporaryDir dir;
    DeviceKey key = keyIn(dir);
    OutboxStore store;
    const OutboxStore::Commit commit = store.commit(claimsFor(key, 1), signerFor(key));
    QVERIFY(!commit.ok());
    QCOMPARE(commit.failure, OutboxStore::Failure::Error);
    QVERIFY(!commit.error.isEmpty());
    QCOMPARE(store.totalCount(), -1);
}

QTEST_GUILESS_MAIN(OutboxStoreTest)
#include "outboxstoretest.moc"
