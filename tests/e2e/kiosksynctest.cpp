// The real kiosk binary syncing with the real delivery service (in this process, on
// loopback): enrollment from kiosk.conf's code, a shopper's registration reaching the
// service, heartbeats, the staff sync mark read back from the rendered screen, and a
// revoked kiosk asking for staff while shoppers carry on.
#include "deliveryserver.h"
#include "deviceregistry.h"
#include "kioskprocess.h"
#include "servicetesting.h"
#include "syncrig.h"
#include "testcatalog.h"

#include <QImage>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

using namespace poptap;
using namespace poptap::test;

namespace {
constexpr int kWaitMs = 30000;

// Pixels of the staff sync mark's dot in `colour` (drawn at 75 % over the background) in the
// bottom-left corner, where Main.qml puts it.
int dotPixels(const QImage &screen, QColor colour)
{
    const QColor background(QStringLiteral("#fafaf7"));
    const auto blend = [](int c, int b) { return int(0.75 * c + 0.25 * b); };
    const QColor expected(blend(colour.red(), background.red()), blend(colour.green(), background.green()),
                          blend(colour.blue(), background.blue()));
    int count = 0;
    for (int y = screen.height() - 120; y < screen.height(); ++y)
        for (int x = 0; x < 120; ++x) {
            const QColor p = screen.pixelColor(x, y);
            count += qAbs(p.red() - expected.red()) <= 10 && qAbs(p.green() - expected.green()) <= 10
                && qAbs(p.blue() - expected.blue()) <= 10;
        }
    return count;
}
const QColor kSyncedGreen(QStringLiteral("#06c755"));  // Theme.lineGreen
const QColor kAttentionRed(QStringLiteral("#b3261e")); // Theme.warning
} // namespace

