#include "catalog.h"
#include "demoregistrations.h"
#include "kiosksession.h"
#include "ndeflink.h"
#include "ntag21x.h"
#include "registrationservice.h"
#include "simnfcdevice.h"
#include "staffmode.h"
#include "syncindicator.h"

#include <QLoggingCategory>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace poptap;

namespace {
QStringList g_messages;
void recordMessage(QtMsgType, const QMessageLogContext &, const QString &message)
{
    g_messages << message;
}
} // namespace

// Staff mode with the `sim` reader: who opens it, what shoppers see of it (nothing), and
// writing POP stickers and entering the enrollment code from it.
class StaffModeTest : public QObject
{
    Q_OBJECT

    const QByteArray m_staffUid = QByteArray::fromHex("04A23B1C5D8000");
    const QByteArray m_strangerUid = QByteArray::fromHex("04A23B1C5D8001");
    const QString m_popLink = QStringLiteral("https://liff.line.me/2001234567-PopTapDm/p/7001");

    QTemporaryDir m_dir;
    Catalog m_catalog;
    StaffCards m_cards;
    std::unique_ptr<RegistrationService> m_registrations;
    std::unique_ptr<SimNfcDevice> m_nfc;
    std::unique_ptr<KioskSession> m_session;
    std::unique_ptr<SyncIndicator> m_sync;
    std::unique_ptr<StaffMode> m_staff;

    void makeStaffMode(std::chrono::milliseconds idle = std::chrono::seconds(60), const QString &linkTemplate = {})
    {
        m_staff.reset(); // QML sees one instance at a time
        m_staff = std::make_unique<StaffMode>(m_nfc.get(), m_session.get(), m_sync.get(), m_cards,
                                              StaffMode::Settings{idle, linkTemplate, QStringLiteral("9.9.9")});
    }
    void openWithStaffCard()
    {
        QVERIFY(m_nfc->simulateCard(m_staffUid));
        QVERIFY(m_staff->isActive());
    }
    void setSync(sync::SyncStatus::State state, const QString &detail = {}, const QString &deviceId = {})
    {
        sync::SyncStatus status;
        status.state = state;
        status.detail = detail;
        status.deviceId = deviceId;
        m_sync->setStatus(status);
    }

private Q_SLOTS:
    void initTestCase()
    {
        test::DemoRegistrations demo = test::startDemoRegistrations(m_dir.path());
        QVERIFY2(demo.error.isEmpty(), qPrintable(demo.error));
        m_catalog = demo.catalog;
        m_registrations = std::move(demo.registrations);
        QVERIFY(m_catalog.pop(7001));
        m_cards = StaffCards({StaffCards::makeEntry(m_staffUid, StaffCards::randomSalt())});
    }

    void init()
    {
        m_nfc = std::make_unique<SimNfcDevice>();
        m_session = std::make_unique<KioskSession>(m_registrations.get(), m_nfc.get(), KioskSession::Timeouts{60, 60, 8});
        m_session->setCatalog(m_catalog, QUrl(QStringLiteral("qrc:/logos/")));
        m_sync = std::make_unique<SyncIndicator>(nullptr);
        makeStaffMode();
    }
    void cleanup()
    {
        m_staff.reset();
        m_sync.reset();
        m_session.reset();
        m_nfc.reset();
    }

    void aStaffCardOpensStaffModeOverTheAttractScreen()
    {
        QSignalSpy opened(m_staff.get(), &StaffMode::activeChanged);
        QVERIFY(m_nfc->simulateCard(m_staffUid));
        QVERIFY(m_staff->isActive());
        QCOMPARE(opened.size(), 1);
        QCOMPARE(m_staff->opens(), 1);
        QCOMPARE(m_session->screen(), KioskSession::Screen::Attract); // underneath, untouched
        QCOMPARE(m_staff->pops()->rowCount(), 5);
        QCOMPARE(m_staff->version(), QStringLiteral("9.9.9"));

        m_staff->exit();
        QVERIFY(!m_staff->isActive());
        QCOMPARE(opened.size(), 2);
    }

