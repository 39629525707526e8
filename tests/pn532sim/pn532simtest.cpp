// The real libnfc pn532_uart driver against the simulated PN532 on a pty: opening,
// reading and writing NTAG21x stickers, staff cards, polling and aborting, card emulation
// read by scripted phones (well-behaved and not), unplug/replug, noise on the line, and
// the frame protocol itself from a raw host.

#include "libnfctesting.h"
#include "pn532simulator.h"
#include "rawhost.h"

#include <QElapsedTimer>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>
#include <future>
#include <memory>

using namespace poptap::pn532sim;
using namespace pn532simtesting;
using namespace std::chrono_literals;

Q_DECLARE_METATYPE(poptap::pn532sim::PhoneScript)
Q_DECLARE_METATYPE(poptap::pn532sim::NtagType)

namespace {

const QByteArray ntagUid = QByteArray::fromHex("04A1B2C3D4E5F6");
const QUrl servedLink(QStringLiteral("https://liff.line.me/1657000000-AbCdEfGh/r/Tk3f9a2QxZ7pLm0Vb8Rc"));

constexpr quint8 cmdSamConfiguration = 0x14;
constexpr quint8 cmdInAutoPoll = 0x60;
constexpr quint8 cmdInListPassiveTarget = 0x4A;
constexpr quint8 cmdTgInitAsTarget = 0x8C;
constexpr quint8 cmdTgGetData = 0x86;
constexpr quint8 cmdTgSetData = 0x8E;

nfc_modulation typeA()
{
    nfc_modulation modulation;
    modulation.nmt = NMT_ISO14443A;
    modulation.nbr = NBR_106;
    return modulation;
}

QByteArray uidOf(const nfc_target &target)
{
    return QByteArray(reinterpret_cast<const char *>(target.nti.nai.abtUid), qsizetype(target.nti.nai.szUidLen));
}

QByteArray atqaOf(const nfc_target &target)
{
    return QByteArray(reinterpret_cast<const char *>(target.nti.nai.abtAtqa), 2);
}

// One command to the selected card; `result` gets libnfc's return value.
QByteArray transceive(nfc_device *device, const QByteArray &command, int *result = nullptr)
{
    uint8_t rx[264];
    const int res = nfc_initiator_transceive_bytes(device, reinterpret_cast<const uint8_t *>(command.constData()),
                                                   size_t(command.size()), rx, sizeof rx, 500);
    if (result)
        *result = res;
    return res < 0 ? QByteArray() : QByteArray(reinterpret_cast<const char *>(rx), res);
}

struct PollOutcome {
    int result = 0;
    nfc_target target = {};
};

// nfc_initiator_poll_target (InAutoPoll on a PN532) in a thread of its own.
std::future<PollOutcome> pollInBackground(nfc_device *device, quint8 pollNr, quint8 period)
{
    return std::async(std::launch::async, [=] {
        const nfc_modulation modulations[] = {typeA()};
        PollOutcome outcome;
        outcome.result = nfc_initiator_poll_target(device, modulations, 1, pollNr, period, &outcome.target);
        return outcome;
    });
}

QString describe(const PhoneResult &result)
{
    QString text = result.error;
    for (const PhoneExchange &exchange : result.exchanges)
        text += QStringLiteral("\n  > %1\n  < %2")
                    .arg(QString::fromLatin1(exchange.command.toHex(' ')),
                         exchange.answered ? QString::fromLatin1(exchange.response.toHex(' ')) : QStringLiteral("(none)"));
    return text;
}

const CommandRecord *lastRecord(const QList<CommandRecord> &log, quint8 code)
{
    for (auto it = log.crbegin(); it != log.crend(); ++it) {
        if (it->code == code)
            return &*it;
    }
    return nullptr;
}

} // namespace

class Pn532SimTest : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();
    void init();
    void cleanup();

    void openIdentifiesPn532();
    void selectsNtagAndReadsFactoryMemory();
    void ntagTypesHaveTheirGeometry_data();
    void ntagTypesHaveTheirGeometry();
    void writesPagesAndHonoursLocks();
    void plainCardReportsItsUid_data();
    void plainCardReportsItsUid();
    void removedTagIsNoLongerPresent();
    void selectWithoutCardWaitsForTheHostTimeout();
    void pollGivesUpAfterThePollTime();
    void pollAnswersWhenATagArrives();
    void abortInterruptsAPendingPoll();
    void phoneReadsEmulatedType4Tag();
    void phoneUsesVersion1Application();
    void misbehavingPhoneDoesNotStopTheLink_data();
    void misbehavingPhoneDoesNotStopTheLink();
    void largeApdusTravelInExtendedFrames();
    void listeningTimesOutAndListensAgain();
    void phoneFindsNoTagWhenNobodyEmulates();
    void felicaPhoneReadsEmulatedType3Tag();
    void unplugFailsCallsAndReplugRecovers();
    void unplugEndsABlockedPoll();
    void strayBytesOnTheLineAreSkipped();
    void rawHostSpeaksTheFrameProtocol();

