// Staff mode in the real kiosk binary: a staff card configured as `poptap-kiosk
// --hash-staff-card` prints it, an unknown card that shoppers never notice, the staff
// screen rendered, a POP sticker written by the sim reader and read back as a phone would,
// the enrollment code typed on the staff screen against the real delivery service (in this
// process, on loopback), and the way back to the shoppers' attract screen.
#include "deliveryserver.h"
#include "deviceregistry.h"
#include "kioskprocess.h"
#include "ndeflink.h"
#include "ntag21x.h"
#include "syncrig.h"
#include "testcatalog.h"

#include <QImage>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

using namespace poptap;
using namespace poptap::test;

namespace {
constexpr int kWaitMs = 30000;
const QString kStaffUid = QStringLiteral("04:A2:3B:1C:5D:80:00");
const QString kStrangerUid = QStringLiteral("04A23B1C5D8001");
constexpr int kBandHeight = 184; // StaffScreen.qml

// Pixels of the staff band's colour (Theme.staffBand) across the top of the screen. No
// shopper screen uses that colour, so it tells the staff screen from the others.
int staffBandPixels(const QImage &screen)
{
    const QColor band(QStringLiteral("#23395d"));
    int count = 0;
    for (int y = 0; y < qMin(kBandHeight, screen.height()); ++y)
        for (int x = 0; x < screen.width(); ++x) {
            const QColor p = screen.pixelColor(x, y);
            count += qAbs(p.red() - band.red()) <= 8 && qAbs(p.green() - band.green()) <= 8
                && qAbs(p.blue() - band.blue()) <= 8;
        }
    return count;
}
} // namespace

class KioskStaffTest : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    synctesting::ServiceUnderTest m_service;
    std::unique_ptr<KioskProcess> m_kiosk;
    QString m_liffId;

    QJsonObject staff() { return m_kiosk->state().value(QLatin1String("staff")).toObject(); }
    QJsonObject ask(const char *cmd, const QJsonObject &fields = {}) { return m_kiosk->call(KioskProcess::command(cmd, fields)); }
    QJsonObject staffAction(const QString &action, QJsonObject fields = {})
    {
        fields.insert(QStringLiteral("action"), action);
        return ask("staff", fields);
    }
    QString fail(const QString &what) const
    {
        return what + QLatin1Char('\n') + QString::fromUtf8(QJsonDocument(m_kiosk->state()).toJson()) + m_kiosk->diagnostics();
    }
    QImage screenshot(const QString &name)
    {
        const QString path = m_kiosk->tempPath(name + QStringLiteral(".png"));
        return ask("screenshot", {{QStringLiteral("path"), path}}).value(QLatin1String("ok")).toBool() ? QImage(path) : QImage();
    }

