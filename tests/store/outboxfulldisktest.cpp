// A full disk, two ways: the outbox's own size cap (SQLite max_page_count) and a real
// filesystem that runs out of space (a 512 KiB tmpfs). Either way a commit that does
// not fit is refused, every intent committed before it is intact, and the outbox
// works again once there is room.

#include "outboxtesting.h"

#include <QProcess>
#include <QScopeGuard>
#include <QStandardPaths>
#include <QStorageInfo>
#include <QTemporaryDir>
#include <QTest>

#include <unistd.h>

using namespace poptap;
using namespace poptap::testing;

namespace {

constexpr qint64 kCapBytes = 128 * 1024;
constexpr int kCommitLimit = 100000; // a store that never fills is a failure, not a hang

DeviceKey loadKey(const QString &dir)
{
    DeviceKey::Load load = DeviceKey::loadOrCreate(dir);
    if (!load.error.isEmpty())
        qFatal("device key: %s", qPrintable(load.error));
    return load.key;
}

// Runs a system tool; returns its combined output, or an empty string and the reason in `error`.
bool run(const QString &program, const QStringList &arguments, QString *error)
{
    QProcess process;
    process.setProcessChannelMode(QProcess::MergedChannels);
    process.start(program, arguments);
    if (!process.waitForStarted(5000)) {
        *error = QStringLiteral("%1: %2").arg(program, process.errorString());
        return false;
    }
    process.waitForFinished(30000);
    if (process.exitStatus() != QProcess::NormalExit || process.exitCode() != 0) {
        *error = QStringLiteral("%1 %2: %3").arg(program, arguments.join(QLatin1Char(' ')),
                                                 QString::fromLocal8Bit(process.readAll()).trimmed());
        return false;
    }
    return true;
}

} // namespace

class OutboxFullDiskTest : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void sizeCapRefusesCleanlyAndRaisingItRecovers();
    void retentionMakesRoomUnderTheCap();
    void fullFilesystemRefusesCleanlyAndFreeingSpaceRecovers();

private:
    struct Filled {
        QList<OutboxIntent> committed;
        OutboxStore::Commit refused; // the first commit that did not fit
    };
    // Commits until the store refuses; every refusal after the first must look the same.
    Filled fillUntilRefused(OutboxStore &store, const DeviceKey &key);
    // What must hold after a refusal: every committed intent intact, nothing half-written.
    void verifyIntact(OutboxStore &store, const DeviceKey &key, const QString &path,
                      const QList<OutboxIntent> &committed);
};

void OutboxFullDiskTest::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
}

OutboxFullDiskTest::Filled OutboxFullDiskTest::fillUntilRefused(OutboxStore &store, const DeviceKey &key)
{
    Filled filled;
    for (int i = 0; i < kCommitLimit; ++i) {
        OutboxStore::Commit commit = store.commit(claimsFor(key, quint32(i)), signerFor(key));
        if (!commit.ok()) {
            filled.refused = commit;
            break;
        }
        filled.committed << *commit.intent;
    }
    return filled;
}

void OutboxFullDiskTest::verifyIntact(OutboxStore &store, const DeviceKey &key, const QString &path,
                                      const QList<OutboxIntent> &committed)
{
    QCOMPARE(store.totalCount(), qint64(committed.size()));
    QCOMPARE(store.count(OutboxState::Pending), qint64(committed.size()));
    for (const OutboxIntent &intent : committed) {
        const std::optional<OutboxIntent> stored = store.findByToken(intent.token);
        QVERIFY2(stored.has_value(), qPrintable(intent.token));
        QCOMPARE(stored->claims, intent.claims);
        const TokenVerification verified = RegistrationToken::verify(stored->token, lookupFor(key), nowWholeSeconds());
        QVERIFY2(verified.ok(), qPrintable(intent.token));
        QCOMPARE(*verified.claims, intent.claims);
    }

    SideConnection side(path);
    QVERIFY2(side.isOpen(), qPrintable(side.error()));
    QCOMPARE(side.quickCheck(), QStringList{QStringLiteral("ok")});
    // No gap and no half-written row: sequences 1..n in row order, counter at n.
    const QList<QVariantList> rows = side.rows(QStringLiteral("SELECT sequence FROM intent ORDER BY id"));
    QCOMPARE(rows.size(), committed.size());
    for (int i = 0; i < rows.size(); ++i)
        QCOMPARE(rows.at(i).value(0).toLongLong(), qint64(i + 1));
    QCOMPARE(side.value(QStringLiteral("SELECT value FROM counter WHERE name = 'sequence'")).toLongLong(),
             qint64(committed.size()));
}

