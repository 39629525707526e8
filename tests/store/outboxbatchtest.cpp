// Upload batches of the outbox: at most N intents under one Idempotency-Key, resent as
// they were after a crash or a lost answer, settled per intent, nothing ever lost.

#include "outboxtesting.h"

#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using namespace poptap;
using namespace poptap::testing;

class OutboxBatchTest : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    std::unique_ptr<DeviceKey> m_key;
    std::unique_ptr<OutboxStore> m_store;

    QString path() const { return m_dir.filePath(QStringLiteral("outbox.db")); }

    void reopen()
    {
        m_store = std::make_unique<OutboxStore>();
        const SqliteDatabase::OpenResult opened = m_store->open(path(), optionsFor(*m_key));
        QVERIFY2(opened.error.isEmpty(), qPrintable(opened.error));
    }

    QStringList commitIntents(int n, const QDateTime &issuedAt = nowWholeSeconds())
    {
        QStringList ids;
        for (int i = 0; i < n; ++i) {
            const OutboxStore::Commit c = m_store->commit(claimsFor(*m_key, quint32(1 + i % 40), RegistrationKind::BrandInterest, issuedAt),
                                                          signerFor(*m_key));
            if (!c.ok())
                qFatal("commit: %s", qPrintable(c.error));
            ids << c.intent->claims.intentId();
        }
        return ids;
    }

    static QStringList idsOf(const OutboxStore::UploadBatch &batch)
    {
        QStringList ids;
        for (const OutboxIntent &i : batch.intents)
            ids << i.claims.intentId();
        return ids;
    }

    static QList<OutboxStore::Verdict> allDelivered(const OutboxStore::UploadBatch &batch)
    {
        QList<OutboxStore::Verdict> verdicts;
        for (const OutboxIntent &i : batch.intents)
            verdicts.append({i.claims.intentId(), true, {}});
        return verdicts;
    }

