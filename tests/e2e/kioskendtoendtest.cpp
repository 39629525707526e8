// The real kiosk binary, driven like a shopper would use it, checked from the outside:
// the QR code a camera reads off the screen, the token the delivery service verifies,
// the outbox row that will sync, and the link the NFC tag serves.
#include "kioskdata.h"
#include "kioskprocess.h"
#include "registrationtoken.h"
#include "screenqr.h"
#include "testcatalog.h"

#include <QDateTime>
#include <QDeadlineTimer>
#include <QElapsedTimer>
#include <QImage>
#include <QJsonObject>
#include <QRegularExpression>
#include <QSet>
#include <QTest>
#include <QThread>

#include <algorithm>
#include <cstdlib>

using namespace poptap;
using namespace poptap::test;

namespace {
constexpr int kDoneTimeoutS = 2;
constexpr int kIdleTimeoutS = 5;
constexpr int kCodeTimeoutS = 10;
constexpr int kScreenWaitMs = 5000;

// Pixels that differ by more than antialiasing does (any channel by more than 48 of 255).
qsizetype visiblyDifferentPixels(const QImage &a, const QImage &b)
{
    const QImage x = a.convertToFormat(QImage::Format_RGB32);
    const QImage y = b.convertToFormat(QImage::Format_RGB32);
    qsizetype count = 0;
    for (int row = 0; row < x.height(); ++row) {
        const auto *p = reinterpret_cast<const QRgb *>(x.constScanLine(row));
        const auto *q = reinterpret_cast<const QRgb *>(y.constScanLine(row));
        for (int col = 0; col < x.width(); ++col) {
            const int d = std::max({std::abs(qRed(p[col]) - qRed(q[col])), std::abs(qGreen(p[col]) - qGreen(q[col])),
                                    std::abs(qBlue(p[col]) - qBlue(q[col]))});
            count += d > 48;
        }
    }
    return count;
}
} // namespace

class KioskEndToEndTest : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanupTestCase();

    void registersBrandAndServesTheSameLink_data();
    void registersBrandAndServesTheSameLink();
    void crispnessCheckSeesBlur();
    void refusesDisabledBrand();
    void switchesLanguageAndBack();
    void idleBrandGridReturnsToAttract();
    void expiredCodeStopsServingItsLink();

private:
    QImage screenshot(const QString &name);
    QString fail(const QString &what) const { return what + QLatin1Char('\n') + m_kiosk->diagnostics(); }

    std::unique_ptr<KioskProcess> m_kiosk;
    DeviceKeyFile m_key;
    QString m_liffId;
    QSet<QString> m_tokens;
};

void KioskEndToEndTest::initTestCase()
{
    m_liffId = demoCatalog().value(QLatin1String("link")).toObject().value(QLatin1String("liffId")).toString();
    QVERIFY(!m_liffId.isEmpty());
    m_kiosk = std::make_unique<KioskProcess>(QStringList{
        QStringLiteral("--catalog-seed"), demoCatalogPath(),
        QStringLiteral("--done-timeout"), QString::number(kDoneTimeoutS),
        QStringLiteral("--idle-timeout"), QString::number(kIdleTimeoutS),
        QStringLiteral("--code-timeout"), QString::number(kCodeTimeoutS),
    });
    QVERIFY2(m_kiosk->start(), qPrintable(fail(QStringLiteral("kiosk did not start"))));
    m_key = DeviceKeyFile::read(m_kiosk->dataDir());
    QVERIFY2(m_key.error.isEmpty(), qPrintable(m_key.error));
    const QJsonObject state = m_kiosk->state();
    QCOMPARE(state.value(QLatin1String("brands")).toInt(), 45);
    QCOMPARE(state.value(QLatin1String("nfc")).toObject().value(QLatin1String("backend")).toString(), QStringLiteral("sim"));
}

void KioskEndToEndTest::init()
{
    QVERIFY2(m_kiosk->isRunning(), qPrintable(fail(QStringLiteral("the kiosk is gone"))));
    QVERIFY(m_kiosk->call(KioskProcess::command("back")).value(QLatin1String("ok")).toBool());
    QVERIFY2(m_kiosk->waitForScreen(QStringLiteral("Attract"), kScreenWaitMs), qPrintable(fail(m_kiosk->errorString())));
}

