// The real kiosk binary with its real NFC backend: `--nfc libnfc:pn532_uart:<pty>` on the
// PN532 simulator. A shopper picks a brand, the QR code goes on screen, a phone tapped on
// the kiosk reads the NDEF link, and the kiosk moves on to "check your phone".
#include "kioskprocess.h"
#include "pn532simulator.h"
#include "screenqr.h"

#include <QElapsedTimer>
#include <QImage>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using namespace poptap::test;
using namespace std::chrono_literals;
namespace sim = poptap::pn532sim;

namespace {

constexpr int kScreenWaitMs = 10000;
constexpr int kReaderWaitMs = 5000;
constexpr int kBrandId = 7; // Yamabiko Mountain, in the demo catalog

} // namespace

class KioskNfcTest : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    std::unique_ptr<sim::Pn532Simulator> m_sim;
    std::unique_ptr<KioskProcess> m_kiosk;

    QJsonObject nfcState() { return m_kiosk->state().value(QLatin1String("nfc")).toObject(); }
    QString nfcStatus() { return nfcState().value(QLatin1String("status")).toString(); }
    QString fail(const QString &what) const { return what + QLatin1Char('\n') + m_kiosk->diagnostics(); }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_sim = std::make_unique<sim::Pn532Simulator>(m_dir.path());
        QVERIFY2(m_sim->isPlugged(), qPrintable(m_sim->errorString()));
        m_kiosk = std::make_unique<KioskProcess>(QStringList{QStringLiteral("--nfc"), QStringLiteral("libnfc:") + m_sim->connstring()});
        QVERIFY2(m_kiosk->start(), qPrintable(m_kiosk->errorString()));
        QVERIFY2(m_kiosk->waitForScreen(QStringLiteral("Attract"), kScreenWaitMs), qPrintable(fail(m_kiosk->errorString())));
        QTRY_COMPARE_WITH_TIMEOUT(nfcStatus(), QStringLiteral("reading"), kReaderWaitMs);
    }

    void cleanupTestCase()
    {
        if (m_kiosk) {
            QVERIFY2(m_kiosk->isRunning(), qPrintable(fail(QStringLiteral("the kiosk exited during the tests"))));
            m_kiosk->stop();
        }
    }

    void aPhoneTappedOnTheKioskReadsTheQrCodesLink()
    {
        const QJsonObject reply = m_kiosk->call(KioskProcess::command("selectBrand", {{QStringLiteral("brandId"), kBrandId}}));
        QVERIFY2(reply.value(QLatin1String("ok")).toBool(), qPrintable(fail(reply.value(QLatin1String("error")).toString())));
        QVERIFY2(m_kiosk->waitForScreen(QStringLiteral("Code"), kScreenWaitMs), qPrintable(fail(m_kiosk->errorString())));
        QTRY_COMPARE_WITH_TIMEOUT(nfcStatus(), QStringLiteral("serving"), kReaderWaitMs);
        QVERIFY(m_sim->waitForPendingCommand(0x8C, 3s));

        const QString shotPath = m_kiosk->tempPath(QStringLiteral("code.png"));
        QVERIFY(m_kiosk->call(KioskProcess::command("screenshot", {{QStringLiteral("path"), shotPath}}))
                    .value(QLatin1String("ok")).toBool());
        const ScreenQr qr = decodeScreenQr(QImage(shotPath));
        QVERIFY2(qr.found, "no QR code in the screenshot of the code screen");
        QCOMPARE(nfcState().value(QLatin1String("servedLink")).toString(), qr.text);

        sim::PhoneScript phone = sim::PhoneScript::isoDep();
        phone.discoveryTimeout = 4s;
        const sim::PhoneResult read = m_sim->tapPhone(phone);
        QVERIFY2(read.completed, qPrintable(fail(read.error)));
        QCOMPARE(read.uri.toString(QUrl::FullyEncoded), qr.text);

        QVERIFY2(m_kiosk->waitForScreen(QStringLiteral("Done"), kScreenWaitMs), qPrintable(fail(m_kiosk->errorString())));
        QCOMPARE(m_kiosk->state().value(QLatin1String("phoneReads")).toInt(), 1);
        // Off the screen, off the air: the reader goes back to looking for staff cards.
        QTRY_COMPARE_WITH_TIMEOUT(nfcStatus(), QStringLiteral("reading"), kReaderWaitMs);
        QCOMPARE(nfcState().value(QLatin1String("servedLink")).toString(), QString());
    }

    void theReaderUnpluggedAndPluggedBackNeedsNoRestart()
    {
        m_sim->unplug();
        QTRY_COMPARE_WITH_TIMEOUT(nfcStatus(), QStringLiteral("absent"), kReaderWaitMs);
        QVERIFY(!nfcState().value(QLatin1String("reason")).toString().isEmpty());
        QTest::qWait(1000);
        QVERIFY(m_sim->replug());
        QElapsedTimer back;
        back.start();
        QTRY_COMPARE_WITH_TIMEOUT(nfcStatus(), QStringLiteral("reading"), kReaderWaitMs);
        qInfo("the kiosk's reader was back %lld ms after the replug", back.elapsed());
        QVERIFY(m_kiosk->isRunning());
    }
};

QTEST_MAIN(KioskNfcTest)
#include "kiosknfctest.moc"