    void anUnknownCardDoesNothingVisibleAndLogsNoUid()
    {
        QLoggingCategory::setFilterRules(QStringLiteral("poptap.staff.debug=true"));
        g_messages.clear();
        const QtMessageHandler previous = qInstallMessageHandler(recordMessage);
        QSignalSpy changed(m_staff.get(), &StaffMode::activeChanged);
        QSignalSpy screen(m_session.get(), &KioskSession::screenChanged);
        QVERIFY(m_nfc->simulateCard(m_strangerUid));
        QVERIFY(m_nfc->simulateCard(m_strangerUid.left(4)));
        qInstallMessageHandler(previous);
        QLoggingCategory::setFilterRules(QString());

        QVERIFY(!m_staff->isActive());
        QCOMPARE(changed.size(), 0);
        QCOMPARE(screen.size(), 0);
        QCOMPARE(m_staff->unknownCards(), 2);
        QCOMPARE(m_staff->opens(), 0);
        // A debug line each, for whoever wonders why nothing happened; none names the card.
        QCOMPARE(g_messages.filter(QStringLiteral("not a staff card")).size(), 2);
        for (const QString &message : std::as_const(g_messages)) {
            for (const QByteArray &uid : {m_strangerUid, m_strangerUid.left(4)})
                for (const QByteArray &hex : {uid.toHex(), uid.toHex().toUpper(), uid.toHex(':'), uid.toHex(':').toUpper()})
                    QVERIFY2(!message.contains(QString::fromLatin1(hex)), qPrintable(message));
        }
    }

    void aStaffCardIsIgnoredWhileAShopperIsThere()
    {
        // The code is on screen: the reader serves it, and no card is read at all.
        m_session->start();
        QVERIFY(m_session->selectBrand(7));
        QTRY_COMPARE(m_session->screen(), KioskSession::Screen::Code);
        QVERIFY(!m_nfc->simulateCard(m_staffUid));
        // Should a reader report one anyway, staff mode still stays closed.
        Q_EMIT m_nfc->cardPresented(m_staffUid, {});
        QVERIFY(!m_staff->isActive());
        // On the brand grid nothing is served and the reader reads, but a shopper is choosing.
        m_session->cancel();
        QCOMPARE(m_session->screen(), KioskSession::Screen::BrandGrid);
        QVERIFY(m_nfc->simulateCard(m_staffUid));
        QVERIFY(!m_staff->isActive());
        QCOMPARE(m_staff->unknownCards(), 0); // not judged at all: no derivation for a shopper's card
        m_session->backToAttract();
        openWithStaffCard();
    }

    void aShopperSessionTakesTheScreenBack()
    {
        openWithStaffCard();
        m_session->start();
        QVERIFY(!m_staff->isActive());
    }

    void writesAPopStickerWithItsStaticLink()
    {
        openWithStaffCard();
        QSignalSpy counters(m_staff.get(), &StaffMode::countersChanged);
        QVERIFY(m_staff->writePop(7001));
        QCOMPARE(m_staff->writeState(), StaffMode::WriteState::Waiting);
        QCOMPARE(m_staff->writingLink(), m_popLink);
        QCOMPARE(m_staff->writingBrandNameEn(), QStringLiteral("Hanabi Denim"));
        QCOMPARE(toString(m_nfc->status()), QStringLiteral("writing"));
        QVERIFY(!m_nfc->simulateCard(m_staffUid)); // the reader writes now; it reads no card

        const QByteArray memory = m_nfc->simulateBlankSticker(nfc::NtagType::Ntag213);
        QCOMPARE(m_staff->writeState(), StaffMode::WriteState::Written);
        QCOMPARE(m_staff->lastWrittenLink(), m_popLink);
        QCOMPARE(m_staff->lastWrittenTagType(), QStringLiteral("NTAG213"));
        QVERIFY(!m_staff->lastWrittenLocked());
        QCOMPARE(m_staff->stickersWritten(), 1);
        QCOMPARE(counters.size(), 1);
        // What a phone reads off the sticker.
        const nfc::NdefFromTag ndef = nfc::ndefFromType2Memory(memory);
        QVERIFY2(ndef.error.isEmpty(), qPrintable(ndef.error));
        QCOMPARE(decodeNdefUri(ndef.message).text, m_popLink);

        m_staff->dismissWriteResult();
        QCOMPARE(m_staff->writeState(), StaffMode::WriteState::Idle);
        QCOMPARE(toString(m_nfc->status()), QStringLiteral("reading"));
    }

