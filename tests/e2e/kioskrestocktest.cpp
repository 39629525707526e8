// Restock requests in the real kiosk binary, enrolled with the real delivery service (in this
// process): price-tag pictures held up to the camera (camera=images:, the camera's own path
// from the video sink on), a handheld scanner's keystrokes, and browsing. Checked from the
// outside: the QR code read off the screenshot, its token verified with the secret and the
// store the service holds for this device, and the intent the service receives.
#include "deviceregistry.h"
#include "deliveryserver.h"
#include "gtin.h"
#include "kioskprocess.h"
#include "pricetag.h"
#include "registrationtoken.h"
#include "screenqr.h"
#include "servicedatabase.h"
#include "syncrig.h"
#include "testcatalog.h"

#include <QDateTime>
#include <QFile>
#include <QPainter>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

using namespace poptap;
using namespace poptap::test;

namespace {
constexpr int kWaitMs = 15000;
const QSize kCameraFrame(1280, 720);

// What the camera sees when a shopper holds up a price tag with `text` as `format`.
QImage priceTagPicture(BarcodeFormat format, const QString &text)
{
    return testing::cameraFrame(kCameraFrame, testing::priceTag(format, text), format == BarcodeFormat::QrCode ? 6 : 3);
}

// A frame with no barcode but something to see (red stripes), to find in the viewfinder.
QImage plainPicture()
{
    QImage frame(kCameraFrame, QImage::Format_RGB32);
    frame.fill(QColor(0x30, 0x60, 0xc0));
    QPainter painter(&frame);
    for (int x = 0; x < frame.width(); x += 160)
        painter.fillRect(x, 0, 80, frame.height(), QColor(0xe0, 0x40, 0x30));
    return frame;
}

struct DemoVariant {
    qint64 id = 0;
    qint64 productId = 0;
    qint64 brandId = 0;
    QString gtin;
};

// The first variant of the demo catalog with a 13-digit code that is (not) in stock.
DemoVariant demoVariant(bool inStock)
{
    const QJsonArray products = demoCatalog().value(QLatin1String("products")).toArray();
    for (const QJsonValue &p : products) {
        for (const QJsonValue &v : p.toObject().value(QLatin1String("variants")).toArray()) {
            const QJsonObject o = v.toObject();
            const QString code = o.value(QLatin1String("gtin")).toString();
            if (o.value(QLatin1String("inStock")).toBool(true) == inStock && code.size() == 13)
                return {o.value(QLatin1String("id")).toInteger(), p.toObject().value(QLatin1String("id")).toInteger(),
                        p.toObject().value(QLatin1String("brandId")).toInteger(), code};
        }
    }
    return {};
}
} // namespace

class KioskRestockTest : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    synctesting::ServiceUnderTest m_service;
    std::unique_ptr<KioskProcess> m_kiosk;
    DemoVariant m_soldOut;
    DemoVariant m_inStock;
    qint64 m_storeId = 0;

    QJsonObject ask(const char *cmd, QJsonObject fields = {}) { return m_kiosk->call(KioskProcess::command(cmd, fields)); }
    QString fail(const QString &what) const { return what + QLatin1Char('\n') + m_kiosk->diagnostics(); }
    QJsonObject restock() { return m_kiosk->state().value(QLatin1String("restock")).toObject(); }

    QImage screenshot(const QString &name)
    {
        const QString path = m_kiosk->tempPath(name + QStringLiteral(".png"));
        const QJsonObject reply = ask("screenshot", {{QStringLiteral("path"), path}});
        return reply.value(QLatin1String("ok")).toBool() ? QImage(path) : QImage();
    }

    // Holds `picture` up to the kiosk's camera.
    bool showToCamera(const QImage &picture, const QString &name)
    {
        const QString path = m_kiosk->tempPath(name + QStringLiteral(".png"));
        if (!picture.save(path))
            return false;
        const QJsonObject reply = ask("frame", {{QStringLiteral("path"), path}});
        if (!reply.value(QLatin1String("ok")).toBool())
            qWarning().noquote() << "frame:" << reply.value(QLatin1String("error")).toString();
        return reply.value(QLatin1String("ok")).toBool();
    }

    bool startScanning()
    {
        return ask("back").value(QLatin1String("ok")).toBool() && m_kiosk->waitForScreen(QStringLiteral("Attract"), kWaitMs)
            && ask("restock", {{QStringLiteral("action"), QStringLiteral("start")}}).value(QLatin1String("ok")).toBool()
            && m_kiosk->waitForScreen(QStringLiteral("Scan"), kWaitMs);
    }

    // The restock QR code on screen, verified as the delivery service verifies it.
    void verifyRestockCodeOnScreen(const QString &shotName, qint64 variantId)
    {
        const QImage shot = screenshot(shotName);
        QVERIFY(!shot.isNull());
        const ScreenQr qr = decodeScreenQr(shot);
        QVERIFY2(qr.found, "no QR code on the restock code screen");
        const QString link = m_kiosk->state().value(QLatin1String("link")).toString();
        QCOMPARE(qr.text, link);
        const QString token = link.section(QLatin1Char('/'), -1);
        delivery::DeviceRegistry registry(*m_service.server().database());
        const TokenVerification verified = RegistrationToken::verify(
            token, [&](std::uint32_t keyId) { return registry.keySecret(keyId); }, QDateTime::currentDateTimeUtc());
        QVERIFY2(verified.ok(), qPrintable(describe(*verified.error)));
        QCOMPARE(verified.claims->kind, RegistrationKind::Restock);
        QCOMPARE(qint64(verified.claims->target), variantId);
        const std::optional<delivery::DeviceRegistry::KeyOwner> owner = registry.keyOwner(verified.claims->keyId);
        QVERIFY(owner.has_value());
        QCOMPARE(qint64(owner->storeId), m_storeId);
    }