private:
    NfcDevicePtr openDevice() { return pn532simtesting::openDevice(m_context.get(), m_sim->connstring()); }
    NfcDevicePtr openInitiator(nfc_target *selected = nullptr);

    NfcContextPtr m_context;
    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<Pn532Simulator> m_sim;
};

void Pn532SimTest::initTestCase()
{
    // libnfc logs expected failures (unplugged port, aborted commands) to stderr; keep the
    // output readable unless someone asks for the log.
    if (!qEnvironmentVariableIsSet("LIBNFC_LOG_LEVEL"))
        qputenv("LIBNFC_LOG_LEVEL", "0");
    nfc_context *context = nullptr;
    nfc_init(&context);
    QVERIFY(context);
    m_context.reset(context);
}

void Pn532SimTest::cleanupTestCase()
{
    m_context.reset();
}

void Pn532SimTest::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    m_sim = std::make_unique<Pn532Simulator>(m_dir->path());
    QVERIFY2(m_sim->isPlugged(), qPrintable(m_sim->errorString()));
}

void Pn532SimTest::cleanup()
{
    m_sim.reset();
    m_dir.reset();
}

NfcDevicePtr Pn532SimTest::openInitiator(nfc_target *selected)
{
    NfcDevicePtr device = openDevice();
    if (!device || nfc_initiator_init(device.get()) < 0)
        return nullptr;
    if (selected && nfc_initiator_select_passive_target(device.get(), typeA(), nullptr, 0, selected) != 1)
        return nullptr;
    return device;
}

void Pn532SimTest::openIdentifiesPn532()
{
    NfcDevicePtr device = openDevice();
    QVERIFY(device);
    QCOMPARE(QString::fromLocal8Bit(nfc_device_get_name(device.get())), QStringLiteral("pn532_uart:") + m_sim->devicePath());
    char *information = nullptr;
    QVERIFY(nfc_device_get_information_about(device.get(), &information) >= 0);
    const QString text = QString::fromLatin1(information);
    nfc_free(information);
    QVERIFY2(text.contains(QLatin1String("chip: PN532 v1.6")), qPrintable(text));

    // The chip starts in Low VBat: libnfc wakes it with SAMConfiguration first.
    const QList<CommandRecord> log = m_sim->commandLog();
    QVERIFY(log.size() >= 4);
    QCOMPARE(log[0].code, quint8(0x14)); // SAMConfiguration, normal mode
    QCOMPARE(log[0].parameters, QByteArray::fromHex("01"));
    QCOMPARE(log[1].code, quint8(0x00)); // Diagnose: communication line test
    QCOMPARE(log[1].parameters, QByteArray("\x00libnfc", 7));
    QCOMPARE(log[2].code, quint8(0x02)); // GetFirmwareVersion
    QCOMPARE(log[3].code, quint8(0x12)); // SetParameters
    QVERIFY(m_sim->samConfigured());
    QVERIFY(m_sim->powerState() == PowerState::Normal);
}

void Pn532SimTest::selectsNtagAndReadsFactoryMemory()
{
    m_sim->placeNtag(NtagType::Ntag213, ntagUid);
    nfc_target target;
    NfcDevicePtr device = openInitiator(&target);
    QVERIFY(device);
    QCOMPARE(uidOf(target), ntagUid);
    QCOMPARE(atqaOf(target), QByteArray::fromHex("0044"));
    QCOMPARE(target.nti.nai.btSak, uint8_t(0x00));

    const QByteArray first = transceive(device.get(), QByteArray::fromHex("3000"));
    QCOMPARE(first, m_sim->tagPages(0, 4));
    QCOMPARE(quint8(first[3]), quint8(0x88 ^ 0x04 ^ 0xA1 ^ 0xB2)); // BCC0
    QCOMPARE(quint8(first[8]), quint8(0xC3 ^ 0xD4 ^ 0xE5 ^ 0xF6)); // BCC1
    QCOMPARE(first.mid(12, 4), QByteArray::fromHex("E1101200"));   // CC of an NTAG213
    QCOMPARE(transceive(device.get(), QByteArray::fromHex("3004")).left(4), QByteArray::fromHex("0300FE00"));

    // Pages 2Bh (PWD) and 2Ch (PACK) read as zeros, then the read rolls over to page 0.
    const QByteArray rolled = transceive(device.get(), QByteArray::fromHex("302B"));
    QCOMPARE(rolled, QByteArray(8, '\0') + m_sim->tagPages(0, 2));

    int result = 0;
    transceive(device.get(), QByteArray::fromHex("302D"), &result);
    QCOMPARE(result, NFC_ERFTRANS); // the tag's NAK

    QCOMPARE(transceive(device.get(), QByteArray::fromHex("60")), QByteArray::fromHex("0004040201000F03"));
    QCOMPARE(transceive(device.get(), QByteArray::fromHex("3A0405")), m_sim->tagPages(4, 2)); // FAST_READ
}