void KioskEndToEndTest::cleanupTestCase()
{
    if (m_kiosk) {
        QVERIFY2(m_kiosk->isRunning(), qPrintable(fail(QStringLiteral("the kiosk exited during the tests"))));
        m_kiosk->stop();
    }
}

QImage KioskEndToEndTest::screenshot(const QString &name)
{
    const QString path = m_kiosk->tempPath(name + QStringLiteral(".png"));
    const QJsonObject reply = m_kiosk->call(KioskProcess::command("screenshot", {{QStringLiteral("path"), path}}));
    if (!reply.value(QLatin1String("ok")).toBool()) {
        qWarning().noquote() << "screenshot failed:" << reply.value(QLatin1String("error")).toString();
        return {};
    }
    return QImage(path);
}

void KioskEndToEndTest::registersBrandAndServesTheSameLink_data()
{
    QTest::addColumn<int>("brandId");
    QTest::addColumn<QString>("language"); // the layout, and so where the code lands, differs
    QTest::newRow("Yamabiko Mountain (7), ja") << 7 << QStringLiteral("ja");
    QTest::newRow("Kumo Tailors (1), en") << 1 << QStringLiteral("en");
    QTest::newRow("last brand (48), ja") << 48 << QStringLiteral("ja");
}

void KioskEndToEndTest::registersBrandAndServesTheSameLink()
{
    QFETCH(int, brandId);
    QFETCH(QString, language);
    const QDateTime before = QDateTime::currentDateTimeUtc().addSecs(-1);

    QJsonObject reply = m_kiosk->call(KioskProcess::command("language", {{QStringLiteral("language"), language}}));
    QVERIFY(reply.value(QLatin1String("ok")).toBool());
    reply = m_kiosk->call(KioskProcess::command("selectBrand", {{QStringLiteral("brandId"), brandId}}));
    QVERIFY2(reply.value(QLatin1String("ok")).toBool(), qPrintable(fail(reply.value(QLatin1String("error")).toString())));
    QVERIFY2(m_kiosk->waitForScreen(QStringLiteral("Code"), kScreenWaitMs), qPrintable(fail(m_kiosk->errorString())));
    const QJsonObject state = m_kiosk->state();
    const QString link = state.value(QLatin1String("link")).toString();
    QCOMPARE(state.value(QLatin1String("selectedBrandId")).toInt(), brandId);
    QCOMPARE(state.value(QLatin1String("language")).toString(), language);

    // What a phone camera reads off the screen is the link the kiosk committed.
    const QImage shot = screenshot(QStringLiteral("code-%1").arg(brandId));
    QVERIFY(!shot.isNull());
    const ScreenQr qr = decodeScreenQr(shot);
    QVERIFY2(qr.found, "no QR code found in the screenshot of the code screen");
    QCOMPARE(qr.text, link);
    QCOMPARE(qr.ecLevel, QStringLiteral("M"));

    // Crisp: whole-pixel modules, uniform blocks, two colours, a clean quiet zone; and
    // small enough for arm's length (DESIGN.md: version ≤ 5 at level M).
    const QrGrid grid = inspectQrGrid(shot, qr.bounds);
    QVERIFY2(grid.problem.isEmpty(), qPrintable(grid.problem));
    QVERIFY2(grid.colours.contains(qRgb(0, 0, 0)) && grid.colours.contains(qRgb(255, 255, 255)),
             "the code is not drawn black on white");
    QVERIFY2(grid.version() >= 1 && grid.version() <= 5, qPrintable(QStringLiteral("QR version %1").arg(grid.version())));
    QVERIFY2(grid.modulePixels >= 8, qPrintable(QStringLiteral("modules of %1 px").arg(grid.modulePixels)));

    // The LIFF link of this catalog, path-based, carrying the token.
    static const QRegularExpression linkPattern(QStringLiteral("^https://liff\\.line\\.me/([^/]+)/r/([A-Za-z0-9_-]+)$"));
    const QRegularExpressionMatch match = linkPattern.match(link);
    QVERIFY2(match.hasMatch(), qPrintable(link));
    QCOMPARE(match.captured(1), m_liffId);
    const QString token = match.captured(2);
    QVERIFY2(token.size() <= 40, qPrintable(token));
    QVERIFY2(!m_tokens.contains(token), "a token was issued twice");
    m_tokens.insert(token);

    // The delivery service, holding the device secret, can confirm it from the token alone.
    const QDateTime now = QDateTime::currentDateTimeUtc();
    const TokenVerification verified = RegistrationToken::verify(
        token, [this](std::uint32_t keyId) -> std::optional<QByteArray> {
            return keyId == m_key.keyId ? std::optional(m_key.secret) : std::nullopt;
        }, now);
    QVERIFY2(verified.ok(), qPrintable(describe(verified.error.value_or(TokenError::Malformed))));
    const TokenClaims claims = *verified.claims;
    QCOMPARE(claims.keyId, m_key.keyId);
    QCOMPARE(claims.kind, RegistrationKind::BrandInterest);
    QCOMPARE(claims.target, std::uint32_t(brandId));
    QVERIFY2(claims.issuedAt >= before && claims.issuedAt <= now, qPrintable(claims.issuedAt.toString(Qt::ISODate)));
    QCOMPARE(claims.ttlHours, std::uint8_t(24));

    // ...and nobody else can: another secret fails the MAC.
    QByteArray otherSecret = m_key.secret;
    otherSecret[0] = char(otherSecret[0] ^ 0x01);
    const TokenVerification forged = RegistrationToken::verify(
        token, [&](std::uint32_t) { return std::optional(otherSecret); }, now);
    QVERIFY(!forged.ok());
    QCOMPARE(forged.error, std::optional(TokenError::BadSignature));

    // Durable before it was shown: the outbox holds it, pending, waiting to sync.
    {
        OutboxReader outbox(m_kiosk->dataDir() + QStringLiteral("/outbox.db"));
        QVERIFY2(outbox.isOpen(), qPrintable(outbox.errorString()));
        const std::optional<IntentRow> row = outbox.byToken(token);
        QVERIFY2(row, "the token on screen is not in the outbox");
        QCOMPARE(row->target, qint64(brandId));
        QCOMPARE(row->kind, int(RegistrationKind::BrandInterest));
        QCOMPARE(row->state, QStringLiteral("pending"));
        QCOMPARE(row->keyId, qint64(claims.keyId));
        QCOMPARE(row->epoch, int(claims.epoch));
        QCOMPARE(row->sequence, qint64(claims.sequence));
        QCOMPARE(row->intentId, claims.intentId());
        QCOMPARE(row->issuedAt, claims.issuedAt.toSecsSinceEpoch());
        QCOMPARE(row->expiresAt, claims.expiresAt().toSecsSinceEpoch());
    }

    // The NFC tag serves exactly the link on screen.
    const QJsonObject nfc = state.value(QLatin1String("nfc")).toObject();
    QCOMPARE(nfc.value(QLatin1String("servedLink")).toString(), link);
    QCOMPARE(nfc.value(QLatin1String("status")).toString(), QStringLiteral("serving"));

    // A phone reads the tag: "check your phone", and the tag stops serving the used link.
    const int readsBefore = state.value(QLatin1String("phoneReads")).toInt();
    reply = m_kiosk->call(KioskProcess::command("phoneRead"));
    QVERIFY2(reply.value(QLatin1String("ok")).toBool(), qPrintable(fail(reply.value(QLatin1String("error")).toString())));
    QVERIFY2(m_kiosk->waitForScreen(QStringLiteral("Done"), kScreenWaitMs), qPrintable(fail(m_kiosk->errorString())));
    const QJsonObject done = m_kiosk->state();
    QCOMPARE(done.value(QLatin1String("phoneReads")).toInt(), readsBefore + 1);
    QCOMPARE(done.value(QLatin1String("nfc")).toObject().value(QLatin1String("servedLink")).toString(), QString());

    // After the done timeout the kiosk is ready for the next shopper.
    QVERIFY2(m_kiosk->waitForScreen(QStringLiteral("Attract"), (kDoneTimeoutS + 3) * 1000),
             qPrintable(fail(m_kiosk->errorString())));
    QCOMPARE(m_kiosk->state().value(QLatin1String("link")).toString(), QString());
}