    void aFailedWriteSaysWhyAndCanBeTriedAgain()
    {
        openWithStaffCard();
        QVERIFY(m_staff->writePop(7003));
        Q_EMIT m_nfc->tagWriteFailed(QStringLiteral("the sticker was taken away before the read-back"));
        QCOMPARE(m_staff->writeState(), StaffMode::WriteState::Failed);
        QCOMPARE(m_staff->writeReason(), QStringLiteral("the sticker was taken away before the read-back"));
        QCOMPARE(m_staff->writingPopId(), 7003); // for "try again"
        QCOMPARE(m_staff->stickersWritten(), 0);

        QVERIFY(m_staff->writePop(m_staff->writingPopId()));
        QCOMPARE(m_staff->writeState(), StaffMode::WriteState::Waiting);
        QVERIFY(!m_nfc->simulateBlankSticker(nfc::NtagType::Ntag216).isEmpty());
        QCOMPARE(m_staff->writeState(), StaffMode::WriteState::Written);
        QCOMPARE(m_staff->lastWrittenTagType(), QStringLiteral("NTAG216"));
    }

    void aCancelledWriteWritesNothing()
    {
        openWithStaffCard();
        QVERIFY(m_staff->writePop(7002));
        m_staff->cancelWrite();
        QCOMPARE(m_staff->writeState(), StaffMode::WriteState::Idle);
        QCOMPARE(toString(m_nfc->status()), QStringLiteral("reading"));
        QVERIFY(m_nfc->simulateBlankSticker(nfc::NtagType::Ntag213).isEmpty()); // nothing pending
        QCOMPARE(m_staff->stickersWritten(), 0);

        // Leaving staff mode cancels a write too: no sticker is written behind a shopper's back.
        QVERIFY(m_staff->writePop(7002));
        m_staff->exit();
        QCOMPARE(toString(m_nfc->status()), QStringLiteral("reading"));
        QVERIFY(m_nfc->simulateBlankSticker(nfc::NtagType::Ntag213).isEmpty());
    }

    void unknownPopsAndClosedStaffModeWriteNothing()
    {
        QVERIFY(!m_staff->writePop(7001)); // not open
        openWithStaffCard();
        QTest::ignoreMessage(QtWarningMsg, QRegularExpression("no POP 9999"));
        QVERIFY(!m_staff->writePop(9999));
        QCOMPARE(m_staff->writeState(), StaffMode::WriteState::Idle);
        QCOMPARE(toString(m_nfc->status()), QStringLiteral("reading"));
    }

    void thePermanentLockIsAskedForTwice()
    {
        openWithStaffCard();
        m_staff->confirmPermanentLock(); // a confirmation nobody asked for
        QVERIFY(!m_staff->permanentLock());

        m_staff->requestPermanentLock(); // the switch
        QVERIFY(m_staff->lockConfirmationPending());
        QVERIFY(!m_staff->permanentLock());
        QVERIFY(m_staff->writePop(7001));
        QVERIFY(!m_staff->writingLocks()); // asked once is not enough
        m_staff->cancelWrite();

        m_staff->declinePermanentLock(); // "keep unlocked"
        QVERIFY(!m_staff->lockConfirmationPending());
        QVERIFY(!m_staff->permanentLock());

        m_staff->requestPermanentLock();
        m_staff->confirmPermanentLock(); // "lock permanently"
        QVERIFY(m_staff->permanentLock());
        QVERIFY(m_staff->writePop(7001));
        QVERIFY(m_staff->writingLocks());
        QVERIFY(!m_nfc->simulateBlankSticker(nfc::NtagType::Ntag213).isEmpty());
        QVERIFY(m_staff->lastWrittenLocked());

        // Off again for the next visit.
        m_staff->exit();
        openWithStaffCard();
        QVERIFY(!m_staff->permanentLock());
        QVERIFY(!m_staff->lockConfirmationPending());
    }

    void closesAfterAMinuteWithoutATouch()
    {
        makeStaffMode(std::chrono::milliseconds(300));
        openWithStaffCard();
        for (int i = 0; i < 6; ++i) { // touches keep it open
            QTest::qWait(100);
            m_staff->noteActivity();
        }
        QVERIFY(m_staff->isActive());
        QVERIFY(m_staff->writePop(7001));
        QTRY_VERIFY_WITH_TIMEOUT(!m_staff->isActive(), 2000);
        QCOMPARE(toString(m_nfc->status()), QStringLiteral("reading")); // its write went with it
        QCOMPARE(m_session->screen(), KioskSession::Screen::Attract);
    }