void Pn532SimTest::ntagTypesHaveTheirGeometry_data()
{
    QTest::addColumn<NtagType>("type");
    QTest::addColumn<quint8>("storage");
    QTest::addColumn<quint8>("ccSize");
    QTest::addColumn<int>("pages");
    QTest::newRow("NTAG213") << NtagType::Ntag213 << quint8(0x0F) << quint8(0x12) << 45;
    QTest::newRow("NTAG215") << NtagType::Ntag215 << quint8(0x11) << quint8(0x3E) << 135;
    QTest::newRow("NTAG216") << NtagType::Ntag216 << quint8(0x13) << quint8(0x6D) << 231;
}

void Pn532SimTest::ntagTypesHaveTheirGeometry()
{
    QFETCH(NtagType, type);
    QFETCH(quint8, storage);
    QFETCH(quint8, ccSize);
    QFETCH(int, pages);
    m_sim->placeNtag(type, ntagUid);
    nfc_target target;
    NfcDevicePtr device = openInitiator(&target);
    QVERIFY(device);
    QCOMPARE(quint8(transceive(device.get(), QByteArray::fromHex("60")).at(6)), storage);
    QCOMPARE(quint8(transceive(device.get(), QByteArray::fromHex("3003")).at(2)), ccSize);
    QCOMPARE(m_sim->tagMemory().size(), pages * 4);
    // The configuration pages sit at the end: dynamic lock bytes, CFG0 (AUTH0 = FFh), CFG1.
    QCOMPARE(m_sim->tagPages(pages - 5, 3), QByteArray::fromHex("000000BD040000FF00050000"));
    int result = 0;
    QCOMPARE(transceive(device.get(), QByteArray(1, '\x30') + char(pages - 1), &result).size(), 16);
    transceive(device.get(), QByteArray(1, '\x30') + char(pages), &result);
    QCOMPARE(result, NFC_ERFTRANS);
}

void Pn532SimTest::writesPagesAndHonoursLocks()
{
    m_sim->placeNtag(NtagType::Ntag213, ntagUid);
    nfc_target target;
    NfcDevicePtr device = openInitiator(&target);
    QVERIFY(device);
    nfc_device *dev = device.get();
    int result = -1;

    transceive(dev, QByteArray::fromHex("A204D1010A55"), &result);
    QCOMPARE(result, 0); // the tag's ACK: no data
    QCOMPARE(m_sim->tagPages(4, 1), QByteArray::fromHex("D1010A55"));

    const QByteArray serial = m_sim->tagPages(0, 2);
    transceive(dev, QByteArray::fromHex("A20000000000"), &result);
    QCOMPARE(result, NFC_ERFTRANS); // UID pages are read-only
    QCOMPARE(m_sim->tagPages(0, 2), serial);

    // The capability container is one-time programmable: bits are OR'ed, never cleared.
    transceive(dev, QByteArray::fromHex("A2030000000F"), &result);
    QCOMPARE(result, 0);
    transceive(dev, QByteArray::fromHex("A203E1101200"), &result);
    QCOMPARE(m_sim->tagPages(3, 1), QByteArray::fromHex("E110120F"));

    // Static lock bits L4..L7 (lock byte 0, bits 4-7).
    transceive(dev, QByteArray::fromHex("A2020000F000"), &result);
    QCOMPARE(result, 0);
    transceive(dev, QByteArray::fromHex("A20511223344"), &result);
    QCOMPARE(result, NFC_ERFTRANS);
    QCOMPARE(m_sim->tagPages(5, 1), QByteArray(4, '\0'));
    transceive(dev, QByteArray::fromHex("A20811223344"), &result);
    QCOMPARE(result, 0);

    // Dynamic lock bit 0 of an NTAG213 locks pages 16-17.
    transceive(dev, QByteArray::fromHex("A22801000000"), &result);
    QCOMPARE(result, 0);
    transceive(dev, QByteArray::fromHex("A21011223344"), &result);
    QCOMPARE(result, NFC_ERFTRANS);
    transceive(dev, QByteArray::fromHex("A21211223344"), &result);
    QCOMPARE(result, 0);

    // L-CC makes the CC read-only.
    transceive(dev, QByteArray::fromHex("A20200000800"), &result);
    transceive(dev, QByteArray::fromHex("A203000000FF"), &result);
    QCOMPARE(result, NFC_ERFTRANS);

    const NtagLockState lock = m_sim->tagLockState();
    QCOMPARE(lock.staticLock, QByteArray::fromHex("F800"));
    QCOMPARE(lock.dynamicLock, QByteArray::fromHex("010000"));
    QVERIFY(lock.capabilityContainerLocked);
    for (int page : {0, 1, 3, 4, 5, 6, 7, 16, 17})
        QVERIFY2(lock.readOnlyPages.contains(page), qPrintable(QString::number(page)));
    for (int page : {2, 8, 15, 18, 39})
        QVERIFY2(!lock.readOnlyPages.contains(page), qPrintable(QString::number(page)));
}