// The crispness check itself: a screenshot that passes it fails once smoothly rescaled
// by 5 % (what a fractional scale or a filtered texture does to a code).
void KioskEndToEndTest::crispnessCheckSeesBlur()
{
    QVERIFY(m_kiosk->call(KioskProcess::command("selectBrand", {{QStringLiteral("brandId"), 2}})).value(QLatin1String("ok")).toBool());
    QVERIFY2(m_kiosk->waitForScreen(QStringLiteral("Code"), kScreenWaitMs), qPrintable(fail(m_kiosk->errorString())));
    const QImage shot = screenshot(QStringLiteral("code-for-blur"));
    const ScreenQr sharp = decodeScreenQr(shot);
    QVERIFY(sharp.found);
    QCOMPARE(inspectQrGrid(shot, sharp.bounds).problem, QString());

    const QImage blurred = shot.scaled(shot.size() * 1.05, Qt::IgnoreAspectRatio, Qt::SmoothTransformation);
    const ScreenQr qr = decodeScreenQr(blurred);
    QVERIFY(qr.found); // a camera still reads it...
    QVERIFY(!inspectQrGrid(blurred, qr.bounds).problem.isEmpty()); // ...but it is not crisp
}

void KioskEndToEndTest::refusesDisabledBrand()
{
    qint64 intentsBefore = 0;
    {
        OutboxReader outbox(m_kiosk->dataDir() + QStringLiteral("/outbox.db"));
        intentsBefore = outbox.count();
        QVERIFY2(intentsBefore >= 0, qPrintable(outbox.errorString()));
    }
    // 17 is in the catalog but disabled; 999 is not in it at all.
    for (const int brandId : {17, 999}) {
        const QJsonObject reply = m_kiosk->call(KioskProcess::command("selectBrand", {{QStringLiteral("brandId"), brandId}}));
        QVERIFY(!reply.value(QLatin1String("ok")).toBool());
        QVERIFY2(reply.value(QLatin1String("error")).toString().contains(QString::number(brandId)),
                 qPrintable(reply.value(QLatin1String("error")).toString()));
    }
    QThread::msleep(300); // time for a registration that should not happen
    const QJsonObject state = m_kiosk->state();
    QCOMPARE(state.value(QLatin1String("screen")).toString(), QStringLiteral("BrandGrid"));
    QCOMPARE(state.value(QLatin1String("link")).toString(), QString());
    QCOMPARE(state.value(QLatin1String("busy")).toBool(), false);
    QCOMPARE(state.value(QLatin1String("nfc")).toObject().value(QLatin1String("servedLink")).toString(), QString());
    OutboxReader outbox(m_kiosk->dataDir() + QStringLiteral("/outbox.db"));
    QCOMPARE(outbox.count(), intentsBefore);
}

