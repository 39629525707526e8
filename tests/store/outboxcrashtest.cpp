// SIGKILL at random moments, hundreds of times, on the same outbox file: every token
// the writer printed (i.e. every QR code a shopper could have scanned) is still there,
// the file stays sound, and a kill is never mistaken for corruption.

#include "outboxtesting.h"

#include <QProcess>
#include <QRandomGenerator>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>
#include <sys/types.h>

using namespace poptap;
using namespace poptap::testing;

namespace {
constexpr int kRuns = 400;
constexpr int kMaxDelayMs = 40;
} // namespace

class OutboxCrashTest : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void killedWriterLosesNothingAndCorruptsNothing();
};

void OutboxCrashTest::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QVERIFY2(QFileInfo(QStringLiteral(OUTBOX_CRASH_WRITER)).isExecutable(), OUTBOX_CRASH_WRITER);
}

void OutboxCrashTest::killedWriterLosesNothingAndCorruptsNothing()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(QStringLiteral("outbox.db"));

    // A failing run is reproduced with POPTAP_CRASH_SEED=<seed printed below>.
    const quint32 seed = qEnvironmentVariableIsSet("POPTAP_CRASH_SEED")
        ? quint32(qEnvironmentVariableIntValue("POPTAP_CRASH_SEED"))
        : QRandomGenerator::global()->generate();
    qInfo() << "seed" << seed;
    QRandomGenerator random(seed);

    QStringList printed;
    int runsWithoutToken = 0;
    int runsWithTokens = 0;
    for (int run = 0; run < kRuns; ++run) {
        // Even runs count the delay from the start of the process, so they die during start-up,
        // open, migration or the first commits (every tenth at once); odd runs count it from the
        // first printed token, so they die in the middle of steady committing.
        const bool fromFirstCommit = run % 2 == 1;
        const int delayMs = run % 10 == 0 ? 0 : int(random.bounded(kMaxDelayMs + 1));
        QProcess writer;
        writer.start(QStringLiteral(OUTBOX_CRASH_WRITER), {path});
        QVERIFY2(writer.waitForStarted(10000), qPrintable(writer.errorString()));
        if (fromFirstCommit && !writer.waitForReadyRead(10000))
            QFAIL(qPrintable(QStringLiteral("run %1: no token within 10 s: %2")
                                 .arg(run).arg(QString::fromLocal8Bit(writer.readAllStandardError()))));
        if (delayMs > 0)
            QTest::qSleep(delayMs);
        QCOMPARE(::kill(pid_t(writer.processId()), SIGKILL), 0);
        QVERIFY(writer.waitForFinished(10000));
        const QByteArray errors = writer.readAllStandardError();
        // The writer never stops by itself: an exit means it refused to open or commit.
        QVERIFY2(writer.exitStatus() == QProcess::CrashExit,
                 qPrintable(QStringLiteral("run %1 exited with %2: %3")
                                .arg(run).arg(writer.exitCode()).arg(QString::fromLocal8Bit(errors))));
        QVERIFY2(!errors.contains("quarantined"), errors.constData());

        const QByteArray out = writer.readAllStandardOutput();
        // Only whole lines count: a line is printed only after its commit returned.
        const QList<QByteArray> lines = out.left(out.lastIndexOf('\n') + 1).split('\n');
        int tokens = 0;
        for (const QByteArray &line : lines) {
            if (line.isEmpty())
                continue;
            printed << QString::fromLatin1(line);
            ++tokens;
        }
        (tokens ? runsWithTokens : runsWithoutToken)++;
    }
    qInfo().noquote() << kRuns << "kills:" << runsWithoutToken << "before the first commit returned,"
                      << runsWithTokens << "while committing;" << printed.size() << "tokens printed";
    QVERIFY2(runsWithTokens > 0, "no run got as far as committing: the kills tested nothing");
    QVERIFY2(runsWithoutToken > 0, "no run was killed during start-up");
    QCOMPARE(QSet<QString>(printed.cbegin(), printed.cend()).size(), printed.size());

    // A kill never damages the device key either.
    DeviceKey::Load load = DeviceKey::loadOrCreate(dir.path());
    QVERIFY2(load.error.isEmpty(), qPrintable(load.error));
    DeviceKey &key = load.key;

    OutboxStore store;
    const SqliteDatabase::OpenResult opened = store.open(path, optionsFor(key));
    QVERIFY2(opened.error.isEmpty(), qPrintable(opened.error));
    QVERIFY2(opened.quarantinedTo.isEmpty(), qPrintable(opened.corruption));
    QVERIFY(quarantinedFiles(dir.path()).isEmpty());

    for (const QString &token : std::as_const(printed)) {
        const std::optional<OutboxIntent> intent = store.findByToken(token);
        QVERIFY2(intent.has_value(), qPrintable(QStringLiteral("printed token %1 is missing").arg(token)));
        const TokenVerification verified = RegistrationToken::verify(token, lookupFor(key), nowWholeSeconds());
        QVERIFY2(verified.ok(), qPrintable(token));
        QCOMPARE(*verified.claims, intent->claims);
    }

    SideConnection side(path);
    QVERIFY2(side.isOpen(), qPrintable(side.error()));
    QCOMPARE(side.quickCheck(), QStringList{QStringLiteral("ok")});
    const QList<QVariantList> rows =
        side.rows(QStringLiteral("SELECT id, epoch, sequence, token FROM intent ORDER BY id"));
    QVERIFY(rows.size() >= printed.size()); // a kill between commit and print is fine
    QSet<QString> tokens;
    qint64 lastSequence = 0;
    for (const QVariantList &row : rows) {
        QCOMPARE(row.at(1).toInt(), int(store.epoch())); // one generation: nothing was started anew
        const qint64 sequence = row.at(2).toLongLong();
        QVERIFY2(sequence > lastSequence,
                 qPrintable(QStringLiteral("row %1: sequence %2 after %3").arg(row.at(0).toString()).arg(sequence)
                                .arg(lastSequence)));
        lastSequence = sequence;
        tokens.insert(row.at(3).toString());
    }
    QCOMPARE(tokens.size(), rows.size());
    QVERIFY(side.value(QStringLiteral("SELECT value FROM counter WHERE name = 'sequence'")).toLongLong()
            >= lastSequence);

    // And the outbox takes the next intent right after the last one.
    const OutboxStore::Commit next = store.commit(claimsFor(key, 1), signerFor(key));
    QVERIFY2(next.ok(), qPrintable(next.error));
    QVERIFY(next.intent->claims.sequence > lastSequence);
}

QTEST_GUILESS_MAIN(OutboxCrashTest)
#include "outboxcrashtest.moc"
