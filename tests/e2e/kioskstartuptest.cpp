// Starting the kiosk in the states a store leaves it in: a corrupt outbox, a wrong
// configuration, a fresh install (--self-test), and storage that runs full.
#include "kioskapp.h"
#include "kioskdata.h"
#include "kioskprocess.h"
#include "kiosksession.h"
#include "nfcdevice.h"
#include "registrationtoken.h"
#include "testcatalog.h"

#include <QDir>
#include <QFile>
#include <QFont>
#include <QGuiApplication>
#include <QImage>
#include <QJsonArray>
#include <QLocalSocket>
#include <QQuickItem>
#include <QQuickWindow>
#include <QRandomGenerator>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QtQml/QQmlExtensionPlugin>

#include <sys/stat.h>
#include <unistd.h>

Q_IMPORT_QML_PLUGIN(PopTap_KioskPlugin)
Q_IMPORT_QML_PLUGIN(PopTap_UiPlugin)

using namespace poptap;
using namespace poptap::test;

namespace {
constexpr int kScreenWaitMs = 5000;

QByteArray readAll(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

// Registers a brand through the automation socket; returns the token shown, or empty.
QString registerBrand(KioskProcess &kiosk, int brandId = 7)
{
    const QJsonObject reply = kiosk.call(KioskProcess::command("selectBrand", {{QStringLiteral("brandId"), brandId}}));
    if (!reply.value(QLatin1String("ok")).toBool() || !kiosk.waitForScreen(QStringLiteral("Code"), kScreenWaitMs))
        return {};
    const QString link = kiosk.state().value(QLatin1String("link")).toString();
    return link.section(QLatin1Char('/'), -1);
}

std::optional<TokenClaims> verifiedClaims(const QString &token, const DeviceKeyFile &key)
{
    const TokenVerification v = RegistrationToken::verify(
        token, [&](std::uint32_t keyId) -> std::optional<QByteArray> {
            return keyId == key.keyId ? std::optional(key.secret) : std::nullopt;
        }, QDateTime::currentDateTimeUtc());
    return v.claims;
}

int permissionBits(const QString &path, struct stat *info)
{
    return ::stat(QFile::encodeName(path).constData(), info) == 0 ? int(info->st_mode & 07777) : -1;
}

// Until the registration in flight is committed or refused.
bool waitUntilIdle(KioskSession *session)
{
    QSignalSpy busyChanged(session, &KioskSession::busyChanged);
    return !session->isBusy() || (busyChanged.wait(kScreenWaitMs) && !session->isBusy());
}

// Items in the visual tree, where Loader-created screens live.
QQuickItem *findItem(QQuickItem *root, const QString &objectName)
{
    if (root->objectName() == objectName)
        return root;
    const QList<QQuickItem *> children = root->childItems();
    for (QQuickItem *child : children)
        if (QQuickItem *found = findItem(child, objectName))
            return found;
    return nullptr;
}

// Pixels of the problem banner's colour (Theme.warning).
qsizetype warningPixels(const QImage &image)
{
    const QImage rgb = image.convertToFormat(QImage::Format_RGB32);
    const QRgb warning = qRgb(0xb3, 0x26, 0x1e);
    qsizetype count = 0;
    for (int y = 0; y < rgb.height(); ++y) {
        const auto *line = reinterpret_cast<const QRgb *>(rgb.constScanLine(y));
        count += std::count(line, line + rgb.width(), warning);
    }
    return count;
}
} // namespace

class KioskStartupTest : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void corruptOutboxIsQuarantinedAndKioskKeepsWorking();
    void invalidLinkTemplateIsRefused_data();
    void invalidLinkTemplateIsRefused();
    void selfTestPasses();
    void secretsAndSocketAreOwnerOnly();
    void selfTestLeavesARunningKioskAlone();
    void fullStorageRefusesClearlyAndLosesNothing();
};

void KioskStartupTest::initTestCase()
{
    QGuiApplication::setFont(QFont(QStringLiteral("Noto Sans CJK JP"))); // as main.cpp does
    QVERIFY2(QFile::exists(KioskProcess::binaryPath()), qPrintable(KioskProcess::binaryPath()));
}