void Pn532SimTest::plainCardReportsItsUid_data()
{
    QTest::addColumn<QByteArray>("uid");
    QTest::addColumn<QByteArray>("atqa");
    QTest::newRow("4-byte UID") << QByteArray::fromHex("DEADBEEF") << QByteArray::fromHex("0004");
    QTest::newRow("7-byte UID") << QByteArray::fromHex("04112233445566") << QByteArray::fromHex("0044");
}

void Pn532SimTest::plainCardReportsItsUid()
{
    QFETCH(QByteArray, uid);
    QFETCH(QByteArray, atqa);
    m_sim->placeCard(uid);
    nfc_target target;
    NfcDevicePtr device = openInitiator(&target);
    QVERIFY(device);
    QCOMPARE(uidOf(target), uid);
    QCOMPARE(atqaOf(target), atqa);
    QCOMPARE(target.nti.nai.btSak, uint8_t(0x08));
    // libnfc checks a MIFARE Classic's presence by selecting its UID again
    // (InListPassiveTarget with InitiatorData, one try).
    QCOMPARE(nfc_initiator_target_is_present(device.get(), nullptr), NFC_SUCCESS);
    m_sim->placeCard(QByteArray::fromHex("01020304"));
    QCOMPARE(nfc_initiator_target_is_present(device.get(), nullptr), NFC_ETGRELEASED);
}

void Pn532SimTest::removedTagIsNoLongerPresent()
{
    m_sim->placeNtag(NtagType::Ntag215, ntagUid);
    nfc_target target;
    NfcDevicePtr device = openInitiator(&target);
    QVERIFY(device);
    QCOMPARE(nfc_initiator_target_is_present(device.get(), nullptr), NFC_SUCCESS);
    m_sim->removeTarget();
    // libnfc pings an NTAG with READ 0; the PN532 reports the RF timeout (status 01h).
    QCOMPARE(nfc_initiator_target_is_present(device.get(), nullptr), NFC_ETGRELEASED);
    int result = 0;
    transceive(device.get(), QByteArray::fromHex("3000"), &result);
    QCOMPARE(result, NFC_ERFTRANS);
}

void Pn532SimTest::selectWithoutCardWaitsForTheHostTimeout()
{
    NfcDevicePtr device = openInitiator();
    QVERIFY(device);
    // nfc_initiator_init asks for endless activation retries: InListPassiveTarget runs
    // until libnfc's own 300 ms timeout, and the chip is still looking afterwards.
    QElapsedTimer timer;
    timer.start();
    nfc_target target;
    QCOMPARE(nfc_initiator_select_passive_target(device.get(), typeA(), nullptr, 0, &target), NFC_ETIMEOUT);
    QVERIFY(timer.elapsed() >= 290);
    QVERIFY(m_sim->pendingCommand() == cmdInListPassiveTarget);

    // Listing lowers the retry count first (RFConfiguration), which supersedes the search;
    // then an empty field answers NbTg = 0 at once.
    nfc_target found[2];
    timer.restart();
    QCOMPARE(nfc_initiator_list_passive_targets(device.get(), typeA(), found, 2), 0);
    QVERIFY2(timer.elapsed() < 250, qPrintable(QString::number(timer.elapsed())));
    const QList<CommandRecord> log = m_sim->commandLog();
    const auto firstSearch = std::find_if(log.begin(), log.end(), [](const CommandRecord &record) {
        return record.code == cmdInListPassiveTarget;
    });
    QVERIFY(firstSearch != log.end());
    QVERIFY(firstSearch->outcome == CommandRecord::Outcome::Superseded);

    m_sim->placeNtag(NtagType::Ntag213, ntagUid);
    QCOMPARE(nfc_initiator_select_passive_target(device.get(), typeA(), nullptr, 0, &target), 1);
    QCOMPARE(uidOf(target), ntagUid);
}

void Pn532SimTest::pollGivesUpAfterThePollTime()
{
    NfcDevicePtr device = openInitiator();
    QVERIFY(device);
    QElapsedTimer timer;
    timer.start();
    // PollNr 2 × Period 2 × 150 ms.
    const PollOutcome outcome = pollInBackground(device.get(), 2, 2).get();
    QCOMPARE(outcome.result, 0);
    QVERIFY2(timer.elapsed() >= 590, qPrintable(QString::number(timer.elapsed())));
    const QList<CommandRecord> log = m_sim->commandLog();
    const CommandRecord *poll = lastRecord(log, cmdInAutoPoll);
    QVERIFY(poll);
    // libnfc asks for ISO/IEC 14443-4A before MIFARE types (its auto-ATS hack).
    QCOMPARE(poll->parameters, QByteArray::fromHex("02022010"));
    QVERIFY(poll->outcome == CommandRecord::Outcome::Answered);
}

