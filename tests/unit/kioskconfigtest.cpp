#include "kioskconfig.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace poptap;

class KioskConfigTest : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;

    int m_files = 0;
    QString writeConfig(const QByteArray &text)
    {
        // A new file each time: QSettings caches a file it has read by path, size and mtime,
        // and two test files of the same size written within one second look unchanged to it.
        const QString path = m_dir.filePath(QStringLiteral("kiosk-%1.conf").arg(++m_files));
        QFile f(path);
        f.open(QIODevice::WriteOnly | QIODevice::Truncate);
        f.write(text);
        return path;
    }

private Q_SLOTS:
    void defaultsWhenNothingIsSet()
    {
        const ConfigLoad load = loadKioskConfig({QStringLiteral("poptap-kiosk"), QStringLiteral("--config"),
                                                 writeConfig("")},
                                                {});
        QVERIFY2(load.errors.isEmpty(), qPrintable(load.errors.join(u'\n')));
        QCOMPARE(load.config.dataDir, QStringLiteral("/var/lib/poptap"));
        QCOMPARE(load.config.language, QStringLiteral("ja"));
        QCOMPARE(load.config.nfc, QStringLiteral("sim"));
        QCOMPARE(load.config.automationSocketPath(), QStringLiteral("/var/lib/poptap/automation.sock"));
    }

    void missingDefaultFileIsFine()
    {
        // /etc/poptap/kiosk.conf is optional; only an explicitly named file must exist.
        QProcessEnvironment env;
        env.insert(QStringLiteral("POPTAP_DATA_DIR"), m_dir.path());
        const ConfigLoad load = loadKioskConfig({QStringLiteral("poptap-kiosk")}, env);
        if (!QFile::exists(QStringLiteral("/etc/poptap/kiosk.conf")))
            QVERIFY2(load.errors.isEmpty(), qPrintable(load.errors.join(u'\n')));
        QCOMPARE(load.config.dataDir, m_dir.path());
        const ConfigLoad missing = loadKioskConfig(
            {QStringLiteral("poptap-kiosk"), QStringLiteral("--config"), m_dir.filePath(QStringLiteral("nope.conf"))}, {});
        QCOMPARE(missing.errors.size(), 1);
        QVERIFY(missing.errors.first().contains(QStringLiteral("not found")));
    }

    void flagsOverrideEnvironmentOverrideFile()
    {
        const QString file = writeConfig("[kiosk]\nlanguage=en\nidle-timeout=30\ncode-timeout=90\nnfc=libnfc:pn532_uart:/dev/ttyUSB0\n"
                                         "nfc-emulation=FeliCa\nlink-template=oamessage\nmessage-text=新着 {token}\n");
        QProcessEnvironment env;
        env.insert(QStringLiteral("POPTAP_IDLE_TIMEOUT"), QStringLiteral("40"));
        env.insert(QStringLiteral("POPTAP_CODE_TIMEOUT"), QStringLiteral("100"));
        const ConfigLoad load = loadKioskConfig(
            {QStringLiteral("poptap-kiosk"), QStringLiteral("--config"), file, QStringLiteral("--code-timeout"),
             QStringLiteral("120")},
            env);
        QVERIFY2(load.errors.isEmpty(), qPrintable(load.errors.join(u'\n')));
        QCOMPARE(load.config.language, QStringLiteral("en"));          // file
        QCOMPARE(load.config.idleTimeoutSeconds, 40);                   // env over file
        QCOMPARE(load.config.codeTimeoutSeconds, 120);                  // flag over env
        QCOMPARE(load.config.nfc, QStringLiteral("libnfc:pn532_uart:/dev/ttyUSB0"));
        QVERIFY(load.config.nfcFelica);
        QCOMPARE(load.config.linkTemplate, QStringLiteral("oamessage"));
        QCOMPARE(load.config.messageText, QStringLiteral("新着 {token}")); // UTF-8 file
    }

    void configFileFromEnvironment()
    {
        QProcessEnvironment env;
        env.insert(QStringLiteral("POPTAP_CONFIG"), writeConfig("[kiosk]\ndata-dir=/srv/kiosk\n"));
        QCOMPARE(loadKioskConfig({QStringLiteral("poptap-kiosk")}, env).config.dataDir, QStringLiteral("/srv/kiosk"));
    }

    void badValuesAreReportedWithWhereTheyCameFrom_data()
    {
        QTest::addColumn<QByteArray>("file");
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("expected");
        QTest::newRow("language") << QByteArray("[kiosk]\nlanguage=fr\n") << QStringList() << "language: 'fr' is not ja or en";
        QTest::newRow("nfc-emulation") << QByteArray("[kiosk]\nnfc-emulation=type2\n") << QStringList()
                                       << "nfc-emulation: 'type2' is not type4 or felica";
        QTest::newRow("timeout not a number") << QByteArray("[kiosk]\nidle-timeout=soon\n") << QStringList()
                                              << "idle-timeout: 'soon' is not a whole number";
        QTest::newRow("timeout too small") << QByteArray() << QStringList{QStringLiteral("--idle-timeout"), QStringLiteral("1")}
                                           << "--idle-timeout: idle-timeout: '1' is not a whole number from 5";
        QTest::newRow("unknown key") << QByteArray("[kiosk]\nidle-timout=30\n") << QStringList() << "unknown setting 'idle-timout'";
        QTest::newRow("fullscreen") << QByteArray("[kiosk]\nfullscreen=maybe\n") << QStringList() << "'maybe' is not true or false";
        QTest::newRow("unknown flag") << QByteArray() << QStringList{QStringLiteral("--no-such-flag")} << "Unknown option";
        // Verification is always on: a service is reached over https, plain http only on this machine.
        QTest::newRow("service over plain http") << QByteArray("[kiosk]\nservice-url=http://delivery.example.jp\n")
                                                 << QStringList() << "service-url: 'http://delivery.example.jp' is not an https:// service address";
        QTest::newRow("service url with a query") << QByteArray() << QStringList{QStringLiteral("--service-url"), QStringLiteral("https://d.example.jp/?a=1")}
                                                  << "--service-url: service-url: 'https://d.example.jp/?a=1' is not an https:// service address";
        QTest::newRow("service url without a host") << QByteArray("[kiosk]\nservice-url=https://\n") << QStringList()
                                                    << "service-url: 'https://' is not an https:// service address";
        QTest::newRow("heartbeat too often") << QByteArray("[kiosk]\nheartbeat-interval=1\n") << QStringList()
                                             << "heartbeat-interval: '1' is not a whole number from 10 to 86400";
    }
    void badValuesAreReportedWithWhereTheyCameFrom()
    {
        QFETCH(QByteArray, file);
        QFETCH(QStringList, args);
        QFETCH(QString, expected);
        const QString path = writeConfig(file);
        const ConfigLoad load =
            loadKioskConfig(QStringList{QStringLiteral("poptap-kiosk"), QStringLiteral("--config"), path} + args, {});
        QVERIFY(!load.errors.isEmpty());
        QVERIFY2(load.errors.join(u'\n').contains(expected), qPrintable(load.errors.join(u'\n')));
    }

    void shippedExampleIsValid()
    {
        const ConfigLoad load = loadKioskConfig(
            {QStringLiteral("poptap-kiosk"), QStringLiteral("--config"),
             QStringLiteral(POPTAP_SOURCE_DIR "/packaging/kiosk.conf.example")},
            {});
        QVERIFY2(load.errors.isEmpty(), qPrintable(load.errors.join(u'\n')));
        QCOMPARE(load.config.idleTimeoutSeconds, 45);
        QCOMPARE(load.config.linkTemplate, QStringLiteral("liff"));
        QVERIFY(load.config.fullScreen);
        QCOMPARE(load.config.serviceUrl, QStringLiteral("https://delivery.example.jp"));
        QCOMPARE(load.config.heartbeatSeconds, 300);
    }

    void serviceOnThisMachineMayUsePlainHttp()
    {
        for (const char *url : {"http://127.0.0.1:8080", "http://localhost:8080/", "https://delivery.example.jp/kiosk"}) {
            const ConfigLoad load = loadKioskConfig({QStringLiteral("poptap-kiosk"), QStringLiteral("--config"), writeConfig(""),
                                                     QStringLiteral("--service-url"), QString::fromLatin1(url)},
                                                    {});
            QVERIFY2(load.errors.isEmpty(), qPrintable(load.errors.join(u'\n')));
            QCOMPARE(load.config.serviceUrl, QString::fromLatin1(url));
        }
    }

    void automationSocketCanBeTurnedOff()
    {
        const ConfigLoad load = loadKioskConfig({QStringLiteral("poptap-kiosk"), QStringLiteral("--config"), writeConfig(""),
                                                 QStringLiteral("--automation-socket"), QStringLiteral("off")},
                                                {});
        QVERIFY(load.config.automationSocketPath().isEmpty());
    }

    void helpListsEverySetting()
    {
        const ConfigLoad load = loadKioskConfig({QStringLiteral("poptap-kiosk"), QStringLiteral("--help")}, {});
        QVERIFY(load.helpRequested);
        for (const char *flag : {"--data-dir", "--language", "--idle-timeout", "--nfc", "--link-template", "--self-test",
                                 "--service-url", "--enrollment-code", "--ca-bundle", "--pinned-public-key", "--proxy"})
            QVERIFY2(load.helpText.contains(QLatin1String(flag)), flag);
    }
};

QTEST_GUILESS_MAIN(KioskConfigTest)
#include "kioskconfigtest.moc"