private Q_SLOTS:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void init()
    {
        QVERIFY(m_dir.isValid());
        m_store.reset();
        QFile::remove(path());
        QFile::remove(path() + QStringLiteral("-wal"));
        QFile::remove(path() + QStringLiteral("-shm"));
        DeviceKey::Load load = DeviceKey::loadOrCreate(m_dir.path());
        QVERIFY2(load.error.isEmpty(), qPrintable(load.error));
        m_key = std::make_unique<DeviceKey>(std::move(load.key));
        reopen();
    }

    void nothingPendingIsAnEmptyBatch()
    {
        const auto batch = m_store->nextBatch(500, "k1", nowWholeSeconds());
        QVERIFY(batch);
        QVERIFY(batch->isEmpty());
        QVERIFY(batch->idempotencyKey.isEmpty());
    }

    void batchesTakeIntentsInOrderAndAtMostTheLimit()
    {
        const QStringList ids = commitIntents(1200);
        const auto first = m_store->nextBatch(500, "k1", nowWholeSeconds());
        QVERIFY(first);
        QCOMPARE(first->idempotencyKey, QByteArray("k1"));
        QCOMPARE(idsOf(*first), ids.mid(0, 500));
        QCOMPARE(m_store->count(OutboxState::Sent), 500);
        QVERIFY(m_store->settleBatch("k1", allDelivered(*first), nowWholeSeconds()));
        const auto second = m_store->nextBatch(500, "k2", nowWholeSeconds());
        QCOMPARE(idsOf(*second), ids.mid(500, 500));
        QVERIFY(m_store->settleBatch("k2", allDelivered(*second), nowWholeSeconds()));
        const auto third = m_store->nextBatch(500, "k3", nowWholeSeconds());
        QCOMPARE(idsOf(*third), ids.mid(1000));
        QVERIFY(m_store->settleBatch("k3", allDelivered(*third), nowWholeSeconds()));
        QCOMPARE(m_store->count(OutboxState::Acknowledged), 1200);
        QVERIFY(m_store->nextBatch(500, "k4", nowWholeSeconds())->isEmpty());
    }

    void aBatchInFlightIsResentWithItsKeyAfterARestart()
    {
        const QStringList ids = commitIntents(30);
        const auto sent = m_store->nextBatch(20, "key-before-crash", nowWholeSeconds());
        QCOMPARE(sent->intents.size(), 20);
        commitIntents(5); // registrations go on while the answer is lost
        reopen();         // power cut
        const auto again = m_store->nextBatch(20, "a-new-key", nowWholeSeconds());
        QCOMPARE(again->idempotencyKey, QByteArray("key-before-crash"));
        QCOMPARE(idsOf(*again), idsOf(*sent));
        // Its tokens are the committed ones, byte for byte.
        for (int i = 0; i < sent->intents.size(); ++i)
            QCOMPARE(again->intents[i].token, sent->intents[i].token);
    }

    void verdictsSettleEachIntent()
    {
        commitIntents(10);
        const auto batch = m_store->nextBatch(10, "k", nowWholeSeconds());
        QList<OutboxStore::Verdict> verdicts = allDelivered(*batch);
        verdicts[3] = {verdicts[3].intentId, false, QStringLiteral("unknown_target")};
        verdicts.removeLast(); // an answer that forgot one: it goes out again
        QVERIFY(m_store->settleBatch("k", verdicts, nowWholeSeconds()));
        QCOMPARE(m_store->count(OutboxState::Acknowledged), 8);
        QCOMPARE(m_store->count(OutboxState::Dead), 1);
        QCOMPARE(m_store->findByToken(batch->intents[3].token)->stateReason, QStringLiteral("unknown_target"));
        QCOMPARE(m_store->count(OutboxState::Pending), 1);
        const auto next = m_store->nextBatch(10, "k2", nowWholeSeconds());
        QCOMPARE(idsOf(*next), QStringList{batch->intents.last().claims.intentId()});
    }

    void verdictsForAnotherBatchChangeNothing()
    {
        commitIntents(3);
        const auto batch = m_store->nextBatch(10, "k", nowWholeSeconds());
        QVERIFY(m_store->settleBatch("other", allDelivered(*batch), nowWholeSeconds()));
        QCOMPARE(m_store->count(OutboxState::Sent), 3);
        QCOMPARE(m_store->count(OutboxState::Acknowledged), 0);
    }

    void aRefusedBatchGoesToTheDeadLetters()
    {
        commitIntents(4);
        m_store->nextBatch(2, "k", nowWholeSeconds());
        QVERIFY(m_store->deadLetterBatch("k", QStringLiteral("400 malformed_request"), nowWholeSeconds()));
        QCOMPARE(m_store->count(OutboxState::Dead), 2);
        QCOMPARE(m_store->count(OutboxState::Pending), 2);
    }

    void backlogCountsWhatTheServiceDoesNotHold()
    {
        const QDateTime old = nowWholeSeconds().addSecs(-3600);
        commitIntents(3, old);
        commitIntents(2);
        auto backlog = m_store->backlog();
        QVERIFY(backlog);
        QCOMPARE(backlog->unsynced, 5);
        QCOMPARE(*backlog->oldestUnsynced, old);
        const auto batch = m_store->nextBatch(3, "k", nowWholeSeconds());
        QCOMPARE(m_store->backlog()->unsynced, 5); // sent is not yet held
        QList<OutboxStore::Verdict> verdicts = allDelivered(*batch);
        verdicts[0].delivered = false;
        verdicts[0].reason = QStringLiteral("bad_signature");
        QVERIFY(m_store->settleBatch("k", verdicts, nowWholeSeconds()));
        backlog = m_store->backlog();
        QCOMPARE(backlog->unsynced, 2);
        QCOMPARE(backlog->dead, 1);
        QVERIFY(*backlog->oldestUnsynced > old);
        m_store->settleBatch(m_store->nextBatch(3, "k2", nowWholeSeconds())->idempotencyKey,
                             allDelivered(*m_store->nextBatch(3, "k2", nowWholeSeconds())), nowWholeSeconds());
        QCOMPARE(m_store->backlog()->unsynced, 0);
        QVERIFY(!m_store->backlog()->oldestUnsynced);
    }
};

QTEST_GUILESS_MAIN(OutboxBatchTest)
#include "outboxbatchtest.moc"