void KioskEndToEndTest::switchesLanguageAndBack()
{
    QVERIFY(m_kiosk->call(KioskProcess::command("start")).value(QLatin1String("ok")).toBool());
    QVERIFY(m_kiosk->waitForScreen(QStringLiteral("BrandGrid"), kScreenWaitMs));
    QCOMPARE(m_kiosk->state().value(QLatin1String("language")).toString(), QStringLiteral("ja"));
    const QImage japanese = screenshot(QStringLiteral("grid-ja"));

    QVERIFY(m_kiosk->call(KioskProcess::command("language", {{QStringLiteral("language"), QStringLiteral("en")}})).value(QLatin1String("ok")).toBool());
    QCOMPARE(m_kiosk->state().value(QLatin1String("language")).toString(), QStringLiteral("en"));
    const QImage english = screenshot(QStringLiteral("grid-en"));

    const QJsonObject refused = m_kiosk->call(KioskProcess::command("language", {{QStringLiteral("language"), QStringLiteral("fr")}}));
    QVERIFY(!refused.value(QLatin1String("ok")).toBool());
    QCOMPARE(m_kiosk->state().value(QLatin1String("language")).toString(), QStringLiteral("en"));

    QVERIFY(m_kiosk->call(KioskProcess::command("language", {{QStringLiteral("language"), QStringLiteral("ja")}})).value(QLatin1String("ok")).toBool());
    const QImage japaneseAgain = screenshot(QStringLiteral("grid-ja-again"));
    QCOMPARE(m_kiosk->screen(), QStringLiteral("BrandGrid")); // all three shots are of the same screen

    QVERIFY(!japanese.isNull() && !english.isNull() && !japaneseAgain.isNull());
    QCOMPARE(english.size(), japanese.size());
    QCOMPARE(japaneseAgain.size(), japanese.size());
    // Text is re-laid out on a switch, so glyph edges may differ by a few levels of grey;
    // a changed word differs by far more.
    const qsizetype changed = visiblyDifferentPixels(japanese, english);
    QVERIFY2(changed > 10000, qPrintable(QStringLiteral("English differs from Japanese in only %1 px").arg(changed)));
    const qsizetype restored = visiblyDifferentPixels(japanese, japaneseAgain);
    QVERIFY2(restored == 0, qPrintable(QStringLiteral("back in Japanese, %1 px still differ").arg(restored)));

    // The next shopper starts in the configured language again.
    QVERIFY(m_kiosk->call(KioskProcess::command("language", {{QStringLiteral("language"), QStringLiteral("en")}})).value(QLatin1String("ok")).toBool());
    QVERIFY(m_kiosk->call(KioskProcess::command("back")).value(QLatin1String("ok")).toBool());
    QCOMPARE(m_kiosk->state().value(QLatin1String("language")).toString(), QStringLiteral("ja"));
}