void Pn532SimTest::pollAnswersWhenATagArrives()
{
    NfcDevicePtr device = openInitiator();
    QVERIFY(device);
    std::future<PollOutcome> poll = pollInBackground(device.get(), 0xFF, 2);
    QVERIFY(m_sim->waitForPendingCommand(cmdInAutoPoll, 2s));
    QElapsedTimer timer;
    timer.start();
    m_sim->placeNtag(NtagType::Ntag216, ntagUid);
    QVERIFY(poll.wait_for(2s) == std::future_status::ready);
    QVERIFY2(timer.elapsed() < 1000, qPrintable(QString::number(timer.elapsed())));
    const PollOutcome outcome = poll.get();
    QCOMPARE(outcome.result, 1);
    QCOMPARE(int(outcome.target.nm.nmt), int(NMT_ISO14443A));
    QCOMPARE(uidOf(outcome.target), ntagUid);
    // The polled tag is selected: it can be read straight away.
    QCOMPARE(transceive(device.get(), QByteArray::fromHex("3000")), m_sim->tagPages(0, 4));
}

void Pn532SimTest::abortInterruptsAPendingPoll()
{
    NfcDevicePtr device = openInitiator();
    QVERIFY(device);
    std::future<PollOutcome> poll = pollInBackground(device.get(), 0xFF, 1);
    QVERIFY(m_sim->waitForPendingCommand(cmdInAutoPoll, 2s));
    QElapsedTimer timer;
    timer.start();
    // libnfc's abort reaches a call blocked in uart_receive; repeat in case the first one
    // came between the ACK and the wait for the answer.
    while (poll.wait_for(20ms) != std::future_status::ready && timer.elapsed() < 2000)
        nfc_abort_command(device.get());
    QVERIFY(poll.wait_for(0s) == std::future_status::ready);
    QVERIFY2(timer.elapsed() < 500, qPrintable(QString::number(timer.elapsed())));
    QCOMPARE(poll.get().result, NFC_EOPABORTED);

    // libnfc sent an ACK frame (and returned without waiting for it to arrive): the chip
    // drops the poll and answers the next command.
    const auto pollOutcome = [this] {
        const QList<CommandRecord> log = m_sim->commandLog();
        return lastRecord(log, cmdInAutoPoll)->outcome;
    };
    QTRY_VERIFY_WITH_TIMEOUT(pollOutcome() == CommandRecord::Outcome::Aborted, 1000);
    QCOMPARE(m_sim->lineStats().acksReceived, 1);
    m_sim->placeCard(QByteArray::fromHex("CAFEBABE"));
    nfc_target target;
    QCOMPARE(nfc_initiator_select_passive_target(device.get(), typeA(), nullptr, 0, &target), 1);
    QCOMPARE(uidOf(target), QByteArray::fromHex("CAFEBABE"));
}

void Pn532SimTest::phoneReadsEmulatedType4Tag()
{
    NfcDevicePtr device = openDevice();
    QVERIFY(device);
    Type4Responder responder(device.get(), uriMessage(servedLink));
    responder.start();

    const PhoneResult result = m_sim->tapPhone(PhoneScript::isoDep());
    QVERIFY2(result.completed, qPrintable(describe(result)));
    QCOMPARE(result.uri, servedLink);
    QCOMPARE(result.recordCount, 1);
    QCOMPARE(result.ndefApplicationVersion, 2);
    QCOMPARE(result.uid, QByteArray::fromHex("08123456"));
    QCOMPARE(result.activation.left(5), QByteArray::fromHex("0575339203"));
    QVERIFY(!result.exchanges.isEmpty());
    QCOMPARE(result.exchanges.first().command, QByteArray::fromHex("00A4040007D276000085010100"));
    QCOMPARE(result.capabilityContainer.left(3), QByteArray::fromHex("000F20"));

    // The phone deselected: the next TgGetData got status 29h and the host listens again.
    QVERIFY(m_sim->waitForPendingCommand(cmdTgInitAsTarget, 2s));
    QVERIFY(responder.stop());
    QCOMPARE(responder.sessions(), 1);
    QCOMPARE(responder.sessionEnds().first(), NFC_ETGRELEASED);
    QCOMPARE(m_sim->commandCount(cmdTgGetData), int(result.exchanges.size()) + 1);
    QCOMPARE(m_sim->commandCount(cmdTgSetData), int(result.exchanges.size()));
}

void Pn532SimTest::phoneUsesVersion1Application()
{
    NfcDevicePtr device = openDevice();
    QVERIFY(device);
    Type4Responder responder(device.get(), uriMessage(servedLink));
    responder.start();
    PhoneScript script;
    script.application = PhoneScript::NdefApplication::V1;
    const PhoneResult result = m_sim->tapPhone(script);
    QVERIFY2(result.completed, qPrintable(describe(result)));
    QCOMPARE(result.ndefApplicationVersion, 1);
    QCOMPARE(result.uri, servedLink);
    QCOMPARE(result.exchanges[0].command, QByteArray::fromHex("00A4040007D2760000850100"));
    QCOMPARE(result.exchanges[1].command, QByteArray::fromHex("00A4000002E103"));
}

