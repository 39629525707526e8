#include "devicekey.h"
#include "securefile.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace poptap;

class DeviceKeyTest : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void firstStartCreatesAnOwnerOnlyRandomKey()
    {
        QTemporaryDir a, b;
        const DeviceKey::Load first = DeviceKey::loadOrCreate(a.path());
        QVERIFY2(first.error.isEmpty(), qPrintable(first.error));
        QVERIFY(first.key.keyId() != 0);
        QCOMPARE(first.key.secret().size(), 32);
        QVERIFY(isOwnerOnly(first.key.path()));
        const QFileDevice::Permissions perms = QFile::permissions(first.key.path());
        QVERIFY(perms.testFlags(QFileDevice::ReadOwner | QFileDevice::WriteOwner));
        QVERIFY(!(perms & (QFileDevice::ReadGroup | QFileDevice::WriteGroup | QFileDevice::ReadOther | QFileDevice::WriteOther)));
        // Another kiosk gets another key.
        const DeviceKey::Load other = DeviceKey::loadOrCreate(b.path());
        QVERIFY(other.key.secret() != first.key.secret());
    }

    void restartKeepsTheSameKey()
    {
        QTemporaryDir dir;
        const DeviceKey::Load first = DeviceKey::loadOrCreate(dir.path());
        const DeviceKey::Load again = DeviceKey::loadOrCreate(dir.path());
        QVERIFY(again.error.isEmpty());
        QCOMPARE(again.key.keyId(), first.key.keyId());
        QCOMPARE(again.key.secret(), first.key.secret());
    }

    void epochsAreNeverHandedOutTwiceAcrossRestarts()
    {
        QTemporaryDir dir;
        QString error;
        DeviceKey key = DeviceKey::loadOrCreate(dir.path()).key;
        QCOMPARE(key.allocateEpoch(&error), 1);
        QCOMPARE(key.allocateEpoch(&error), 2);
        DeviceKey reloaded = DeviceKey::loadOrCreate(dir.path()).key;
        QCOMPARE(reloaded.allocateEpoch(&error), 3);
        QVERIFY(isOwnerOnly(reloaded.path()));
    }

    void theEnrolledKeySignsFromThenOnAndTheEpochCarriesOn()
    {
        QTemporaryDir dir;
        QString error;
        DeviceKey key = DeviceKey::loadOrCreate(dir.path()).key;
        QVERIFY(!key.isEnrolled());
        QCOMPARE(key.allocateEpoch(&error), 1);
        const QByteArray issued(32, 'e');
        QCOMPARE(key.adoptEnrolledKey(0xabcdef01, issued), QString());
        QCOMPARE(key.keyId(), 0xabcdef01u);
        QCOMPARE(key.secret(), issued);
        QVERIFY(key.isEnrolled());
        DeviceKey reloaded = DeviceKey::loadOrCreate(dir.path()).key;
        QCOMPARE(reloaded.keyId(), 0xabcdef01u);
        QCOMPARE(reloaded.secret(), issued);
        QVERIFY(reloaded.isEnrolled());
        QCOMPARE(reloaded.allocateEpoch(&error), 2); // never a generation handed out before
        QVERIFY(isOwnerOnly(reloaded.path()));
    }

    void aBadEnrolledKeyLeavesTheKeyInUse()
    {
        QTemporaryDir dir;
        DeviceKey key = DeviceKey::loadOrCreate(dir.path()).key;
        const std::uint32_t before = key.keyId();
        QVERIFY(!key.adoptEnrolledKey(0, QByteArray(32, 'x')).isEmpty());
        QVERIFY(!key.adoptEnrolledKey(7, QByteArray(16, 'x')).isEmpty());
        QCOMPARE(key.keyId(), before);
        QCOMPARE(DeviceKey::loadOrCreate(dir.path()).key.keyId(), before);
        QVERIFY(!key.isEnrolled());
    }

    void damagedKeyIsNeverSilentlyReplaced()
    {
        QTemporaryDir dir;
        const QString path = DeviceKey::loadOrCreate(dir.path()).key.path();
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
        const QByteArray damaged = "{\"keyId\": 5, \"secret\": \"c2hvcnQ=\"}";
        f.write(damaged);
        f.close();
        const DeviceKey::Load load = DeviceKey::loadOrCreate(dir.path());
        QVERIFY(load.error.contains(QStringLiteral("damaged")));
        QVERIFY(f.open(QIODevice::ReadOnly));
        QCOMPARE(f.readAll(), damaged); // left as it was, for the engineer to look at
    }

    void keyReadableByOthersIsRestricted()
    {
        QTemporaryDir dir;
        const QString path = DeviceKey::loadOrCreate(dir.path()).key.path();
        QFile::setPermissions(path, QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ReadOther);
        QTest::ignoreMessage(QtWarningMsg, QRegularExpression("readable by others"));
        QVERIFY(DeviceKey::loadOrCreate(dir.path()).error.isEmpty());
        QVERIFY(isOwnerOnly(path));
    }
};

QTEST_GUILESS_MAIN(DeviceKeyTest)
#include "devicekeytest.moc"
