#include "catalog.h"
#include "demoregistrations.h"
#include "kiosksession.h"
#include "registrationservice.h"
#include "simnfcdevice.h"

#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace poptap;

class KioskSessionTest : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    std::unique_ptr<RegistrationService> m_registrations;
    std::unique_ptr<SimNfcDevice> m_nfc;
    std::unique_ptr<KioskSession> m_session;
    Catalog m_catalog;

    void makeSession(KioskSession::Timeouts timeouts)
    {
        m_session.reset(); // QML sees one session at a time
        m_session = std::make_unique<KioskSession>(m_registrations.get(), m_nfc.get(), timeouts);
        m_session->setCatalog(m_catalog, QUrl(QStringLiteral("qrc:/logos/")));
    }

private Q_SLOTS:
    void initTestCase()
    {
        test::DemoRegistrations demo = test::startDemoRegistrations(m_dir.path());
        QVERIFY2(demo.error.isEmpty(), qPrintable(demo.error));
        m_catalog = demo.catalog;
        m_registrations = std::move(demo.registrations);
    }

    void init()
    {
        m_nfc = std::make_unique<SimNfcDevice>();
        makeSession({60, 60, 8});
    }
    void cleanup()
    {
        m_session.reset();
        m_nfc.reset();
    }

    void brandSelectionShowsAndServesTheSameDurableLink()
    {
        QCOMPARE(m_session->screen(), KioskSession::Screen::Attract);
        m_session->start();
        QCOMPARE(m_session->screen(), KioskSession::Screen::BrandGrid);
        QVERIFY(m_session->selectBrand(7));
        QVERIFY(m_session->isBusy());
        QTRY_COMPARE(m_session->screen(), KioskSession::Screen::Code);
        QVERIFY(!m_session->isBusy());
        QVERIFY(m_session->link().endsWith(m_session->registration()->token));
        QCOMPARE(m_session->registration()->claims.target, 7u);
        QCOMPARE(m_nfc->servedLink().toString(QUrl::FullyEncoded), m_session->link());
        QCOMPARE(m_session->secondsLeft(), 60);
    }

    void phoneReadMovesToDoneAndStopsServing()
    {
        m_session->start();
        m_session->selectBrand(7);
        QTRY_COMPARE(m_session->screen(), KioskSession::Screen::Code);
        QVERIFY(m_nfc->simulatePhoneRead());
        QCOMPARE(m_session->screen(), KioskSession::Screen::Done);
        QCOMPARE(m_session->phoneReads(), 1);
        QVERIFY(m_nfc->servedLink().isEmpty());
        QCOMPARE(m_session->selectedBrandId(), 7); // the done screen still names the brand
    }

    void cancelStopsServingAtOnce()
    {
        m_session->start();
        m_session->selectBrand(3);
        QTRY_COMPARE(m_session->screen(), KioskSession::Screen::Code);
        m_session->cancel();
        QCOMPARE(m_session->screen(), KioskSession::Screen::BrandGrid);
        QVERIFY(m_session->link().isEmpty());
        QVERIFY(m_nfc->status() == NfcDevice::Status::Reading);
        QVERIFY(!m_nfc->simulatePhoneRead());
    }

    void aLinkThatIsNoLongerShownIsIgnored()
    {
        m_session->start();
        m_session->selectBrand(3);
        QTRY_COMPARE(m_session->screen(), KioskSession::Screen::Code);
        const QUrl stale = m_nfc->servedLink();
        m_session->cancel();
        QTest::ignoreMessage(QtWarningMsg, QRegularExpression("not on screen"));
        Q_EMIT m_nfc->linkRead(stale);
        QCOMPARE(m_session->screen(), KioskSession::Screen::BrandGrid);
        QCOMPARE(m_session->phoneReads(), 0);
    }

    void leavingBeforeTheCommitReturnsShowsNothing()
    {
        m_session->start();
        m_session->selectBrand(3);
        m_session->backToAttract();
        QTest::qWait(200); // the commit finishes on the worker in the meantime
        QCOMPARE(m_session->screen(), KioskSession::Screen::Attract);
        QVERIFY(m_session->link().isEmpty());
        QVERIFY(m_nfc->servedLink().isEmpty());
    }

    void cancelWhileCommittingShowsNothing()
    {
        m_session->start();
        m_session->selectBrand(3);
        m_session->cancel();
        QTest::qWait(200);
        QCOMPARE(m_session->screen(), KioskSession::Screen::BrandGrid);
        QVERIFY(!m_session->isBusy());
        QVERIFY(m_nfc->servedLink().isEmpty());
    }

    void aNewCodeFromTheDoneScreenGetsItsFullCountdown()
    {
        makeSession({60, 60, 1});
        m_session->start();
        m_session->selectBrand(2);
        QTRY_COMPARE(m_session->screen(), KioskSession::Screen::Code);
        QVERIFY(m_nfc->simulatePhoneRead());
        QCOMPARE(m_session->screen(), KioskSession::Screen::Done);
        QVERIFY(m_session->selectBrand(5));
        QTRY_COMPARE(m_session->screen(), KioskSession::Screen::Code);
        QTest::qWait(1500); // past the done timeout
        QCOMPARE(m_session->screen(), KioskSession::Screen::Code);
        QCOMPARE(m_session->selectedBrandId(), 5);
    }

    void doubleTapCreatesOneRegistration()
    {
        QSignalSpy registered(m_registrations.get(), &RegistrationService::registered);
        m_session->start();
        QVERIFY(m_session->selectBrand(1));
        QVERIFY(!m_session->selectBrand(1));
        QTRY_COMPARE(m_session->screen(), KioskSession::Screen::Code);
        QTest::qWait(100);
        QCOMPARE(registered.size(), 1);
    }

    void hiddenOrUnknownBrandsCannotBeChosen()
    {
        m_session->start();
        QTest::ignoreMessage(QtWarningMsg, QRegularExpression("no visible brand 17"));
        QVERIFY(!m_session->selectBrand(17)); // disabled in the demo catalog
        QTest::ignoreMessage(QtWarningMsg, QRegularExpression("no visible brand 9999"));
        QVERIFY(!m_session->selectBrand(9999));
        QCOMPARE(m_session->screen(), KioskSession::Screen::BrandGrid);
    }

    void timeoutsReturnToAttract()
    {
        makeSession({1, 1, 1});
        QSignalSpy back(m_session.get(), &KioskSession::returnedToAttract);
        m_session->start();
        QTRY_COMPARE_WITH_TIMEOUT(m_session->screen(), KioskSession::Screen::Attract, 3000); // idle
        m_session->start();
        m_session->selectBrand(2);
        QTRY_COMPARE(m_session->screen(), KioskSession::Screen::Code);
        QTRY_COMPARE_WITH_TIMEOUT(m_session->screen(), KioskSession::Screen::Attract, 3000); // code countdown
        QVERIFY(m_nfc->servedLink().isEmpty());
        m_session->start();
        m_session->selectBrand(2);
        QTRY_COMPARE(m_session->screen(), KioskSession::Screen::Code);
        m_nfc->simulatePhoneRead();
        QTRY_COMPARE_WITH_TIMEOUT(m_session->screen(), KioskSession::Screen::Attract, 3000); // done
        QCOMPARE(back.size(), 3);
    }

    void activityKeepsTheBrandGridOpen()
    {
        makeSession({1, 60, 8});
        m_session->start();
        for (int i = 0; i < 6; ++i) {
            QTest::qWait(300);
            m_session->noteActivity();
        }
        QCOMPARE(m_session->screen(), KioskSession::Screen::BrandGrid);
        QTRY_COMPARE_WITH_TIMEOUT(m_session->screen(), KioskSession::Screen::Attract, 3000);
    }
};

QTEST_GUILESS_MAIN(KioskSessionTest)
#include "kiosksessiontest.moc"