void KioskEndToEndTest::idleBrandGridReturnsToAttract()
{
    QVERIFY(m_kiosk->call(KioskProcess::command("start")).value(QLatin1String("ok")).toBool());
    QElapsedTimer idle;
    idle.start();
    QVERIFY(m_kiosk->waitForScreen(QStringLiteral("BrandGrid"), kScreenWaitMs));
    QVERIFY2(m_kiosk->waitForScreen(QStringLiteral("Attract"), (kIdleTimeoutS + 4) * 1000),
             qPrintable(fail(m_kiosk->errorString())));
    // Not earlier than the idle timeout (coarse timers may fire up to 5 % early).
    QVERIFY2(idle.elapsed() >= kIdleTimeoutS * 900, qPrintable(QStringLiteral("after %1 ms").arg(idle.elapsed())));
}

void KioskEndToEndTest::expiredCodeStopsServingItsLink()
{
    QVERIFY(m_kiosk->call(KioskProcess::command("selectBrand", {{QStringLiteral("brandId"), 7}})).value(QLatin1String("ok")).toBool());
    QVERIFY2(m_kiosk->waitForScreen(QStringLiteral("Code"), kScreenWaitMs), qPrintable(fail(m_kiosk->errorString())));
    QElapsedTimer shown;
    shown.start();
    QJsonObject state = m_kiosk->state();
    const QString link = state.value(QLatin1String("link")).toString();
    QVERIFY(!link.isEmpty());
    QVERIFY(state.value(QLatin1String("secondsLeft")).toInt() <= kCodeTimeoutS);

    // While the code is shown the tag serves it; the moment it is gone, so is the link.
    const QDeadlineTimer deadline((kCodeTimeoutS + 5) * 1000);
    while (state.value(QLatin1String("screen")).toString() == QLatin1String("Code")) {
        QVERIFY2(!deadline.hasExpired(), "the code never timed out");
        QCOMPARE(state.value(QLatin1String("nfc")).toObject().value(QLatin1String("servedLink")).toString(), link);
        QThread::msleep(50);
        state = m_kiosk->state();
        QVERIFY2(state.value(QLatin1String("ok")).toBool(), qPrintable(fail(QStringLiteral("state failed"))));
    }
    QVERIFY2(shown.elapsed() >= kCodeTimeoutS * 900, qPrintable(QStringLiteral("after %1 ms").arg(shown.elapsed())));
    QCOMPARE(state.value(QLatin1String("screen")).toString(), QStringLiteral("Attract"));
    QCOMPARE(state.value(QLatin1String("link")).toString(), QString());
    const QJsonObject nfc = state.value(QLatin1String("nfc")).toObject();
    QCOMPARE(nfc.value(QLatin1String("servedLink")).toString(), QString());
    QCOMPARE(nfc.value(QLatin1String("status")).toString(), QStringLiteral("reading"));
    // A phone arriving late reads nothing.
    QVERIFY(!m_kiosk->call(KioskProcess::command("phoneRead")).value(QLatin1String("ok")).toBool());
}

QTEST_GUILESS_MAIN(KioskEndToEndTest)
#include "kioskendtoendtest.moc"