private Q_SLOTS:
    void initTestCase()
    {
        m_soldOut = demoVariant(false);
        m_inStock = demoVariant(true);
        QVERIFY2(m_soldOut.id && m_inStock.id, "the demo catalog needs sold-out and in-stock variants with JAN codes");
        m_storeId = demoCatalog().value(QLatin1String("store")).toObject().value(QLatin1String("id")).toInteger();
        QCOMPARE(m_service.start(m_dir.path()), QString());
        m_kiosk = std::make_unique<KioskProcess>(QStringList{
            QStringLiteral("--catalog-seed"), demoCatalogPath(),
            QStringLiteral("--service-url"), m_service.url().toString(),
            QStringLiteral("--enrollment-code"), m_service.newEnrollmentCode(),
            QStringLiteral("--camera"), QStringLiteral("images:"),
        });
        QVERIFY2(m_kiosk->start(), qPrintable(m_kiosk->diagnostics()));
        QVERIFY2(QTest::qWaitFor([&] {
            const QString state = m_kiosk->state().value(QLatin1String("sync")).toObject().value(QLatin1String("state")).toString();
            return state == QLatin1String("synced");
        }, kWaitMs), qPrintable(fail(QStringLiteral("not enrolled"))));
        const QJsonObject r = restock();
        QVERIFY(r.value(QLatin1String("available")).toBool());
        QCOMPARE(r.value(QLatin1String("camera")).toObject().value(QLatin1String("backend")).toString(), QStringLiteral("images"));
    }

    void cleanupTestCase()
    {
        if (m_kiosk)
            m_kiosk->stop();
    }

    void theCameraRunsOnlyOnTheScanScreenAndItsPictureIsShown()
    {
        QVERIFY(ask("back").value(QLatin1String("ok")).toBool());
        QVERIFY(m_kiosk->waitForScreen(QStringLiteral("Attract"), kWaitMs));
        QCOMPARE(restock().value(QLatin1String("camera")).toObject().value(QLatin1String("scanning")).toBool(), false);
        QVERIFY2(startScanning(), qPrintable(fail(QStringLiteral("no scan screen"))));
        QVERIFY(QTest::qWaitFor([&] {
            return restock().value(QLatin1String("camera")).toObject().value(QLatin1String("scanning")).toBool();
        }, kWaitMs));
        QVERIFY(showToCamera(plainPicture(), QStringLiteral("plain")));
        // The viewfinder paints what the camera sees: the picture's red stripes appear on screen.
        QVERIFY2(QTest::qWaitFor([&] {
            const QImage shot = screenshot(QStringLiteral("scan-screen"));
            int red = 0;
            for (int y = 0; y < shot.height(); y += 8)
                for (int x = 0; x < shot.width(); x += 8) {
                    const QRgb p = shot.pixel(x, y);
                    red += qRed(p) > 180 && qGreen(p) < 110 && qBlue(p) < 110;
                }
            return red > 500;
        }, kWaitMs), "the viewfinder does not show the camera's picture");
        QCOMPARE(m_kiosk->screen(), QStringLiteral("Scan")); // a picture without a code does nothing
        QVERIFY(ask("back").value(QLatin1String("ok")).toBool());
        QVERIFY(QTest::qWaitFor([&] {
            return !restock().value(QLatin1String("camera")).toObject().value(QLatin1String("scanning")).toBool();
        }, kWaitMs));
    }

    void aSoldOutPriceTagGivesARestockCodeForThatVariantAndStore()
    {
        QVERIFY2(startScanning(), qPrintable(fail(QStringLiteral("no scan screen"))));
        QVERIFY(showToCamera(priceTagPicture(BarcodeFormat::Ean13, m_soldOut.gtin), QStringLiteral("sold-out-tag")));
        QVERIFY2(m_kiosk->waitForScreen(QStringLiteral("Code"), kWaitMs), qPrintable(fail(QStringLiteral("no restock code"))));
        QCOMPARE(restock().value(QLatin1String("variantId")).toInteger(), m_soldOut.id);
        verifyRestockCodeOnScreen(QStringLiteral("restock-code"), m_soldOut.id);
        // The intent reaches the service as a restock request for that variant.
        const QString intentToken = m_kiosk->state().value(QLatin1String("link")).toString().section(QLatin1Char('/'), -1);
        QVERIFY(ask("syncNow").value(QLatin1String("ok")).toBool());
        QVERIFY2(QTest::qWaitFor([&] {
            QSqlQuery q(m_service.server().database()->handle());
            q.prepare(QStringLiteral("SELECT kind, target FROM registration WHERE token = ?"));
            q.addBindValue(intentToken);
            return q.exec() && q.next() && q.value(0).toInt() == int(RegistrationKind::Restock)
                && q.value(1).toLongLong() == m_soldOut.id;
        }, kWaitMs), "the service did not receive the restock intent");
    }

    void anInStockPriceTagSaysItIsInStock()
    {
        QVERIFY2(startScanning(), qPrintable(fail(QStringLiteral("no scan screen"))));
        QVERIFY(showToCamera(priceTagPicture(BarcodeFormat::Ean13, m_inStock.gtin), QStringLiteral("in-stock-tag")));
        QVERIFY2(m_kiosk->waitForScreen(QStringLiteral("InStock"), kWaitMs), qPrintable(fail(QStringLiteral("no in-stock screen"))));
        const QJsonObject state = m_kiosk->state();
        QCOMPARE(state.value(QLatin1String("restock")).toObject().value(QLatin1String("variantId")).toInteger(), m_inStock.id);
        QCOMPARE(state.value(QLatin1String("link")).toString(), QString()); // nothing to register
        QVERIFY(!screenshot(QStringLiteral("in-stock")).isNull());
    }

    void anUnknownCodeOffersToBrowse()
    {
        QString unknown = QStringLiteral("458999999999");
        unknown += QString::number(gtin::checkDigit(unknown));
        QVERIFY2(startScanning(), qPrintable(fail(QStringLiteral("no scan screen"))));
        QVERIFY(showToCamera(priceTagPicture(BarcodeFormat::Ean13, unknown), QStringLiteral("unknown-tag")));
        QVERIFY2(m_kiosk->waitForScreen(QStringLiteral("NotFound"), kWaitMs), qPrintable(fail(QStringLiteral("no not-found screen"))));
        QVERIFY(!screenshot(QStringLiteral("not-found")).isNull());
        QVERIFY(ask("restock", {{QStringLiteral("action"), QStringLiteral("browse")}}).value(QLatin1String("ok")).toBool());
        QVERIFY(m_kiosk->waitForScreen(QStringLiteral("RestockBrands"), kWaitMs));
    }

    void aQrCodeOrJunkOnAPriceTagIsIgnored()
    {
        QVERIFY2(startScanning(), qPrintable(fail(QStringLiteral("no scan screen"))));
        const auto codesRead = [&] {
            return restock().value(QLatin1String("camera")).toObject().value(QLatin1String("codesRead")).toInteger();
        };
        const qint64 readBefore = codesRead();
        const qint64 lookedUpBefore = restock().value(QLatin1String("scansLookedUp")).toInteger();
        QVERIFY(showToCamera(priceTagPicture(BarcodeFormat::QrCode, QStringLiteral("https://example.com/item/123")),
                             QStringLiteral("qr-tag")));
        // The camera did read it, and the kiosk let it be.
        QVERIFY2(QTest::qWaitFor([&] { return codesRead() == readBefore + 1; }, kWaitMs), "the QR code was not read");
        QTest::qWait(300);
        QCOMPARE(m_kiosk->screen(), QStringLiteral("Scan"));
        QCOMPARE(restock().value(QLatin1String("scansLookedUp")).toInteger(), lookedUpBefore);
    }

    void browsingToASoldOutSizeGivesTheSameKindOfCode()
    {
        QVERIFY2(startScanning(), qPrintable(fail(QStringLiteral("no scan screen"))));
        QVERIFY(ask("restock", {{QStringLiteral("action"), QStringLiteral("browse")}}).value(QLatin1String("ok")).toBool());
        QVERIFY(ask("restock", {{QStringLiteral("action"), QStringLiteral("brand")}, {QStringLiteral("brandId"), m_soldOut.brandId}})
                    .value(QLatin1String("ok")).toBool());
        QVERIFY(m_kiosk->waitForScreen(QStringLiteral("Products"), kWaitMs));
        QVERIFY(!screenshot(QStringLiteral("products")).isNull());
        QVERIFY(ask("restock", {{QStringLiteral("action"), QStringLiteral("product")}, {QStringLiteral("productId"), m_soldOut.productId}})
                    .value(QLatin1String("ok")).toBool());
        QVERIFY(m_kiosk->waitForScreen(QStringLiteral("Product"), kWaitMs));
        QVERIFY(!screenshot(QStringLiteral("product")).isNull());
        QVERIFY(ask("restock", {{QStringLiteral("action"), QStringLiteral("variant")}, {QStringLiteral("variantId"), m_soldOut.id}})
                    .value(QLatin1String("ok")).toBool());
        QVERIFY2(m_kiosk->waitForScreen(QStringLiteral("Code"), kWaitMs), qPrintable(fail(QStringLiteral("no restock code"))));
        verifyRestockCodeOnScreen(QStringLiteral("browsed-restock-code"), m_soldOut.id);
        QVERIFY(ask("phoneRead").value(QLatin1String("ok")).toBool());
        QVERIFY(m_kiosk->waitForScreen(QStringLiteral("Done"), kWaitMs));
        QVERIFY(!screenshot(QStringLiteral("restock-done")).isNull());
    }

    void aHandheldScannerIsTakenAndAPersonTypingIsNot()
    {
        QVERIFY(ask("back").value(QLatin1String("ok")).toBool());
        QVERIFY(m_kiosk->waitForScreen(QStringLiteral("Attract"), kWaitMs));
        const qint64 before = restock().value(QLatin1String("handheldScans")).toInteger();
        const qint64 rejectsBefore = restock().value(QLatin1String("handheldRejects")).toInteger();
        // A person types the same digits and Enter, a key every 180 ms: no scan.
        QVERIFY(ask("keys", {{QStringLiteral("text"), m_soldOut.gtin}, {QStringLiteral("intervalMs"), 180}}).value(QLatin1String("ok")).toBool());
        QTest::qWait(180 * 15 + 500);
        QCOMPARE(m_kiosk->screen(), QStringLiteral("Attract"));
        QCOMPARE(restock().value(QLatin1String("handheldScans")).toInteger(), before);
        // The scanner: every key at once (on a busy machine, keys a few ms apart could arrive late
        // enough to look typed), from the attract screen straight to the code. hidscannerfiltertest
        // covers realistic scanner pacing.
        QVERIFY(ask("keys", {{QStringLiteral("text"), m_soldOut.gtin}, {QStringLiteral("intervalMs"), 0}}).value(QLatin1String("ok")).toBool());
        QVERIFY2(m_kiosk->waitForScreen(QStringLiteral("Code"), kWaitMs), qPrintable(fail(QStringLiteral("the scan was not taken"))));
        QCOMPARE(restock().value(QLatin1String("handheldScans")).toInteger(), before + 1);
        QCOMPARE(restock().value(QLatin1String("variantId")).toInteger(), m_soldOut.id);
        // A burst with a wrong check digit is refused quietly.
        QVERIFY(ask("back").value(QLatin1String("ok")).toBool());
        QVERIFY(m_kiosk->waitForScreen(QStringLiteral("Attract"), kWaitMs));
        // Scans are a person's moves apart: a burst right on the heels of another key (here the
        // last scan's Enter, some 30 ms before) is not taken as one, by design.
        QTest::qWait(200);
        QString wrong = m_soldOut.gtin;
        wrong[12] = QChar(u'0' + (wrong.at(12).digitValue() + 1) % 10);
        QVERIFY(ask("keys", {{QStringLiteral("text"), wrong}, {QStringLiteral("intervalMs"), 0}}).value(QLatin1String("ok")).toBool());
        QVERIFY2(QTest::qWaitFor([&] { return restock().value(QLatin1String("handheldRejects")).toInteger() == rejectsBefore + 1; }, kWaitMs),
                 qPrintable(fail(QJsonDocument(restock()).toJson())));
        QCOMPARE(m_kiosk->screen(), QStringLiteral("Attract"));
    }

    // Issue 4's last item: staff hold the enrollment code's QR code up to the camera.
    void staffEnrollAKioskWithAQrCodeHeldUpToTheCamera()
    {
        const QString uid = QStringLiteral("04A23B1C5D8077");
        const KioskProcess::Run hash = KioskProcess::run({QStringLiteral("--hash-staff-card"), uid});
        QVERIFY(hash.finished && hash.exitCode == 0);
        const QString entry = QString::fromLatin1(hash.standardOutput).trimmed();
        QVERIFY2(entry.startsWith(QLatin1String("pbkdf2-sha256$")), qPrintable(entry));

        KioskProcess kiosk(QStringList{
            QStringLiteral("--catalog-seed"), demoCatalogPath(),
            QStringLiteral("--service-url"), m_service.url().toString(),
            QStringLiteral("--camera"), QStringLiteral("images:"),
            QStringLiteral("--staff-cards"), entry,
        });
        QVERIFY2(kiosk.start(), qPrintable(kiosk.diagnostics()));
        const auto syncState = [&] {
            return kiosk.state().value(QLatin1String("sync")).toObject().value(QLatin1String("state")).toString();
        };
        const auto camera = [&] {
            return kiosk.state().value(QLatin1String("restock")).toObject().value(QLatin1String("camera")).toObject();
        };
        QVERIFY(QTest::qWaitFor([&] { return syncState() == QLatin1String("not-enrolled"); }, kWaitMs));
        QVERIFY(!camera().value(QLatin1String("scanning")).toBool());
        QVERIFY(kiosk.call(KioskProcess::command("card", {{QStringLiteral("uid"), uid}})).value(QLatin1String("ok")).toBool());
        QVERIFY(QTest::qWaitFor([&] { return camera().value(QLatin1String("scanning")).toBool(); }, kWaitMs));

        const QString picture = kiosk.tempPath(QStringLiteral("enrollment-qr.png"));
        const QString code = m_service.newEnrollmentCode();
        QVERIFY(priceTagPicture(BarcodeFormat::QrCode, code).save(picture));
        QVERIFY(kiosk.call(KioskProcess::command("frame", {{QStringLiteral("path"), picture}})).value(QLatin1String("ok")).toBool());
        QVERIFY2(QTest::qWaitFor([&] {
            return kiosk.state().value(QLatin1String("staff")).toObject().value(QLatin1String("enrollmentState")).toString()
                == QLatin1String("Enrolled");
        }, kWaitMs), qPrintable(kiosk.diagnostics()));
        QVERIFY(QTest::qWaitFor([&] { return syncState() == QLatin1String("synced"); }, kWaitMs));
        // Enrolled, there is nothing more to scan: the camera goes off again.
        QVERIFY(QTest::qWaitFor([&] { return !camera().value(QLatin1String("scanning")).toBool(); }, kWaitMs));
        QVERIFY2(!kiosk.standardError().contains(code.toLatin1()), "the kiosk logged the enrollment code");
        kiosk.stop();
    }
};

QTEST_MAIN(KioskRestockTest)
#include "kioskrestocktest.moc"