private Q_SLOTS:
    void initTestCase()
    {
        m_liffId = demoCatalog().value(QLatin1String("link")).toObject().value(QLatin1String("liffId")).toString();
        QCOMPARE(m_service.start(m_dir.path()), QString());

        // The installer's step: the card's entry for kiosk.conf. It needs no display: a
        // platform plugin that does not exist would stop any GUI application.
        QProcess hash;
        QProcessEnvironment env = KioskProcess::environment();
        env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("no-such-platform"));
        hash.setProcessEnvironment(env);
        const QString config = m_dir.filePath(QStringLiteral("hash.conf"));
        QFile file(config);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("[kiosk]\n");
        file.close();
        hash.start(KioskProcess::binaryPath(), {QStringLiteral("--config"), config, QStringLiteral("--hash-staff-card"), kStaffUid});
        QVERIFY(hash.waitForFinished(30000));
        QCOMPARE(hash.exitCode(), 0);
        const QString entry = QString::fromLatin1(hash.readAllStandardOutput()).trimmed();
        QVERIFY2(entry.startsWith(QLatin1String("pbkdf2-sha256$")), qPrintable(entry));
        QVERIFY(!entry.contains(QStringLiteral("04A23B1C5D8000"), Qt::CaseInsensitive));

        m_kiosk = std::make_unique<KioskProcess>(QStringList{
            QStringLiteral("--catalog-seed"), demoCatalogPath(),
            QStringLiteral("--service-url"), m_service.url().toString(),
            QStringLiteral("--heartbeat-interval"), QStringLiteral("10"),
            QStringLiteral("--staff-cards"), entry,
        });
        QVERIFY2(m_kiosk->start(), qPrintable(m_kiosk->diagnostics()));
        QVERIFY(QTest::qWaitFor([&] {
            return m_kiosk->state().value(QLatin1String("sync")).toObject().value(QLatin1String("state")).toString()
                == QLatin1String("not-enrolled");
        }, kWaitMs));
    }

    void cleanupTestCase()
    {
        if (m_kiosk)
            m_kiosk->stop();
    }

    void anUnknownCardChangesNothingShoppersSee()
    {
        QCOMPARE(m_kiosk->screen(), QStringLiteral("Attract"));
        QCOMPARE(staffBandPixels(screenshot(QStringLiteral("attract-before"))), 0);
        QJsonObject reply = ask("card", {{QStringLiteral("uid"), kStrangerUid}});
        QVERIFY2(reply.value(QLatin1String("ok")).toBool(), qPrintable(fail(reply.value(QLatin1String("error")).toString())));
        QTest::qWait(300); // time for anything that should not happen
        const QJsonObject state = m_kiosk->state();
        QCOMPARE(state.value(QLatin1String("screen")).toString(), QStringLiteral("Attract"));
        QCOMPARE(state.value(QLatin1String("staff")).toObject().value(QLatin1String("active")).toBool(), false);
        QCOMPARE(state.value(QLatin1String("staff")).toObject().value(QLatin1String("unknownCards")).toInt(), 1);
        const QImage after = screenshot(QStringLiteral("attract-after-unknown-card"));
        QVERIFY(!after.isNull());
        QCOMPARE(staffBandPixels(after), 0);
        QVERIFY2(!m_kiosk->standardError().contains("04A23B1C5D8001") && !m_kiosk->standardError().contains("04a23b1c5d8001"),
                 "the kiosk logged a card's UID");
    }

    void aStaffCardOverAShoppersCodeGoesUnnoticed()
    {
        QVERIFY(ask("selectBrand", {{QStringLiteral("brandId"), 7}}).value(QLatin1String("ok")).toBool());
        QVERIFY2(m_kiosk->waitForScreen(QStringLiteral("Code"), 5000), qPrintable(fail(m_kiosk->errorString())));
        const QJsonObject reply = ask("card", {{QStringLiteral("uid"), kStaffUid}});
        QVERIFY(!reply.value(QLatin1String("ok")).toBool()); // the reader serves the code; it reads no card
        QVERIFY2(reply.value(QLatin1String("error")).toString().contains(QLatin1String("serving")),
                 qPrintable(reply.value(QLatin1String("error")).toString()));
        QCOMPARE(staff().value(QLatin1String("active")).toBool(), false);
        QVERIFY(ask("back").value(QLatin1String("ok")).toBool());
        QVERIFY(m_kiosk->waitForScreen(QStringLiteral("Attract"), 5000));
    }

    void aStaffCardOpensTheStaffScreen()
    {
        const QJsonObject reply = ask("card", {{QStringLiteral("uid"), kStaffUid}});
        QVERIFY2(reply.value(QLatin1String("ok")).toBool(), qPrintable(fail(reply.value(QLatin1String("error")).toString())));
        const QJsonObject s = staff();
        QVERIFY2(s.value(QLatin1String("active")).toBool(), qPrintable(fail(QStringLiteral("staff mode did not open"))));
        QCOMPARE(s.value(QLatin1String("opens")).toInt(), 1);
        QCOMPARE(s.value(QLatin1String("pops")).toInt(), 5);
        QCOMPARE(s.value(QLatin1String("popLinkProblem")).toString(), QStringLiteral("None"));
        const QImage shot = screenshot(QStringLiteral("staff-ja"));
        QVERIFY(!shot.isNull());
        // The band fills the top of the screen, but for the title and the language toggle.
        const int band = staffBandPixels(shot);
        QVERIFY2(band > shot.width() * kBandHeight / 2, qPrintable(QStringLiteral("%1 band pixels").arg(band)));
        QVERIFY(ask("language", {{QStringLiteral("language"), QStringLiteral("en")}}).value(QLatin1String("ok")).toBool());
        QVERIFY(staffBandPixels(screenshot(QStringLiteral("staff-en"))) > shot.width() * kBandHeight / 2);
    }

    void writesAPopStickerAPhoneCanRead()
    {
        QVERIFY(staff().value(QLatin1String("active")).toBool());
        QJsonObject reply = staffAction(QStringLiteral("writePop"), {{QStringLiteral("popId"), 7001}, {QStringLiteral("lock"), false}});
        QVERIFY2(reply.value(QLatin1String("ok")).toBool(), qPrintable(fail(reply.value(QLatin1String("error")).toString())));
        const QJsonObject waiting = m_kiosk->state();
        QCOMPARE(waiting.value(QLatin1String("staff")).toObject().value(QLatin1String("writeState")).toString(), QStringLiteral("Waiting"));
        QCOMPARE(waiting.value(QLatin1String("nfc")).toObject().value(QLatin1String("status")).toString(), QStringLiteral("writing"));

        reply = ask("sticker", {{QStringLiteral("type"), QStringLiteral("ntag213")}});
        QVERIFY2(reply.value(QLatin1String("ok")).toBool(), qPrintable(fail(reply.value(QLatin1String("error")).toString())));
        const QByteArray memory = QByteArray::fromHex(reply.value(QLatin1String("memory")).toString().toLatin1());
        QVERIFY(!memory.isEmpty());

        // What a phone reads off the sticker: one URI record with the POP's static link.
        const QString expected = QStringLiteral("https://liff.line.me/%1/p/7001").arg(m_liffId);
        const nfc::NdefFromTag ndef = nfc::ndefFromType2Memory(memory);
        QVERIFY2(ndef.error.isEmpty(), qPrintable(ndef.error));
        const NdefLinkResult link = decodeNdefUri(ndef.message);
        QVERIFY2(link.error.isEmpty(), qPrintable(link.error));
        QCOMPARE(link.text, expected);

        const QJsonObject s = staff();
        QCOMPARE(s.value(QLatin1String("writeState")).toString(), QStringLiteral("Written"));
        QCOMPARE(s.value(QLatin1String("lastWrittenLink")).toString(), expected);
        QCOMPARE(s.value(QLatin1String("lastWrittenTagType")).toString(), QStringLiteral("NTAG213"));
        QCOMPARE(s.value(QLatin1String("lastWrittenLocked")).toBool(), false);
        QVERIFY(!screenshot(QStringLiteral("sticker-written")).isNull());
        QVERIFY(staffAction(QStringLiteral("dismiss")).value(QLatin1String("ok")).toBool());
        QCOMPARE(staff().value(QLatin1String("writeState")).toString(), QStringLiteral("Idle"));
        // No sticker is waiting any more.
        QVERIFY(!ask("sticker", {{QStringLiteral("type"), QStringLiteral("ntag213")}}).value(QLatin1String("ok")).toBool());
    }

    void enrollsWithTheCodeTypedOnTheStaffScreen()
    {
        // A code the service does not know: refused, with the service's reason.
        QJsonObject reply = staffAction(QStringLiteral("enroll"), {{QStringLiteral("code"), QStringLiteral("AAAA-BBBB-CCCC-DDDD")}});
        QVERIFY2(reply.value(QLatin1String("ok")).toBool(), qPrintable(fail(reply.value(QLatin1String("error")).toString())));
        QVERIFY2(QTest::qWaitFor([&] { return staff().value(QLatin1String("enrollmentState")).toString() == QLatin1String("Refused"); }, kWaitMs),
                 qPrintable(fail(QStringLiteral("no refusal"))));
        QVERIFY2(staff().value(QLatin1String("enrollmentReason")).toString().contains(QLatin1String("enrollment_code_unknown")),
                 qPrintable(staff().value(QLatin1String("enrollmentReason")).toString()));
        QVERIFY(!screenshot(QStringLiteral("enrollment-refused")).isNull());

        // The real code, typed as staff type it: lower case, in groups with spaces.
        const QString typed = m_service.newEnrollmentCode().toLower().replace(u'-', u' ');
        reply = staffAction(QStringLiteral("enroll"), {{QStringLiteral("code"), typed}});
        QVERIFY2(reply.value(QLatin1String("ok")).toBool(), qPrintable(fail(reply.value(QLatin1String("error")).toString())));
        QVERIFY2(QTest::qWaitFor([&] { return staff().value(QLatin1String("enrollmentState")).toString() == QLatin1String("Enrolled"); }, kWaitMs),
                 qPrintable(fail(QStringLiteral("not enrolled"))));
        QVERIFY(QTest::qWaitFor([&] {
            return m_kiosk->state().value(QLatin1String("sync")).toObject().value(QLatin1String("state")).toString() == QLatin1String("synced");
        }, kWaitMs));
        QVERIFY(!m_kiosk->state().value(QLatin1String("sync")).toObject().value(QLatin1String("deviceId")).toString().isEmpty());
        QVERIFY(!staff().value(QLatin1String("canEnroll")).toBool());
        QVERIFY(!screenshot(QStringLiteral("enrolled")).isNull());

        // The heartbeat counts what staff mode saw, and nothing more about it.
        QJsonObject counters;
        QVERIFY2(QTest::qWaitFor([&] {
            QString error;
            const auto devices = delivery::DeviceRegistry(*m_service.server().database()).devices(std::nullopt, &error);
            if (devices.size() != 1)
                return false;
            counters = QJsonDocument::fromJson(devices.first().heartbeat).object().value(QLatin1String("counters")).toObject();
            return counters.contains(QLatin1String("popStickersWritten"));
        }, kWaitMs), "no heartbeat with staff counters");
        QCOMPARE(counters.value(QLatin1String("staffCardOpens")).toInt(), 1);
        QCOMPARE(counters.value(QLatin1String("unknownCards")).toInt(), 1);
        QCOMPARE(counters.value(QLatin1String("popStickersWritten")).toInt(), 1);
    }

    void exitReturnsToTheAttractScreen()
    {
        QVERIFY(staffAction(QStringLiteral("exit")).value(QLatin1String("ok")).toBool());
        const QJsonObject state = m_kiosk->state();
        QCOMPARE(state.value(QLatin1String("staff")).toObject().value(QLatin1String("active")).toBool(), false);
        QCOMPARE(state.value(QLatin1String("screen")).toString(), QStringLiteral("Attract"));
        QCOMPARE(state.value(QLatin1String("language")).toString(), QStringLiteral("ja")); // the shoppers' language again
        QCOMPARE(staffBandPixels(screenshot(QStringLiteral("attract-after-staff"))), 0);
        // Closed means closed: nothing reaches staff mode without a staff card.
        QVERIFY(!staffAction(QStringLiteral("writePop"), {{QStringLiteral("popId"), 7001}}).value(QLatin1String("ok")).toBool());
        // Every staff screen shown on the way loaded and bound cleanly.
        const QByteArray log = m_kiosk->standardError();
        QVERIFY2(!log.contains(".qml:") && !log.contains("QQmlComponent"), log.constData());
    }
};

QTEST_GUILESS_MAIN(KioskStaffTest)
#include "kioskstafftest.moc"