void OutboxFullDiskTest::sizeCapRefusesCleanlyAndRaisingItRecovers()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("outbox.db"));
    DeviceKey key = loadKey(dir.path());
    QList<OutboxIntent> committed;
    std::uint16_t epoch = 0;
    {
        OutboxStore store;
        const SqliteDatabase::OpenResult opened = store.open(path, optionsFor(key, kCapBytes));
        QVERIFY2(opened.error.isEmpty(), qPrintable(opened.error));
        epoch = store.epoch();

        const Filled filled = fillUntilRefused(store, key);
        committed = filled.committed;
        QVERIFY2(!filled.refused.ok(), "the size cap was never reached");
        qInfo().noquote() << committed.size() << "intents fit under" << kCapBytes << "bytes; then:"
                          << filled.refused.error;
        QVERIFY(committed.size() > 50);
        QCOMPARE(int(filled.refused.failure), int(OutboxStore::Failure::Full));
        QVERIFY(!filled.refused.error.isEmpty());

        // Refused again and again, the same way, and nothing changes.
        for (int i = 0; i < 5; ++i) {
            const OutboxStore::Commit again = store.commit(claimsFor(key, 1), signerFor(key));
            QVERIFY(!again.ok());
            QCOMPARE(int(again.failure), int(OutboxStore::Failure::Full));
        }
        verifyIntact(store, key, path, committed);
        if (QTest::currentTestFailed())
            return;
    }
    // Closed (and checkpointed): the file honours the cap.
    QVERIFY(!QFile::exists(path + QStringLiteral("-wal")));
    QVERIFY2(QFileInfo(path).size() <= kCapBytes, qPrintable(QString::number(QFileInfo(path).size())));

    // The same cap after a restart: still full, still intact, not mistaken for corruption.
    {
        OutboxStore store;
        const SqliteDatabase::OpenResult opened = store.open(path, optionsFor(key, kCapBytes));
        QVERIFY2(opened.error.isEmpty(), qPrintable(opened.error));
        QVERIFY(opened.quarantinedTo.isEmpty());
        QCOMPARE(store.epoch(), epoch);
        QCOMPARE(int(store.commit(claimsFor(key, 1), signerFor(key)).failure), int(OutboxStore::Failure::Full));
        verifyIntact(store, key, path, committed);
        if (QTest::currentTestFailed())
            return;
    }

    // A larger cap: commits work again and continue the sequence without a gap.
    OutboxStore store;
    const SqliteDatabase::OpenResult opened = store.open(path, optionsFor(key, 4 * kCapBytes));
    QVERIFY2(opened.error.isEmpty(), qPrintable(opened.error));
    QCOMPARE(store.epoch(), epoch);
    for (int i = 0; i < 20; ++i) {
        const OutboxStore::Commit commit = store.commit(claimsFor(key, quint32(i)), signerFor(key));
        QVERIFY2(commit.ok(), qPrintable(commit.error));
        QCOMPARE(commit.intent->claims.sequence, std::uint32_t(committed.size() + 1));
        committed << *commit.intent;
    }
    verifyIntact(store, key, path, committed);
}

void OutboxFullDiskTest::retentionMakesRoomUnderTheCap()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("outbox.db"));
    DeviceKey key = loadKey(dir.path());
    OutboxStore store;
    QVERIFY(store.open(path, optionsFor(key, kCapBytes)).error.isEmpty());
    const Filled filled = fillUntilRefused(store, key);
    QCOMPARE(int(filled.refused.failure), int(OutboxStore::Failure::Full));

    // The sync engine acknowledged the older half a long time ago; retention drops it.
    const QList<OutboxIntent> older = filled.committed.mid(0, filled.committed.size() / 2);
    QStringList ids;
    for (const OutboxIntent &intent : older)
        ids << intent.claims.intentId();
    // Regression: at the cap this UPDATE needs new pages ('acknowledged' is longer than 'pending',
    // and index entries move); commits now stop at 90 % of the cap so it always fits.
    QVERIFY(store.markAcknowledged(ids, nowWholeSeconds().addDays(-40)));
    QCOMPARE(store.purgeAcknowledgedBefore(nowWholeSeconds().addDays(-30)), older.size());

    // The freed pages take new intents, under the same cap.
    for (int i = 0; i < older.size() / 2; ++i) {
        const OutboxStore::Commit commit = store.commit(claimsFor(key, quint32(i)), signerFor(key));
        QVERIFY2(commit.ok(), qPrintable(commit.error));
    }
    for (const OutboxIntent &intent : filled.committed.mid(older.size()))
        QVERIFY(store.findByToken(intent.token).has_value());
    SideConnection side(path);
    QCOMPARE(side.quickCheck(), QStringList{QStringLiteral("ok")});
}