void Pn532SimTest::misbehavingPhoneDoesNotStopTheLink_data()
{
    QTest::addColumn<PhoneScript>("script");
    QTest::addColumn<bool>("completes");

    PhoneScript probing;
    // What phones send around an NDEF read: a DESFire GetVersion, another AID, garbage.
    probing.strayCommands.insert(PhoneScript::Step::Start, QByteArray::fromHex("9060000000"));
    probing.strayCommands.insert(PhoneScript::Step::Start,
                                 QByteArray::fromHex("00A4040010A000000396564341FFFFFFFFFFFFFFFF00"));
    probing.strayCommands.insert(PhoneScript::Step::BeforeReadMessage, QByteArray::fromHex("FFFF"));
    probing.strayCommands.insert(PhoneScript::Step::BeforeReadMessage, QByteArray::fromHex("00B0FFFF02"));
    QTest::newRow("stray commands") << probing << true;

    PhoneScript pastEnd;
    pastEnd.readPastEnd = true;
    QTest::newRow("read past the end") << pastEnd << true;

    PhoneScript writer;
    writer.attemptUpdate = true;
    QTest::newRow("update attempt") << writer << true;

    PhoneScript tiny;
    tiny.readLe = 1;
    QTest::newRow("one byte per read") << tiny << true;

    PhoneScript greedy;
    greedy.readLe = 256; // Le 00h: more than the tag's MLe allows
    QTest::newRow("Le beyond MLe") << greedy << true;

    PhoneScript leaving;
    leaving.leaveAfterCommands = 4;
    QTest::newRow("leaves mid-read") << leaving << false;

    PhoneScript impatient;
    impatient.leaveAfterCommands = 5;
    impatient.leaveBeforeLastResponse = true;
    QTest::newRow("leaves before an answer") << impatient << false;

    PhoneScript noDeselect;
    noDeselect.deselectAtEnd = false;
    QTest::newRow("leaves without DESELECT") << noDeselect << true;
}

void Pn532SimTest::misbehavingPhoneDoesNotStopTheLink()
{
    QFETCH(PhoneScript, script);
    QFETCH(bool, completes);
    NfcDevicePtr device = openDevice();
    QVERIFY(device);
    Type4Responder responder(device.get(), uriMessage(servedLink));
    responder.start();

    const PhoneResult odd = m_sim->tapPhone(script);
    QVERIFY2(odd.completed == completes, qPrintable(describe(odd)));
    QVERIFY(!odd.updateAccepted);
    if (completes)
        QCOMPARE(odd.uri, servedLink);
    if (script.readPastEnd)
        QCOMPARE(odd.exchanges.last().response, QByteArray::fromHex("6B00"));
    if (script.attemptUpdate)
        QCOMPARE(odd.exchanges.last().response, QByteArray::fromHex("6982"));
    // The host's session ended with libnfc's "target released", and it listens again.
    QVERIFY(m_sim->waitForPendingCommand(cmdTgInitAsTarget, 2s));
    QCOMPARE(responder.sessionEnds(), QList<int>{NFC_ETGRELEASED});
    // Everything the phone sent reached the host, answered or not.
    const QList<QByteArray> seen = responder.commandsSeen();
    for (const PhoneExchange &exchange : odd.exchanges)
        QVERIFY2(seen.contains(exchange.command), qPrintable(QString::fromLatin1(exchange.command.toHex(' '))));

    const PhoneResult next = m_sim->tapPhone(PhoneScript::isoDep());
    QVERIFY2(next.completed, qPrintable(describe(next)));
    QCOMPARE(next.uri, servedLink);
    QVERIFY(m_sim->waitForPendingCommand(cmdTgInitAsTarget, 2s));
    QVERIFY(responder.stop());
    QCOMPARE(responder.sessions(), 2);
}

void Pn532SimTest::largeApdusTravelInExtendedFrames()
{
    NfcDevicePtr device = openDevice();
    QVERIFY(device);
    const QUrl longLink(QStringLiteral("https://liff.line.me/1657000000-AbCdEfGh/r/") + QString(380, QLatin1Char('x')));
    Type4Responder responder(device.get(), uriMessage(longLink));
    responder.start();
    PhoneScript script;
    const QByteArray bigUpdate = QByteArray::fromHex("00D60000FA") + QByteArray(250, 'A');
    script.strayCommands.insert(PhoneScript::Step::Start, bigUpdate);

    const PhoneResult result = m_sim->tapPhone(script);
    QVERIFY2(result.completed, qPrintable(describe(result)));
    QCOMPARE(result.uri, longLink);
    // A 255-byte C-APDU came to the host in TgGetData's extended frame...
    QVERIFY(responder.commandsSeen().contains(bigUpdate));
    // ...and a 257-byte R-APDU went back in TgSetData's.
    QVERIFY(m_sim->lineStats().extendedFrames >= 1);
    QVERIFY(std::any_of(result.exchanges.begin(), result.exchanges.end(),
                        [](const PhoneExchange &e) { return e.response.size() == 257; }));
    QVERIFY(m_sim->waitForPendingCommand(cmdTgInitAsTarget, 2s));
    QVERIFY(responder.stop());
}

