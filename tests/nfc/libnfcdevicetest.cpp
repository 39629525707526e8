// The kiosk's libnfc backend end to end: LibnfcDevice → the real libnfc pn532_uart driver →
// a pseudo-terminal → the PN532 simulator → a simulated phone or card with its own,
// spec-following reader side.
#include "libnfcdevice.h"
#include "ndeflink.h"
#include "ntag21x.h"
#include "pn532simulator.h"

#include <QElapsedTimer>
#include <QEventLoop>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

#include <future>
#include <memory>

using namespace poptap;
using namespace std::chrono_literals;
namespace sim = poptap::pn532sim;

namespace {

const QUrl kLink(QStringLiteral("https://liff.line.me/2001234567-PopTapDm/r/EZjqTKwAAQAAAAEAAAAHawKRZBipNkj5Ir8uv-El"));
const QUrl kOtherLink(QStringLiteral("https://liff.line.me/2001234567-PopTapDm/r/EZjqTKwAAQAAAAEAAAAIawKRZBipNkj5Ir8uv-Em"));
const QUrl kPopLink(QStringLiteral("https://liff.line.me/2001234567-PopTapDm/p/7001"));
constexpr int kReadyWithinMs = 5000;

sim::PhoneScript patientPhone()
{
    sim::PhoneScript script = sim::PhoneScript::isoDep();
    script.discoveryTimeout = 4s;
    return script;
}

} // namespace

class LibnfcDeviceTest : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    std::unique_ptr<sim::Pn532Simulator> m_sim;
    std::unique_ptr<LibnfcDevice> m_nfc;

    void openDevice(LibnfcReader::Emulation emulation = LibnfcReader::Emulation::Type4)
    {
        LibnfcDevice::Options options;
        options.connstring = m_sim->connstring().toLatin1();
        options.emulation = emulation;
        m_nfc = std::make_unique<LibnfcDevice>(options);
        QTRY_VERIFY_WITH_TIMEOUT(m_nfc->status() == NfcDevice::Status::Reading, kReadyWithinMs);
    }

    // Serving has begun once the chip waits in TgInitAsTarget for a phone.
    void waitUntilServing()
    {
        QTRY_VERIFY(m_nfc->status() == NfcDevice::Status::Serving);
        QVERIFY(m_sim->waitForPendingCommand(0x8C, 3s));
    }

    // Unlike QTRY_*, which sleeps between rounds, a blocked event loop handles a posted
    // event the moment it arrives, as the kiosk's does.
    static bool waitInEventLoop(const std::future<sim::PhoneResult> &future, std::chrono::milliseconds timeout)
    {
        QEventLoop loop;
        QTimer poll;
        QElapsedTimer waited;
        waited.start();
        poll.callOnTimeout([&] {
            if (future.wait_for(0s) == std::future_status::ready || waited.elapsed() > timeout.count())
                loop.quit();
        });
        poll.start(5);
        loop.exec();
        return future.wait_for(0s) == std::future_status::ready;
    }