    void stickersNeedTheLiffFlow()
    {
        makeStaffMode(std::chrono::seconds(60), QStringLiteral("oamessage")); // kiosk.conf's link-template
        QCOMPARE(m_staff->popLinkProblem(), StaffMode::PopLinkProblem::NotLiff);
        openWithStaffCard();
        QTest::ignoreMessage(QtWarningMsg, QRegularExpression("cannot be written: POP stickers need the LIFF"));
        QVERIFY(!m_staff->writePop(7001));
        QCOMPARE(toString(m_nfc->status()), QStringLiteral("reading"));

        // A catalog's own template counts too, and a new catalog is seen at once.
        makeStaffMode();
        QCOMPARE(m_staff->popLinkProblem(), StaffMode::PopLinkProblem::None);
        Catalog friendOnly = m_catalog;
        friendOnly.link.linkTemplate = QStringLiteral("friend");
        friendOnly.pops.removeLast();
        m_session->setCatalog(friendOnly, QUrl(QStringLiteral("qrc:/logos/")));
        QCOMPARE(m_staff->popLinkProblem(), StaffMode::PopLinkProblem::NotLiff);
        QCOMPARE(m_staff->pops()->rowCount(), 4);
    }

    void popsAreGroupedByBrandInDisplayOrder()
    {
        const PopListModel *pops = m_staff->pops();
        QList<std::pair<qint64, qint64>> rows; // (brand, pop)
        for (int i = 0; i < pops->rowCount(); ++i) {
            const QModelIndex index = pops->index(i);
            rows.append({pops->data(index, PopListModel::BrandIdRole).toLongLong(),
                         pops->data(index, PopListModel::PopIdRole).toLongLong()});
        }
        // Kikyo (order 10), Aizome (20), Yamabiko (40, two POPs), Hanabi (90).
        QCOMPARE(rows, (QList<std::pair<qint64, qint64>>{{4, 7002}, {2, 7005}, {7, 7003}, {7, 7004}, {9, 7001}}));
        QCOMPARE(pops->data(pops->index(0), PopListModel::BrandNameJaRole).toString(), QStringLiteral("キキョウ ボタニクス"));
        QCOMPARE(pops->data(pops->index(1), PopListModel::LabelRole).toString(), QString());
    }

    void anEnrollmentCodeGoesToTheSyncEngineAndItsAnswerIsShown()
    {
        QSignalSpy requested(m_staff.get(), &StaffMode::enrollmentRequested);
        setSync(sync::SyncStatus::State::Off);
        openWithStaffCard();
        QVERIFY(!m_staff->canEnroll()); // no delivery service: nothing to enroll with
        QVERIFY(!m_staff->submitEnrollmentCode(QStringLiteral("7KQ2-M9XD-4PRT-W3HF")));

        setSync(sync::SyncStatus::State::NotEnrolled, QStringLiteral("no enrollment code yet"));
        QVERIFY(m_staff->canEnroll());
        QVERIFY(!m_staff->submitEnrollmentCode(QStringLiteral("hello")));
        QCOMPARE(m_staff->enrollmentState(), StaffMode::EnrollmentState::Malformed);
        QCOMPARE(requested.size(), 0);

        QVERIFY(m_staff->submitEnrollmentCode(QStringLiteral("7kq2 m9xd 4prt w3hf")));
        QCOMPARE(m_staff->enrollmentState(), StaffMode::EnrollmentState::Submitted);
        QCOMPARE(requested.size(), 1);
        QCOMPARE(requested.first().first().toString(), QStringLiteral("7KQ2-M9XD-4PRT-W3HF"));

        setSync(sync::SyncStatus::State::Enrolling);
        setSync(sync::SyncStatus::State::EnrollmentRefused, QStringLiteral("404 enrollment_code_unknown: no such enrollment code"));
        QCOMPARE(m_staff->enrollmentState(), StaffMode::EnrollmentState::Refused);
        QCOMPARE(m_staff->enrollmentReason(), QStringLiteral("404 enrollment_code_unknown: no such enrollment code"));

        // A new code: the refusal still showing is not its answer.
        QVERIFY(m_staff->submitEnrollmentCode(QStringLiteral("AAAA-BBBB-CCCC-DDDD")));
        setSync(sync::SyncStatus::State::EnrollmentRefused, QStringLiteral("an older refusal, repeated"));
        QCOMPARE(m_staff->enrollmentState(), StaffMode::EnrollmentState::Submitted);
        setSync(sync::SyncStatus::State::Enrolling);
        setSync(sync::SyncStatus::State::Syncing, {}, QStringLiteral("dev-0001"));
        QCOMPARE(m_staff->enrollmentState(), StaffMode::EnrollmentState::Enrolled);
        QVERIFY(!m_staff->canEnroll());

        m_staff->exit(); // the next visit starts clean
        openWithStaffCard();
        QCOMPARE(m_staff->enrollmentState(), StaffMode::EnrollmentState::Idle);
    }
};

QTEST_GUILESS_MAIN(StaffModeTest)
#include "staffmodetest.moc"