void Pn532SimTest::listeningTimesOutAndListensAgain()
{
    NfcDevicePtr device = openDevice();
    QVERIFY(device);
    nfc_target emulated = {};
    emulated.nm.nmt = NMT_ISO14443A;
    emulated.nm.nbr = NBR_UNDEFINED;
    emulated.nti.nai.abtAtqa[1] = 0x04;
    emulated.nti.nai.abtUid[0] = 0x08;
    emulated.nti.nai.szUidLen = 4;
    emulated.nti.nai.btSak = 0x20;
    uint8_t rx[300];
    // No phone: libnfc gives up, releases the target and powers the chip down ...
    QCOMPARE(nfc_target_init(device.get(), &emulated, rx, sizeof rx, 300), NFC_ETIMEOUT);
    QVERIFY(m_sim->powerState() == PowerState::PowerDown);
    // ... and wakes it (SAMConfiguration again) for the next round, which a phone reads.
    const int samBefore = m_sim->commandCount(cmdSamConfiguration);
    Type4Responder responder(device.get(), uriMessage(servedLink));
    responder.start();
    const PhoneResult result = m_sim->tapPhone(PhoneScript::isoDep());
    QVERIFY2(result.completed, qPrintable(describe(result)));
    QVERIFY(m_sim->waitForPendingCommand(cmdTgInitAsTarget, 2s));
    QVERIFY(responder.stop());
    QVERIFY(m_sim->commandCount(cmdSamConfiguration) > samBefore);
}

void Pn532SimTest::phoneFindsNoTagWhenNobodyEmulates()
{
    NfcDevicePtr device = openInitiator();
    QVERIFY(device);
    PhoneScript script;
    script.discoveryTimeout = 200ms;
    const PhoneResult result = m_sim->tapPhone(script);
    QVERIFY(!result.completed);
    QVERIFY2(result.error.contains(QLatin1String("no ISO-DEP tag")), qPrintable(result.error));
    QVERIFY(result.exchanges.isEmpty());
    QCOMPARE(m_sim->commandCount(cmdTgInitAsTarget), 0);
}

void Pn532SimTest::felicaPhoneReadsEmulatedType3Tag()
{
    NfcDevicePtr device = openDevice();
    QVERIFY(device);
    Type3Responder responder(device.get(), uriMessage(servedLink));
    responder.start();
    const PhoneResult result = m_sim->tapPhone(PhoneScript::feliCa());
    QVERIFY2(result.completed, qPrintable(describe(result)));
    QCOMPARE(result.uri, servedLink);
    QCOMPARE(result.uid, Type3Responder::idm());
    // SENSF_RES: LEN, 01, IDm, PMm, system code 12FC.
    QCOMPARE(result.activation.size(), 20);
    QCOMPARE(result.activation.right(2), QByteArray::fromHex("12FC"));
    QVERIFY(m_sim->waitForPendingCommand(cmdTgInitAsTarget, 2s));
    QVERIFY(responder.stop());
    QCOMPARE(responder.sessions(), 1);
    QCOMPARE(responder.sessionEnds().first(), NFC_ETGRELEASED);
    QVERIFY(m_sim->commandCount(0x88) >= 1); // TgGetInitiatorCommand
    QVERIFY(m_sim->commandCount(0x90) >= 2); // TgResponseToInitiator
}

void Pn532SimTest::unplugFailsCallsAndReplugRecovers()
{
    m_sim->placeNtag(NtagType::Ntag213, ntagUid);
    nfc_target target;
    NfcDevicePtr device = openInitiator(&target);
    QVERIFY(device);

    m_sim->unplug();
    QVERIFY(!QFile::exists(m_sim->devicePath()));
    QElapsedTimer timer;
    timer.start();
    int result = 0;
    transceive(device.get(), QByteArray::fromHex("3000"), &result);
    QCOMPARE(result, NFC_EIO);
    device.reset(); // nfc_close on a dead line must not hang
    QVERIFY2(timer.elapsed() < 1000, qPrintable(QString::number(timer.elapsed())));
    QVERIFY(!openDevice());

    m_sim->clearCommandLog();
    QVERIFY(m_sim->replug());
    QVERIFY(m_sim->powerState() == PowerState::LowVbat);
    device = openInitiator(&target);
    QVERIFY(device);
    QCOMPARE(m_sim->commandLog().first().code, cmdSamConfiguration);
    QCOMPARE(uidOf(target), ntagUid);
}

