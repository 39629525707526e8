// A corrupt outbox at start-up: the kiosk keeps the bad file for diagnosis, starts a
// fresh outbox under a new generation (so no token is ever issued twice), and goes on.

#include "outboxtesting.h"

#include <QRandomGenerator>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

using namespace poptap;
using namespace poptap::testing;

namespace {

enum class Damage { RandomBytes, Truncated, DamagedPages };

constexpr int kIntentsBeforeDamage = 400;

DeviceKey loadKey(const QString &dir)
{
    DeviceKey::Load load = DeviceKey::loadOrCreate(dir);
    if (!load.error.isEmpty())
        qFatal("device key: %s", qPrintable(load.error));
    return load.key;
}

QByteArray randomBytes(qsizetype size, quint32 seed)
{
    QRandomGenerator random(seed);
    QByteArray bytes(size, Qt::Uninitialized);
    for (char &c : bytes)
        c = char(random.bounded(256));
    return bytes;
}

bool writeFile(const QString &path, const QByteArray &bytes)
{
    QFile file(path);
    return file.open(QIODevice::WriteOnly | QIODevice::Truncate) && file.write(bytes) == bytes.size();
}

} // namespace

Q_DECLARE_METATYPE(Damage)

class OutboxCorruptionTest : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void corruptOutboxIsQuarantinedAndReplaced_data();
    void corruptOutboxIsQuarantinedAndReplaced();
    void walOfACorruptOutboxIsKeptBesideIt();
    void quarantinesInTheSameSecondKeepEveryFile();

private:
    // A real outbox with kIntentsBeforeDamage intents, closed (so fully checkpointed).
    struct Filled {
        std::uint16_t epoch = 0;
        QStringList intentIds;
    };
    Filled fillOutbox(const QString &dir, const QString &path);
};

void OutboxCorruptionTest::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
}

OutboxCorruptionTest::Filled OutboxCorruptionTest::fillOutbox(const QString &dir, const QString &path)
{
    Filled filled;
    DeviceKey key = loadKey(dir);
    OutboxStore store;
    const SqliteDatabase::OpenResult opened = store.open(path, optionsFor(key));
    if (!opened.error.isEmpty())
        qFatal("open: %s", qPrintable(opened.error));
    filled.epoch = store.epoch();
    for (int i = 0; i < kIntentsBeforeDamage; ++i) {
        const OutboxStore::Commit commit = store.commit(claimsFor(key, quint32(1000 + i)), signerFor(key));
        if (!commit.ok())
            qFatal("commit: %s", qPrintable(commit.error));
        filled.intentIds << commit.intent->claims.intentId();
    }
    return filled;
}

void OutboxCorruptionTest::corruptOutboxIsQuarantinedAndReplaced_data()
{
    QTest::addColumn<Damage>("damage");
    QTest::newRow("random bytes") << Damage::RandomBytes;
    QTest::newRow("truncated to half") << Damage::Truncated;
    QTest::newRow("garbage pages in the middle") << Damage::DamagedPages;
}

void OutboxCorruptionTest::corruptOutboxIsQuarantinedAndReplaced()
{
    QFETCH(Damage, damage);
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(QStringLiteral("outbox.db"));
    const Filled old = fillOutbox(dir.path(), path);
    QVERIFY(!QFile::exists(path + QStringLiteral("-wal")));

    QByteArray bytes = fileBytes(path);
    const qsizetype pageSize = 4096;
    QVERIFY2(bytes.size() >= 8 * pageSize, "the filled outbox should span several pages");
    switch (damage) {
    case Damage::RandomBytes:
        bytes = randomBytes(bytes.size(), 1);
        break;
    case Damage::Truncated:
        bytes.truncate(bytes.size() / 2);
        break;
    case Damage::DamagedPages: {
        // Three whole pages of garbage, header of page 1 intact: SQLite opens the file happily
        // and only the check at start-up notices.
        const qsizetype first = (bytes.size() / pageSize / 2) * pageSize;
        bytes.replace(first, 3 * pageSize, randomBytes(3 * pageSize, 2));
        break;
    }
    }
    QVERIFY(writeFile(path, bytes));

    std::uint16_t newEpoch = 0;
    {
        DeviceKey key = loadKey(dir.path()); // as after a restart
        OutboxStore store;
        const SqliteDatabase::OpenResult result = store.open(path, optionsFor(key));
        QVERIFY2(result.error.isEmpty(), qPrintable(result.error));
        QVERIFY(store.isOpen());
        QVERIFY(!result.corruption.isEmpty());
        qInfo().noquote() << "reported corruption:" << result.corruption;

        // The bad file is kept, byte for byte, under the name the result reports.
        QVERIFY(!result.quarantinedTo.isEmpty());
        QVERIFY2(result.quarantinedTo.startsWith(path + QStringLiteral(".corrupt-")),
                 qPrintable(result.quarantinedTo));
        QCOMPARE(quarantinedFiles(dir.path()), QStringList{QFileInfo(result.quarantinedTo).fileName()});
        QVERIFY(fileBytes(result.quarantinedTo) == bytes);

        // A fresh outbox under a new generation: sequence 1 again, but no intent id repeats.
        QVERIFY(result.created);
        QVERIFY(store.epoch() != old.epoch);
        QVERIFY(store.epoch() > old.epoch);
        QCOMPARE(store.totalCount(), 0);
        for (int i = 0; i < 3; ++i) {
            const OutboxStore::Commit commit = store.commit(claimsFor(key, quint32(i)), signerFor(key));
            QVERIFY2(commit.ok(), qPrintable(commit.error));
            QCOMPARE(commit.intent->claims.epoch, store.epoch());
            QCOMPARE(commit.intent->claims.sequence, std::uint32_t(i + 1));
            QVERIFY(!old.intentIds.contains(commit.intent->claims.intentId()));
            const TokenVerification verified =
                RegistrationToken::verify(commit.intent->token, lookupFor(key), nowWholeSeconds());
            QVERIFY(verified.ok());
            QVERIFY(store.findByToken(commit.intent->token).has_value());
        }
        QCOMPARE(store.totalCount(), 3);
        newEpoch = store.epoch();
    }

    // The replacement is sound: the next start neither quarantines again nor changes generation.
    DeviceKey key = loadKey(dir.path());
    OutboxStore reopened;
    const SqliteDatabase::OpenResult again = reopened.open(path, optionsFor(key));
    QVERIFY2(again.error.isEmpty(), qPrintable(again.error));
    QVERIFY(again.quarantinedTo.isEmpty());
    QVERIFY(again.corruption.isEmpty());
    QCOMPARE(reopened.epoch(), newEpoch);
    QCOMPARE(reopened.totalCount(), 3);
    QCOMPARE(quarantinedFiles(dir.path()).size(), 1);
}