private Q_SLOTS:
    void init()
    {
        QVERIFY(m_dir.isValid());
        m_sim = std::make_unique<sim::Pn532Simulator>(m_dir.path());
        QVERIFY2(m_sim->isPlugged(), qPrintable(m_sim->errorString()));
    }

    void cleanup()
    {
        m_nfc.reset();
        m_sim.reset();
    }

    void opensThePn532AndLooksForCards()
    {
        openDevice();
        QVERIFY(m_nfc->canEmulate());
        QCOMPARE(m_nfc->backendName(), QStringLiteral("libnfc:") + m_sim->connstring());
        QVERIFY(m_sim->samConfigured());
    }

    void aPhoneReadsExactlyTheServedLink_data()
    {
        QTest::addColumn<int>("application");
        QTest::newRow("mapping 2.0") << int(sim::PhoneScript::NdefApplication::V2);
        QTest::newRow("mapping 1.0") << int(sim::PhoneScript::NdefApplication::V1);
    }
    void aPhoneReadsExactlyTheServedLink()
    {
        QFETCH(int, application);
        openDevice();
        QSignalSpy reads(m_nfc.get(), &NfcDevice::linkRead);
        m_nfc->serveLink(kLink);
        waitUntilServing();
        sim::PhoneScript script = patientPhone();
        script.application = sim::PhoneScript::NdefApplication(application);
        const sim::PhoneResult phone = m_sim->tapPhone(script);
        QVERIFY2(phone.completed, qPrintable(phone.error));
        QCOMPARE(phone.uri, kLink);
        QCOMPARE(phone.ndefMessage, encodeNdefUri(kLink));
        QCOMPARE(phone.recordCount, 1);
        QCOMPARE(phone.capabilityContainer.at(2), char(application == int(sim::PhoneScript::NdefApplication::V1) ? 0x10 : 0x20));
        QTRY_COMPARE(reads.size(), 1);
        QCOMPARE(reads.first().first().toUrl(), kLink);
    }

    void theTagServesPhoneAfterPhone()
    {
        openDevice();
        QSignalSpy reads(m_nfc.get(), &NfcDevice::linkRead);
        m_nfc->serveLink(kLink);
        waitUntilServing();
        for (int i = 0; i < 3; ++i) {
            const sim::PhoneResult phone = m_sim->tapPhone(patientPhone());
            QVERIFY2(phone.completed, qPrintable(QStringLiteral("phone %1: %2").arg(i).arg(phone.error)));
            QCOMPARE(phone.uri, kLink);
        }
        QTRY_COMPARE(reads.size(), 3);
    }

    // The kiosk leaves the code screen, and so stops serving, the moment it hears that the
    // link was read. That must never cut off the answer carrying the link's last bytes: the
    // read is reported only once that answer has gone out. The event loop runs during the
    // tap so that the stop comes as early as it would in the kiosk.
    void stoppingOnTheReadStillGivesThePhoneTheWholeLink()
    {
        openDevice();
        QSignalSpy reads(m_nfc.get(), &NfcDevice::linkRead);
        connect(m_nfc.get(), &NfcDevice::linkRead, m_nfc.get(), &NfcDevice::stopServing);
        for (int phoneNumber = 1; phoneNumber <= 10; ++phoneNumber) {
            m_nfc->serveLink(kLink);
            waitUntilServing();
            std::future<sim::PhoneResult> tap = m_sim->bringPhone(patientPhone());
            QVERIFY(waitInEventLoop(tap, 10s));
            const sim::PhoneResult phone = tap.get();
            QVERIFY2(phone.completed, qPrintable(QStringLiteral("phone %1: %2").arg(phoneNumber).arg(phone.error)));
            QCOMPARE(phone.uri, kLink);
            QTRY_COMPARE(reads.size(), phoneNumber);
            QTRY_VERIFY(m_nfc->status() == NfcDevice::Status::Reading);
        }
    }

    void misbehavingPhonesGetStatusWordsAndTheLoopGoesOn()
    {
        openDevice();
        QSignalSpy reads(m_nfc.get(), &NfcDevice::linkRead);
        m_nfc->serveLink(kLink);
        waitUntilServing();

        sim::PhoneScript hostile = patientPhone();
        hostile.strayCommands.insert(sim::PhoneScript::Step::Start, QByteArray::fromHex("ffca000000"));
        hostile.strayCommands.insert(sim::PhoneScript::Step::BeforeReadMessage, QByteArray::fromHex("00b0ffff10"));
        hostile.strayCommands.insert(sim::PhoneScript::Step::BeforeReadMessage, QByteArray::fromHex("01"));
        hostile.readPastEnd = true;
        hostile.attemptUpdate = true;
        const sim::PhoneResult phone = m_sim->tapPhone(hostile);
        QVERIFY2(phone.completed, qPrintable(phone.error));
        QCOMPARE(phone.uri, kLink);
        QVERIFY(!phone.updateAccepted); // the served tag is read-only
        for (const sim::PhoneExchange &exchange : phone.exchanges)
            QVERIFY2(exchange.answered && exchange.response.size() >= 2, exchange.command.toHex().constData());

        // A phone that leaves in the middle of the read gets no link, and is not counted.
        sim::PhoneScript leaving = patientPhone();
        leaving.leaveAfterCommands = 4;
        const sim::PhoneResult gone = m_sim->tapPhone(leaving);
        QVERIFY(!gone.completed);

        // Odd Le values still read the whole link.
        sim::PhoneScript oddLe = patientPhone();
        oddLe.readLe = 7;
        const sim::PhoneResult small = m_sim->tapPhone(oddLe);
        QVERIFY2(small.completed, qPrintable(small.error));
        QCOMPARE(small.uri, kLink);
        QTRY_COMPARE(reads.size(), 2);
        QTest::qWait(300);
        QCOMPARE(reads.size(), 2);
    }

    void aLinkTakenOffTheScreenIsNeverServed()
    {
        openDevice();
        QSignalSpy reads(m_nfc.get(), &NfcDevice::linkRead);
        m_nfc->serveLink(kLink);
        waitUntilServing();
        m_nfc->stopServing();
        QVERIFY(m_nfc->servedLink().isEmpty());
        QTRY_VERIFY(m_nfc->status() == NfcDevice::Status::Reading);
        sim::PhoneScript quick = patientPhone();
        quick.discoveryTimeout = 1500ms;
        const sim::PhoneResult nothing = m_sim->tapPhone(quick);
        QVERIFY(!nothing.completed);
        QVERIFY(nothing.ndefMessage.isEmpty());

        // The next link replaces the old one at once: a phone never sees the old one again.
        m_nfc->serveLink(kLink);
        waitUntilServing();
        m_sim->clearCommandLog();
        m_nfc->serveLink(kOtherLink);
        // The old emulation is aborted and a new one set up; a phone that came in between
        // would get nothing rather than the old link.
        QVERIFY(m_sim->waitForCommandCount(0x8C, 1, 3s));
        QVERIFY(m_sim->waitForPendingCommand(0x8C, 3s));
        const sim::PhoneResult phone = m_sim->tapPhone(patientPhone());
        QVERIFY2(phone.completed, qPrintable(phone.error));
        QCOMPARE(phone.uri, kOtherLink);
        QTRY_COMPARE(reads.size(), 1);
        QCOMPARE(reads.first().first().toUrl(), kOtherLink);
    }

    void aStaffCardIsReportedOncePerPresentation()
    {
        openDevice();
        QSignalSpy cards(m_nfc.get(), &NfcDevice::cardPresented);
        const QByteArray uid = QByteArray::fromHex("a1b2c3d4");
        m_sim->placeCard(uid);
        QTRY_COMPARE_WITH_TIMEOUT(cards.size(), 1, kReadyWithinMs);
        QCOMPARE(cards.first().at(0).toByteArray(), uid);
        QCOMPARE(cards.first().at(1).toByteArray(), QByteArray()); // no NDEF on a MIFARE Classic
        QTest::qWait(2000); // still lying there: several polls, one presentation
        QCOMPARE(cards.size(), 1);
        m_sim->removeTarget();
        QTest::qWait(1000);
        m_sim->placeCard(uid);
        QTRY_COMPARE_WITH_TIMEOUT(cards.size(), 2, kReadyWithinMs);
    }

    void aWrittenStickerIsReadBackByTheReader()
    {
        openDevice();
        QSignalSpy written(m_nfc.get(), &NfcDevice::tagWritten);
        QSignalSpy failed(m_nfc.get(), &NfcDevice::tagWriteFailed);
        QSignalSpy cards(m_nfc.get(), &NfcDevice::cardPresented);
        m_nfc->writeTag(kPopLink, false);
        QTRY_VERIFY(m_nfc->status() == NfcDevice::Status::Writing);
        const QByteArray uid = QByteArray::fromHex("04112233445566");
        m_sim->placeNtag(sim::NtagType::Ntag213, uid);
        QTRY_COMPARE_WITH_TIMEOUT(written.size() + failed.size(), 1, kReadyWithinMs);
        QVERIFY2(failed.isEmpty(), failed.isEmpty() ? "" : qPrintable(failed.first().first().toString()));
        QCOMPARE(written.first().at(0).toUrl(), kPopLink);
        QCOMPARE(written.first().at(1).toString(), QStringLiteral("NTAG213"));
        const nfc::NdefFromTag onTag = nfc::ndefFromType2Memory(m_sim->tagMemory());
        QVERIFY2(onTag.error.isEmpty(), qPrintable(onTag.error));
        QCOMPARE(decodeNdefUri(onTag.message).link, kPopLink);
        QVERIFY(!m_sim->tagLockState().capabilityContainerLocked);

        QTRY_VERIFY(m_nfc->status() == NfcDevice::Status::Reading);
        QTest::qWait(500); // the sticker still lying there is the same presentation, not a new card
        QCOMPARE(cards.size(), 0);
    }

    void aLockedStickerHasItsCapabilityContainerReadOnly()
    {
        openDevice();
        QSignalSpy written(m_nfc.get(), &NfcDevice::tagWritten);
        QSignalSpy failed(m_nfc.get(), &NfcDevice::tagWriteFailed);
        m_nfc->writeTag(kPopLink, true);
        m_sim->placeNtag(sim::NtagType::Ntag215, QByteArray::fromHex("04a0a1a2a3a4a5"));
        QTRY_COMPARE_WITH_TIMEOUT(written.size() + failed.size(), 1, kReadyWithinMs);
        QVERIFY2(failed.isEmpty(), failed.isEmpty() ? "" : qPrintable(failed.first().first().toString()));
        QVERIFY(written.first().at(2).toBool());
        const sim::NtagLockState lock = m_sim->tagLockState();
        QVERIFY(lock.capabilityContainerLocked);
        QCOMPARE(quint8(m_sim->tagMemory().at(3 * 4 + 3)), quint8(0x0F));

    }

    void aTooLongLinkFailsWithTheReason()
    {
        openDevice();
        QSignalSpy failed(m_nfc.get(), &NfcDevice::tagWriteFailed);
        m_nfc->writeTag(QUrl(QStringLiteral("https://liff.line.me/2001234567-PopTapDm/p/") + QString(200, QLatin1Char('7'))), false);
        m_sim->placeNtag(sim::NtagType::Ntag213, QByteArray::fromHex("04010203040506"));
        QTRY_COMPARE_WITH_TIMEOUT(failed.size(), 1, kReadyWithinMs);
        QVERIFY2(failed.first().first().toString().contains(QLatin1String("144")),
                 qPrintable(failed.first().first().toString()));
    }

    void unpluggedAndReplugged()
    {
        openDevice();
        m_nfc->serveLink(kLink);
        waitUntilServing();
        m_sim->unplug();
        QTRY_VERIFY_WITH_TIMEOUT(m_nfc->status() == NfcDevice::Status::Absent, kReadyWithinMs);
        QVERIFY(!m_nfc->statusReason().isEmpty());
        QTest::qWait(1500); // a few reopen attempts fail meanwhile
        QVERIFY(m_nfc->status() == NfcDevice::Status::Absent);
        QVERIFY(m_sim->replug());
        QElapsedTimer back;
        back.start();
        // The link is still on screen: the reader comes back serving it.
        QTRY_VERIFY_WITH_TIMEOUT(m_nfc->status() == NfcDevice::Status::Serving, kReadyWithinMs);
        qInfo("back serving %lld ms after the replug", back.elapsed());
        QVERIFY(m_sim->samConfigured());
        QVERIFY(m_sim->waitForPendingCommand(0x8C, 3s));
        const sim::PhoneResult phone = m_sim->tapPhone(patientPhone());
        QVERIFY2(phone.completed, qPrintable(phone.error));
        QCOMPARE(phone.uri, kLink);
    }

    void feliCaEmulationServesTheLinkAsAType3Tag()
    {
        openDevice(LibnfcReader::Emulation::FeliCa);
        QSignalSpy reads(m_nfc.get(), &NfcDevice::linkRead);
        m_nfc->serveLink(kLink);
        waitUntilServing();
        sim::PhoneScript script = sim::PhoneScript::feliCa();
        script.discoveryTimeout = 4s;
        const sim::PhoneResult phone = m_sim->tapPhone(script);
        QVERIFY2(phone.completed, qPrintable(phone.error));
        QCOMPARE(phone.uri, kLink);
        QCOMPARE(phone.uid.left(2), QByteArray::fromHex("02fe"));
        QTRY_COMPARE(reads.size(), 1);
    }
};

QTEST_GUILESS_MAIN(LibnfcDeviceTest)
#include "libnfcdevicetest.moc"