void Pn532SimTest::unplugEndsABlockedPoll()
{
    NfcDevicePtr device = openInitiator();
    QVERIFY(device);
    std::future<PollOutcome> poll = pollInBackground(device.get(), 0xFF, 2);
    QVERIFY(m_sim->waitForPendingCommand(cmdInAutoPoll, 2s));
    m_sim->unplug();
    QVERIFY(poll.wait_for(2s) == std::future_status::ready);
    QCOMPARE(poll.get().result, NFC_EIO);
    QVERIFY(lastRecord(m_sim->commandLog(), cmdInAutoPoll)->outcome == CommandRecord::Outcome::PowerLost);
}

void Pn532SimTest::strayBytesOnTheLineAreSkipped()
{
    m_sim->placeNtag(NtagType::Ntag213, ntagUid);
    NfcDevicePtr device = openInitiator();
    QVERIFY(device);
    const LineStats before = m_sim->lineStats();
    {
        // Noise with a start code and a bad length checksum, then the beginning of a frame
        // that never ends: the host's next frame must still be found.
        RawHost line(m_sim->devicePath());
        QVERIFY(line.isOpen());
        QVERIFY(line.write(QByteArray::fromHex("1337 00FF4299 55 00FF05FBD4")));
    }
    nfc_target target;
    QCOMPARE(nfc_initiator_select_passive_target(device.get(), typeA(), nullptr, 0, &target), 1);
    QCOMPARE(uidOf(target), ntagUid);
    const LineStats after = m_sim->lineStats();
    QVERIFY(after.checksumErrors > before.checksumErrors);
    QVERIFY(after.skippedBytes > before.skippedBytes);
}

void Pn532SimTest::rawHostSpeaksTheFrameProtocol()
{
    RawHost host(m_sim->devicePath());
    QVERIFY(host.isOpen());
    const QByteArray ack = QByteArray::fromHex("0000FF00FF00");

    // Woken from Low VBat: the first byte is lost to the wake-up, the rest is a frame.
    QVERIFY(host.write(QByteArray::fromHex("55550000000000") + RawHost::commandFrame(QByteArray::fromHex("1401"))));
    QCOMPARE(host.read(6, 1000), ack);
    QCOMPARE(host.read(9, 1000), QByteArray::fromHex("0000FF02FED5151600"));

    const QByteArray echo = RawHost::responseFrame(QByteArray::fromHex("0100") + "hi");
    QVERIFY(host.write(RawHost::commandFrame(QByteArray::fromHex("0000") + "hi")));
    QCOMPARE(host.read(6 + int(echo.size()), 1000), ack + echo);
    // NACK: the same answer again, without an ACK.
    QVERIFY(host.write(QByteArray::fromHex("0000FFFF0000")));
    QCOMPARE(host.read(int(echo.size()), 1000), echo);

    // A command the PN532 does not have: ACK, then the syntax error frame.
    QVERIFY(host.write(RawHost::commandFrame(QByteArray::fromHex("18"))));
    QCOMPARE(host.read(14, 1000), ack + QByteArray::fromHex("0000FF01FF7F8100"));

    // A wrong data checksum: no ACK at all ...
    QByteArray broken = RawHost::commandFrame(QByteArray::fromHex("04"));
    broken[broken.size() - 2] = char(broken[broken.size() - 2] + 1);
    QVERIFY(host.write(broken));
    QCOMPARE(host.read(1, 200), QByteArray());
    // ... and a good frame right behind a broken one is still found.
    QVERIFY(host.write(broken + RawHost::commandFrame(QByteArray::fromHex("04"))));
    // GetGeneralStatus: no error, no external field, no target, SAM status 00.
    const QByteArray status = RawHost::responseFrame(QByteArray::fromHex("0500000000"));
    QCOMPARE(host.read(6 + int(status.size()), 1000), ack + status);

    // Extended frames both ways: a 262-byte echo.
    const QByteArray big(262, 'x');
    QVERIFY(host.write(RawHost::commandFrame(QByteArray::fromHex("0000") + big)));
    const QByteArray bigEcho = RawHost::responseFrame(QByteArray::fromHex("0100") + big);
    QCOMPARE(bigEcho.mid(3, 2), QByteArray::fromHex("FFFF"));
    QCOMPARE(host.read(6 + int(bigEcho.size()), 1000), ack + bigEcho);

    const LineStats stats = m_sim->lineStats();
    QCOMPARE(stats.nacksReceived, 1);
    QCOMPARE(stats.errorFramesSent, 1);
    QVERIFY(stats.checksumErrors >= 2);
    QCOMPARE(stats.extendedFrames, 1);
}

QTEST_GUILESS_MAIN(Pn532SimTest)
#include "pn532simtest.moc"