void OutboxCorruptionTest::walOfACorruptOutboxIsKeptBesideIt()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("outbox.db"));
    fillOutbox(dir.path(), path);
    QByteArray wal;
    {
        // The latest commits live in the WAL until a checkpoint; copy it while it holds them.
        DeviceKey key = loadKey(dir.path());
        OutboxStore store;
        QVERIFY(store.open(path, optionsFor(key)).error.isEmpty());
        for (int i = 0; i < 20; ++i)
            QVERIFY(store.commit(claimsFor(key, quint32(i)), signerFor(key)).ok());
        wal = fileBytes(path + QStringLiteral("-wal"));
    }
    QVERIFY(!wal.isEmpty());
    const QByteArray bad = randomBytes(fileBytes(path).size(), 3);
    QVERIFY(writeFile(path, bad));
    QVERIFY(writeFile(path + QStringLiteral("-wal"), wal));

    DeviceKey key = loadKey(dir.path());
    OutboxStore store;
    const SqliteDatabase::OpenResult result = store.open(path, optionsFor(key));
    QVERIFY2(result.error.isEmpty(), qPrintable(result.error));
    QVERIFY(!result.quarantinedTo.isEmpty());
    // Regression: a writer connection's checkpoint-on-close used to copy the WAL into the corrupt
    // file and delete it; the read-only inspection now finds corruption before any writer opens.
    QVERIFY(fileBytes(result.quarantinedTo) == bad);
    QVERIFY(fileBytes(result.quarantinedTo + QStringLiteral("-wal")) == wal);
    QVERIFY(!result.corruption.isEmpty());
    const OutboxStore::Commit commit = store.commit(claimsFor(key, 1), signerFor(key));
    QVERIFY2(commit.ok(), qPrintable(commit.error));
    QCOMPARE(commit.intent->claims.sequence, 1u);
    QCOMPARE(store.totalCount(), 1); // the old WAL was not replayed into the new outbox
}

void OutboxCorruptionTest::quarantinesInTheSameSecondKeepEveryFile()
{
    static const QRegularExpression stampPattern(QStringLiteral("\\.corrupt-(\\d{8}T\\d{6}Z)"));
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("outbox.db"));
    DeviceKey key = loadKey(dir.path());

    // Three corrupt files in a row, started at the beginning of a second so that all three
    // quarantines carry the same time stamp. Retried if the machine is too slow for that.
    for (int attempt = 0; attempt < 5; ++attempt) {
        for (const QString &name : quarantinedFiles(dir.path()))
            QVERIFY(QFile::remove(dir.filePath(name)));
        while (QDateTime::currentMSecsSinceEpoch() % 1000 > 50)
            QThread::msleep(5);

        QStringList kept;
        QList<QByteArray> contents;
        for (int n = 0; n < 3; ++n) {
            contents << randomBytes(8192, quint32(10 + n));
            QVERIFY(writeFile(path, contents.last()));
            QFile::remove(path + QStringLiteral("-wal"));
            QFile::remove(path + QStringLiteral("-shm"));
            OutboxStore store;
            const SqliteDatabase::OpenResult result = store.open(path, optionsFor(key));
            QVERIFY2(result.error.isEmpty(), qPrintable(result.error));
            QVERIFY(!result.quarantinedTo.isEmpty());
            kept << result.quarantinedTo;
        }
        QSet<QString> stamps;
        for (const QString &file : std::as_const(kept))
            stamps.insert(stampPattern.match(file).captured(1));
        if (stamps.size() != 1) {
            qInfo() << "quarantines spanned a second boundary, retrying:" << kept;
            continue;
        }

        QCOMPARE(QSet<QString>(kept.cbegin(), kept.cend()).size(), 3);
        QCOMPARE(quarantinedFiles(dir.path()).size(), 3);
        for (int n = 0; n < 3; ++n)
            QVERIFY2(fileBytes(kept.at(n)) == contents.at(n), qPrintable(kept.at(n)));
        return;
    }
    QFAIL("could not run three quarantines within one second");
}

QTEST_GUILESS_MAIN(OutboxCorruptionTest)
#include "outboxcorruptiontest.moc"