void KioskStartupTest::corruptOutboxIsQuarantinedAndKioskKeepsWorking()
{
    QTemporaryDir temp;
    const QString dataDir = temp.filePath(QStringLiteral("data"));
    const QString outboxPath = QDir(dataDir).filePath(QStringLiteral("outbox.db"));
    const QStringList args{QStringLiteral("--catalog-seed"), demoCatalogPath()};

    // A kiosk that has been in use: a key, an outbox, one registration.
    TokenClaims before;
    {
        KioskProcess kiosk(args, dataDir);
        QVERIFY2(kiosk.start(), qPrintable(kiosk.diagnostics()));
        const QString token = registerBrand(kiosk);
        QVERIFY2(!token.isEmpty(), qPrintable(kiosk.diagnostics()));
        const auto claims = verifiedClaims(token, DeviceKeyFile::read(dataDir));
        QVERIFY(claims);
        before = *claims;
        kiosk.stop();
    }
    // A clean restart folds the write-ahead log into outbox.db. (While a WAL that holds
    // every page is beside it, SQLite reads the pages from there and garbage in the main
    // file goes unnoticed, and harmlessly: the next checkpoint rewrites it.)
    const KioskProcess::Run restart = KioskProcess::run(args + QStringList{QStringLiteral("--data-dir"), dataDir,
                                                                           QStringLiteral("--self-test")});
    QVERIFY2(restart.exitCode == 0, restart.standardError.constData());
    QVERIFY(!QFile::exists(outboxPath + QStringLiteral("-wal")));

    // The outbox file is overwritten with garbage (a bad sector, a bad write).
    QByteArray garbage(64 * 1024, Qt::Uninitialized);
    QRandomGenerator::global()->fillRange(reinterpret_cast<quint32 *>(garbage.data()), garbage.size() / 4);
    {
        QFile file(outboxPath);
        QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
        QCOMPARE(file.write(garbage), garbage.size());
    }

    KioskProcess kiosk(args, dataDir);
    QVERIFY2(kiosk.start(), qPrintable(kiosk.diagnostics()));
    const QJsonObject state = kiosk.state();
    const QString warnings = state.value(QLatin1String("warnings")).toVariant().toStringList().join(QLatin1Char('\n'));
    QVERIFY2(warnings.contains(QLatin1String("outbox")) && warnings.contains(QLatin1String("corrupt"))
                 && warnings.contains(QLatin1String("outbox.db.corrupt-")),
             qPrintable(QStringLiteral("warnings: ") + warnings));

    // Kept for diagnosis, byte for byte.
    const QStringList quarantined = QDir(dataDir).entryList({QStringLiteral("outbox.db.corrupt-*")}, QDir::Files)
                                        .filter(QRegularExpression(QStringLiteral("^outbox\\.db\\.corrupt-[^.]*$")));
    QCOMPARE(quarantined.size(), 1);
    QVERIFY2(warnings.contains(quarantined.constFirst()), qPrintable(warnings));
    QVERIFY2(readAll(QDir(dataDir).filePath(quarantined.constFirst())) == garbage,
             "the quarantined file does not hold the original bytes");

    // Registration works on the fresh outbox, and its token cannot collide with the
    // earlier one: a new outbox generation (epoch), not a reused sequence.
    const QString token = registerBrand(kiosk, 9);
    QVERIFY2(!token.isEmpty(), qPrintable(kiosk.diagnostics()));
    const auto after = verifiedClaims(token, DeviceKeyFile::read(dataDir));
    QVERIFY(after);
    QCOMPARE(after->target, 9u);
    QVERIFY2(after->epoch > before.epoch, qPrintable(QStringLiteral("epoch %1 after %2").arg(after->epoch).arg(before.epoch)));
    QVERIFY(after->intentId() != before.intentId());
    OutboxReader outbox(outboxPath);
    QVERIFY2(outbox.isOpen(), qPrintable(outbox.errorString()));
    QCOMPARE(outbox.count(), 1);
    QVERIFY(outbox.byToken(token));
    QVERIFY2(kiosk.isRunning(), qPrintable(kiosk.diagnostics()));
}