void OutboxFullDiskTest::fullFilesystemRefusesCleanlyAndFreeingSpaceRecovers()
{
    if (::geteuid() != 0)
        QSKIP("mounting a size-limited tmpfs needs root; the size-cap test covers the store's side");
    QTemporaryDir base;
    const QString mountPoint = base.filePath(QStringLiteral("small-disk"));
    QVERIFY(QDir().mkpath(mountPoint));
    QString error;
    if (!run(QStringLiteral("mount"), {QStringLiteral("-t"), QStringLiteral("tmpfs"), QStringLiteral("-o"),
                                        QStringLiteral("size=512k,mode=0700"), QStringLiteral("tmpfs"), mountPoint},
             &error)) {
        QSKIP(qPrintable(QStringLiteral("cannot mount a 512 KiB tmpfs here (%1); the size-cap test still ran")
                             .arg(error)));
    }
    const auto unmount = qScopeGuard([&] {
        QString umountError;
        if (!run(QStringLiteral("umount"), {mountPoint}, &umountError)) {
            qWarning().noquote() << umountError << "- detaching lazily";
            run(QStringLiteral("umount"), {QStringLiteral("-l"), mountPoint}, &umountError);
        }
    });
    const QStorageInfo storage(mountPoint);
    QCOMPARE(storage.fileSystemType(), QByteArray("tmpfs"));
    QVERIFY(storage.bytesTotal() <= 1024 * 1024);

    const QString path = QDir(mountPoint).filePath(QStringLiteral("outbox.db"));
    const QString fillerPath = QDir(mountPoint).filePath(QStringLiteral("filler.bin"));
    DeviceKey key = loadKey(mountPoint);
    {
        QFile filler(fillerPath);
        QVERIFY(filler.open(QIODevice::WriteOnly));
        QCOMPARE(filler.write(QByteArray(128 * 1024, 'x')), qint64(128 * 1024));
    }

    QList<OutboxIntent> committed;
    {
        OutboxStore store;
        const SqliteDatabase::OpenResult opened = store.open(path, optionsFor(key)); // no cap: the disk is the limit
        QVERIFY2(opened.error.isEmpty(), qPrintable(opened.error));
        const Filled filled = fillUntilRefused(store, key);
        committed = filled.committed;
        QVERIFY2(!filled.refused.ok(), "the filesystem never filled up");
        qInfo().noquote() << committed.size() << "intents fit on the 512 KiB disk; then"
                          << (filled.refused.failure == OutboxStore::Failure::Full ? "Failure::Full:"
                                                                                   : "Failure::Error:")
                          << filled.refused.error;
        QVERIFY(committed.size() >= 5); // each commit appends whole pages to the WAL: few fit
        QVERIFY2(filled.refused.failure == OutboxStore::Failure::Full
                     || filled.refused.error.contains(QLatin1String("full"), Qt::CaseInsensitive),
                 qPrintable(filled.refused.error));
        // Regression: on a real disk SQLite reports SQLITE_FULL at COMMIT; QSqlDatabase::commit()
        // dropped the native code, so a full disk used to be reported as a general error.
        QCOMPARE(int(filled.refused.failure), int(OutboxStore::Failure::Full));
        for (int i = 0; i < 5; ++i)
            QVERIFY(!store.commit(claimsFor(key, 1), signerFor(key)).ok());
        verifyIntact(store, key, path, committed);
        if (QTest::currentTestFailed())
            return;

        // Room again: commits work and continue the sequence. (Until the WAL is checkpointed every
        // commit appends whole pages, about 20 KiB, so the 128 KiB freed take only a few.)
        QVERIFY(QFile::remove(fillerPath));
        for (int i = 0; i < 3; ++i) {
            const OutboxStore::Commit commit = store.commit(claimsFor(key, quint32(i)), signerFor(key));
            QVERIFY2(commit.ok(), qPrintable(commit.error));
            QCOMPARE(commit.intent->claims.sequence, std::uint32_t(committed.size() + 1));
            committed << *commit.intent;
        }
        verifyIntact(store, key, path, committed);
        if (QTest::currentTestFailed())
            return;
    }

    // A restart on the nearly full disk: nothing lost, nothing mistaken for corruption.
    OutboxStore store;
    const SqliteDatabase::OpenResult reopened = store.open(path, optionsFor(key));
    QVERIFY2(reopened.error.isEmpty(), qPrintable(reopened.error));
    QVERIFY(reopened.quarantinedTo.isEmpty());
    verifyIntact(store, key, path, committed);
}

QTEST_GUILESS_MAIN(OutboxFullDiskTest)
#include "outboxfulldisktest.moc"