class KioskSyncTest : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    synctesting::ServiceUnderTest m_service;
    std::unique_ptr<KioskProcess> m_kiosk;

    QJsonObject sync() { return m_kiosk->state().value(QLatin1String("sync")).toObject(); }
    QString syncState() { return sync().value(QLatin1String("state")).toString(); }
    QString fail(const QString &what) const
    {
        return what + QLatin1Char('\n') + QString::fromUtf8(QJsonDocument(m_kiosk->state()).toJson()) + m_kiosk->diagnostics();
    }
    // Polls the kiosk while this process's event loop serves the delivery service.
    bool waitForSync(const QString &state)
    {
        return QTest::qWaitFor([&] { return syncState() == state; }, kWaitMs);
    }
    QImage screenshot(const QString &name)
    {
        const QString path = m_kiosk->tempPath(name + QStringLiteral(".png"));
        return m_kiosk->call(KioskProcess::command("screenshot", {{QStringLiteral("path"), path}})).value(QLatin1String("ok")).toBool()
            ? QImage(path)
            : QImage();
    }
    // A shopper registers for a brand; returns the token the code on screen carries.
    QString registerShopper(int brandId)
    {
        if (!m_kiosk->call(KioskProcess::command("selectBrand", {{QStringLiteral("brandId"), brandId}})).value(QLatin1String("ok")).toBool()
            || !m_kiosk->waitForScreen(QStringLiteral("Code"), 5000))
            return {};
        const QString link = m_kiosk->state().value(QLatin1String("link")).toString();
        m_kiosk->call(KioskProcess::command("back"));
        return link.section(QLatin1Char('/'), -1);
    }
    bool serviceHolds(const QString &token)
    {
        QSqlQuery q(m_service.server().database()->handle());
        q.prepare(QStringLiteral("SELECT count(*) FROM registration WHERE token = ?"));
        q.addBindValue(token);
        return q.exec() && q.next() && q.value(0).toInt() == 1;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QCOMPARE(m_service.start(m_dir.path()), QString());
        m_kiosk = std::make_unique<KioskProcess>(QStringList{
            QStringLiteral("--catalog-seed"), demoCatalogPath(),
            QStringLiteral("--service-url"), m_service.url().toString(),
            QStringLiteral("--enrollment-code"), m_service.newEnrollmentCode(),
            QStringLiteral("--device-name"), QStringLiteral("entrance"),
            QStringLiteral("--heartbeat-interval"), QStringLiteral("10"),
        });
        QVERIFY2(m_kiosk->start(), qPrintable(m_kiosk->diagnostics()));
    }

    void cleanupTestCase()
    {
        if (m_kiosk)
            m_kiosk->stop();
    }

    void enrollsAndDeliversAShoppersRegistration()
    {
        QVERIFY2(waitForSync(QStringLiteral("synced")), qPrintable(fail(QStringLiteral("never synced"))));
        const QString deviceId = sync().value(QLatin1String("deviceId")).toString();
        QVERIFY(!deviceId.isEmpty());

        const QString token = registerShopper(7);
        QVERIFY2(!token.isEmpty(), qPrintable(fail(QStringLiteral("no code on screen"))));
        QVERIFY2(QTest::qWaitFor([&] { return serviceHolds(token); }, kWaitMs),
                 qPrintable(fail(QStringLiteral("the service never got the registration"))));
        QVERIFY(waitForSync(QStringLiteral("synced")));
        QCOMPARE(sync().value(QLatin1String("unsynced")).toInt(), 0);

        // The service knows the kiosk by the name kiosk.conf gave it, and hears its heartbeat.
        QString error;
        QList<delivery::DeviceRegistry::DeviceSummary> devices;
        QVERIFY(QTest::qWaitFor([&] {
            devices = delivery::DeviceRegistry(*m_service.server().database()).devices(std::nullopt, &error);
            return devices.size() == 1 && devices.first().lastSeen.has_value();
        }, kWaitMs));
        QCOMPARE(devices.first().id, deviceId);
        QCOMPARE(devices.first().name, QStringLiteral("entrance"));
        const QJsonObject beat = QJsonDocument::fromJson(devices.first().heartbeat).object();
        QCOMPARE(beat.value(QLatin1String("reader")).toObject().value(QLatin1String("status")).toString(), QStringLiteral("ok"));

        // Staff see a green mark; shoppers see nothing alarming.
        const QImage screen = screenshot(QStringLiteral("synced"));
        QVERIFY(!screen.isNull());
        QVERIFY2(dotPixels(screen, kSyncedGreen) > 100, "no green sync mark in the bottom-left corner");
        QCOMPARE(dotPixels(screen, kAttentionRed), 0);
    }

    void revokedKioskAsksForStaffWhileShoppersCarryOn()
    {
        QVERIFY(waitForSync(QStringLiteral("synced")));
        const QString deviceId = sync().value(QLatin1String("deviceId")).toString();
        QCOMPARE(m_service.revoke(deviceId), QString());

        // The next registration is kept on the kiosk; the upload is refused and syncing stops.
        const QString whileRevoked = registerShopper(1);
        QVERIFY(!whileRevoked.isEmpty());
        QVERIFY2(waitForSync(QStringLiteral("reenrollment-needed")), qPrintable(fail(QStringLiteral("not stopped"))));
        QVERIFY(sync().value(QLatin1String("needsStaff")).toBool());
        QVERIFY(!sync().value(QLatin1String("detail")).toString().isEmpty());
        const QImage screen = screenshot(QStringLiteral("revoked"));
        QVERIFY2(dotPixels(screen, kAttentionRed) > 100, "no red sync mark for staff");
        QVERIFY(!serviceHolds(whileRevoked));

        // Shoppers are not held up by it; what they register now is kept for the next enrollment.
        const QString afterDetection = registerShopper(2);
        QVERIFY(!afterDetection.isEmpty());

        // Staff enroll it again with a new code: syncing resumes as a new device.
        QVERIFY(m_kiosk->call(KioskProcess::command("enroll", {{QStringLiteral("code"), m_service.newEnrollmentCode()}}))
                    .value(QLatin1String("ok")).toBool());
        QVERIFY2(waitForSync(QStringLiteral("synced")), qPrintable(fail(QStringLiteral("not re-enrolled"))));
        QVERIFY(sync().value(QLatin1String("deviceId")).toString() != deviceId);
        const QString afterwards = registerShopper(3);
        QVERIFY2(QTest::qWaitFor([&] { return serviceHolds(afterwards) && serviceHolds(afterDetection); }, kWaitMs),
                 qPrintable(fail(QStringLiteral("not synced after re-enrollment"))));
        // Only what the revoked key signed is refused for good, and kept for support with the reason.
        QVERIFY(waitForSync(QStringLiteral("synced")));
        QCOMPARE(sync().value(QLatin1String("dead")).toInt(), 1);
        QVERIFY(!serviceHolds(whileRevoked));
    }

    void newCatalogGoesIntoUseBetweenShoppers()
    {
        QVERIFY(waitForSync(QStringLiteral("synced")));
        const QString before = m_kiosk->state().value(QLatin1String("catalogVersion")).toString();
        const int brandsBefore = m_kiosk->state().value(QLatin1String("brands")).toInt();
        QJsonObject catalog = demoCatalog();
        catalog.insert(QStringLiteral("catalogVersion"), QStringLiteral("demo-updated"));
        QJsonArray brands = catalog.value(QLatin1String("brands")).toArray();
        QJsonObject first = brands.at(0).toObject();
        first.insert(QStringLiteral("enabled"), false); // staff took a brand off this kiosk
        brands.replace(0, first);
        catalog.insert(QStringLiteral("brands"), brands);
        QCOMPARE(delivery::DeviceRegistry(*m_service.server().database())
                     .setCatalog(servicetesting::kDemoStoreId, QJsonDocument(catalog).toJson()),
                 QString());

        // A shopper is choosing: the catalog arrives but waits.
        QVERIFY(m_kiosk->call(KioskProcess::command("start")).value(QLatin1String("ok")).toBool());
        QVERIFY(m_kiosk->call(KioskProcess::command("syncNow")).value(QLatin1String("ok")).toBool());
        QVERIFY2(QTest::qWaitFor([&] { return m_kiosk->state().value(QLatin1String("pendingCatalog")).toBool(); }, kWaitMs),
                 qPrintable(fail(QStringLiteral("the new catalog never arrived"))));
        QCOMPARE(m_kiosk->state().value(QLatin1String("catalogVersion")).toString(), before);
        QCOMPARE(m_kiosk->state().value(QLatin1String("brands")).toInt(), brandsBefore);

        // The shopper leaves: the next one sees the new catalog.
        QVERIFY(m_kiosk->call(KioskProcess::command("back")).value(QLatin1String("ok")).toBool());
        QVERIFY(QTest::qWaitFor([&] {
            return m_kiosk->state().value(QLatin1String("catalogVersion")).toString() == QLatin1String("demo-updated");
        }, kWaitMs));
        QCOMPARE(m_kiosk->state().value(QLatin1String("brands")).toInt(), brandsBefore - 1);
        QVERIFY(!m_kiosk->state().value(QLatin1String("pendingCatalog")).toBool());
        QVERIFY(!m_kiosk->call(KioskProcess::command("selectBrand", {{QStringLiteral("brandId"), 1}})).value(QLatin1String("ok")).toBool());
        m_kiosk->call(KioskProcess::command("back"));

        // It was stored: a restarted kiosk starts with it, before any answer from the service.
        m_kiosk->stop();
        QVERIFY2(m_kiosk->start(), qPrintable(m_kiosk->diagnostics()));
        QCOMPARE(m_kiosk->state().value(QLatin1String("catalogVersion")).toString(), QStringLiteral("demo-updated"));
        QVERIFY(waitForSync(QStringLiteral("synced")));
        QVERIFY(!m_kiosk->state().value(QLatin1String("pendingCatalog")).toBool());
    }

    void enrollmentWithABadCodeSaysSo()
    {
        KioskProcess fresh({QStringLiteral("--catalog-seed"), demoCatalogPath(),
                            QStringLiteral("--service-url"), m_service.url().toString(),
                            QStringLiteral("--enrollment-code"), QStringLiteral("AAAA-BBBB-CCCC-DDDD")});
        QVERIFY2(fresh.start(), qPrintable(fresh.diagnostics()));
        QJsonObject status;
        QVERIFY(QTest::qWaitFor([&] {
            status = fresh.state().value(QLatin1String("sync")).toObject();
            return status.value(QLatin1String("state")).toString() == QLatin1String("enrollment-refused");
        }, kWaitMs));
        QVERIFY2(status.value(QLatin1String("detail")).toString().contains(QLatin1String("enrollment_code_unknown")),
                 qPrintable(status.value(QLatin1String("detail")).toString()));
        QVERIFY(status.value(QLatin1String("needsStaff")).toBool());
    }
};

QTEST_MAIN(KioskSyncTest)
#include "kiosksynctest.moc"