void KioskStartupTest::invalidLinkTemplateIsRefused_data()
{
    QTest::addColumn<QString>("linkTemplate");
    QTest::newRow("plain http") << QStringLiteral("http://example.com/{token}");
    QTest::newRow("https, not LINE") << QStringLiteral("https://example.com/{token}");
}

void KioskStartupTest::invalidLinkTemplateIsRefused()
{
    QFETCH(QString, linkTemplate);
    QTemporaryDir temp;
    const QString config = temp.filePath(QStringLiteral("kiosk.conf"));
    {
        QFile file(config);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("[kiosk]\nlink-template=" + linkTemplate.toUtf8() + '\n');
    }
    // --self-test bounds the run should the kiosk wrongly start.
    const KioskProcess::Run run = KioskProcess::run({QStringLiteral("--config"), config, QStringLiteral("--data-dir"),
                                                     temp.filePath(QStringLiteral("data")), QStringLiteral("--self-test")});
    QVERIFY(run.finished);
    const QString err = QString::fromUtf8(run.standardError);
    QVERIFY2(run.exitCode != 0, qPrintable(QStringLiteral("exit code %1\n").arg(run.exitCode) + err));
    QVERIFY2(err.contains(linkTemplate), qPrintable(QStringLiteral("stderr does not name the template:\n") + err));
    QVERIFY(!run.standardOutput.contains("self-test passed"));
}

void KioskStartupTest::selfTestPasses()
{
    QTemporaryDir temp;
    const KioskProcess::Run run = KioskProcess::run({QStringLiteral("--data-dir"), temp.filePath(QStringLiteral("data")),
                                                     QStringLiteral("--self-test")});
    QVERIFY(run.finished);
    QVERIFY2(run.exitCode == 0, qPrintable(QString::fromUtf8(run.standardError)));
    QVERIFY2(run.standardOutput.contains("self-test passed"), run.standardOutput.constData());
    QVERIFY2(run.standardOutput.contains("45 brands"), run.standardOutput.constData());
}

void KioskStartupTest::secretsAndSocketAreOwnerOnly()
{
    KioskProcess kiosk;
    QVERIFY2(kiosk.start(), qPrintable(kiosk.diagnostics()));
    struct stat info {};
    QCOMPARE(permissionBits(kiosk.socketPath(), &info), 0700);
    QVERIFY(S_ISSOCK(info.st_mode));
    QCOMPARE(info.st_uid, ::getuid());
    const QString keyPath = QDir(kiosk.dataDir()).filePath(QStringLiteral("device-key.json"));
    QCOMPARE(permissionBits(keyPath, &info), 0600);
    QCOMPARE(info.st_uid, ::getuid());
    QCOMPARE(permissionBits(kiosk.dataDir(), &info) & 077, 0);
}

// An installer checking a live appliance with `poptap-kiosk --self-test` (same
// kiosk.conf, so the same data directory): the check is refused, and the running kiosk
// keeps its socket and its outbox.
void KioskStartupTest::selfTestLeavesARunningKioskAlone()
{
    KioskProcess live;
    QVERIFY2(live.start(), qPrintable(live.diagnostics()));
    const KioskProcess::Run check = KioskProcess::run({QStringLiteral("--data-dir"), live.dataDir(), QStringLiteral("--self-test")});
    QVERIFY(check.finished);
    QVERIFY2(check.exitCode != 0, check.standardOutput.constData());
    QVERIFY2(check.standardError.contains("another kiosk"), check.standardError.constData());

    QVERIFY2(live.isRunning(), qPrintable(live.diagnostics()));
    QLocalSocket client;
    client.connectToServer(live.socketPath());
    QVERIFY2(client.waitForConnected(2000), qPrintable(client.errorString()));
    QVERIFY2(!registerBrand(live).isEmpty(), qPrintable(live.diagnostics()));
}

