// The kiosk's enrolled identity on disk: owner-only, round-trips, refuses a damaged file
// with a reason, and is moved aside (never deleted) when re-enrollment is needed.
#include "enrolledidentity.h"
#include "securefile.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using poptap::sync::EnrolledIdentity;

class EnrolledIdentityTest : public QObject
{
    Q_OBJECT

    static EnrolledIdentity sample()
    {
        return {QStringLiteral("dev_8fK2xQ9mLp3T"), 101, QByteArray(32, 's'), QStringLiteral("https://delivery.example.jp")};
    }

private Q_SLOTS:
    void notEnrolledIsNoIdentityAndNoError()
    {
        QTemporaryDir dir;
        const auto load = EnrolledIdentity::load(dir.path());
        QVERIFY(!load.identity);
        QVERIFY(load.error.isEmpty());
    }

    void savedIdentityRoundTripsOwnerOnly()
    {
        QTemporaryDir dir;
        QCOMPARE(sample().save(dir.path()), QString());
        const QString path = QDir(dir.path()).filePath(EnrolledIdentity::fileName());
        QVERIFY(poptap::isOwnerOnly(path));
        const auto load = EnrolledIdentity::load(dir.path());
        QVERIFY2(load.error.isEmpty(), qPrintable(load.error));
        QCOMPARE(*load.identity, sample());
    }

    void damagedFilesAreRefusedWithAReason_data()
    {
        QTest::addColumn<QByteArray>("contents");
        QTest::newRow("not json") << QByteArray("{{{");
        QTest::newRow("short secret") << QByteArray("{\"deviceId\":\"dev_8fK2xQ9mLp3T\",\"storeId\":101,\"requestSecret\":\"c2hvcnQ=\",\"serviceUrl\":\"https://x.jp\"}");
        QTest::newRow("bad device id") << QByteArray("{\"deviceId\":\"a b\",\"storeId\":101,\"requestSecret\":\"c3Nzc3Nzc3Nzc3Nzc3Nzc3Nzc3Nzc3Nzc3Nzc3Nzc3M=\",\"serviceUrl\":\"https://x.jp\"}");
        QTest::newRow("no store") << QByteArray("{\"deviceId\":\"dev_8fK2xQ9mLp3T\",\"requestSecret\":\"c3Nzc3Nzc3Nzc3Nzc3Nzc3Nzc3Nzc3Nzc3Nzc3Nzc3M=\",\"serviceUrl\":\"https://x.jp\"}");
        QTest::newRow("ftp service") << QByteArray("{\"deviceId\":\"dev_8fK2xQ9mLp3T\",\"storeId\":101,\"requestSecret\":\"c3Nzc3Nzc3Nzc3Nzc3Nzc3Nzc3Nzc3Nzc3Nzc3Nzc3M=\",\"serviceUrl\":\"ftp://x.jp\"}");
    }

    void damagedFilesAreRefusedWithAReason()
    {
        QFETCH(QByteArray, contents);
        QTemporaryDir dir;
        QFile file(QDir(dir.path()).filePath(EnrolledIdentity::fileName()));
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(contents);
        file.close();
        const auto load = EnrolledIdentity::load(dir.path());
        QVERIFY(!load.identity);
        QVERIFY2(load.error.contains(QLatin1String("damaged")), qPrintable(load.error));
    }

    void retiringMovesTheFileAside()
    {
        QTemporaryDir dir;
        QCOMPARE(sample().save(dir.path()), QString());
        QCOMPARE(EnrolledIdentity::retire(dir.path(), QStringLiteral("20261122T100000")), QString());
        QVERIFY(!EnrolledIdentity::load(dir.path()).identity);
        QVERIFY(QFile::exists(QDir(dir.path()).filePath(QStringLiteral("enrollment.json.retired-20261122T100000"))));
        QCOMPARE(EnrolledIdentity::retire(dir.path(), QStringLiteral("again")), QString()); // nothing to retire
    }
};

QTEST_GUILESS_MAIN(EnrolledIdentityTest)
#include "enrolledidentitytest.moc"