// Real and fast: the whole kiosk in-process (KioskApp, as main.cpp builds it) with the
// production outbox under a 64 KiB size cap, so it fills after a few dozen durable
// registrations. Through the binary the smallest cap is 1 MiB: about 4,000 intents at
// one fsync each, ≈ 1 minute on the dev machine, too slow for every CI run.
void KioskStartupTest::fullStorageRefusesClearlyAndLosesNothing()
{
    QTemporaryDir temp;
    KioskConfig config;
    config.dataDir = temp.filePath(QStringLiteral("data"));
    config.catalogSeed = demoCatalogPath();
    config.automationSocket = QStringLiteral("off");
    config.idleTimeoutSeconds = 600;
    config.codeTimeoutSeconds = 600;
    config.outboxMaxBytes = 64 * 1024;
    KioskApp app(config);
    QSignalSpy firstFrame(&app, &KioskApp::firstFrameShown);
    QCOMPARE(app.start(), QString());
    QVERIFY(firstFrame.wait(10000));
    KioskSession *session = app.session();

    session->start();
    QCOMPARE(session->screen(), KioskSession::Screen::BrandGrid);
    const QImage healthy = app.window()->grabWindow();
    QCOMPARE(warningPixels(healthy), 0);

    const QList<int> brandIds{7, 1, 2, 3, 4, 5, 6, 8, 9, 10};
    QStringList shownLinks;
    for (int i = 0; i < 2000 && session->problem() == KioskSession::Problem::None; ++i) {
        QVERIFY(session->selectBrand(brandIds.at(i % brandIds.size())));
        QVERIFY(waitUntilIdle(session));
        if (session->screen() == KioskSession::Screen::Code) {
            QVERIFY(!session->link().isEmpty());
            QCOMPARE(app.nfc()->servedLink().toString(QUrl::FullyEncoded), session->link());
            shownLinks << session->link();
            session->cancel();
        }
    }
    QCOMPARE(session->problem(), KioskSession::Problem::StorageFull);
    QVERIFY2(shownLinks.size() >= 10, qPrintable(QStringLiteral("only %1 registrations before full").arg(shownLinks.size())));

    // A clear refusal: still on the brand grid, no code, nothing served, the banner says why.
    QCOMPARE(session->screen(), KioskSession::Screen::BrandGrid);
    QCOMPARE(session->link(), QString());
    QVERIFY(app.nfc()->servedLink().isEmpty());
    const QImage refused = app.window()->grabWindow();
    QVERIFY2(warningPixels(refused) > 100000, qPrintable(QStringLiteral("banner pixels: %1").arg(warningPixels(refused))));
    QQuickItem *bannerText = findItem(app.window()->contentItem(), QStringLiteral("problemText"));
    QVERIFY(bannerText);
    QVERIFY(bannerText->isVisible());
    const QString expected = QCoreApplication::translate(
        "ProblemBanner", "Registration is paused because the kiosk's storage is full. Please ask a staff member.");
    QCOMPARE(bannerText->property("text").toString(), expected);

    // Trying again is refused the same way, without a crash or a half-written intent.
    QVERIFY(session->selectBrand(7));
    QVERIFY(waitUntilIdle(session));
    QCOMPARE(session->problem(), KioskSession::Problem::StorageFull);
    QCOMPARE(session->screen(), KioskSession::Screen::BrandGrid);

    // Nothing lost, nothing extra: every link the kiosk showed is a pending intent.
    OutboxReader outbox(app.outboxPath());
    QVERIFY2(outbox.isOpen(), qPrintable(outbox.errorString()));
    QSet<QString> stored;
    for (const IntentRow &row : outbox.intents()) {
        QCOMPARE(row.state, QStringLiteral("pending"));
        stored.insert(row.token);
    }
    QCOMPARE(outbox.count(), qint64(shownLinks.size()));
    for (const QString &link : std::as_const(shownLinks))
        QVERIFY2(stored.contains(link.section(QLatin1Char('/'), -1)), qPrintable(link));
}

QTEST_MAIN(KioskStartupTest)
#include "kioskstartuptest.moc"
