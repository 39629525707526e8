#include "hidscannerfilter.h"

#include <QElapsedTimer>
#include <QQmlComponent>
#include <QQmlEngine>
#include <QQuickItem>
#include <QQuickWindow>
#include <QSignalSpy>
#include <QTest>

#include <memory>

using namespace poptap;

Q_DECLARE_METATYPE(poptap::BarcodeFormat)

namespace {

// A focused text field that logs every key it receives: "+k" for a press, "-k" for a release.
const QByteArray windowQml = R"(
import QtQuick

Window {
    width: 320
    height: 60
    visible: true

    TextInput {
        objectName: "field"
        anchors.fill: parent
        focus: true
        property string log: ""
        property int acceptedCount: 0
        function name(event) { return event.key === Qt.Key_Return ? "Enter" : event.text }
        onAccepted: acceptedCount++
        Keys.onPressed: (event) => { log += "+" + name(event) }
        Keys.onReleased: (event) => { log += "-" + name(event) }
    }
}
)";

// Real keys need real time. A scanner's keys are sent 2 ms apart: the parser allows 35 ms, so
// only a stall of 33 ms or more of this test thread between two keys could break a burst (the
// failure message then shows the longest gap measured). A person's keys are sent 150 ms apart:
// a busy machine only ever makes gaps longer, so a person's keys can never look like a burst.
constexpr int scannerPaceMs = 2;
constexpr int personPaceMs = 150;

} // namespace

// The filter on a real Qt Quick window: a scanner's burst becomes scanned() and types nothing;
// everything else reaches the focused field, complete and in order.
class HidScannerFilterTest : public QObject
{
    Q_OBJECT

private:
    QQmlEngine m_engine;
    std::unique_ptr<QQuickWindow> m_window;
    QQuickItem *m_field = nullptr;
    std::unique_ptr<HidScannerFilter> m_filter;
    std::unique_ptr<QSignalSpy> m_scanned;
    std::unique_ptr<QSignalSpy> m_rejected;

    QString text() const { return m_field->property("text").toString(); }
    QString log() const { return m_field->property("log").toString(); }
    int accepted() const { return m_field->property("acceptedCount").toInt(); }

    // Clicks `keys` ("\n" is Enter) on the window `paceMs` apart; returns the longest time between
    // two presses as measured here.
    qint64 type(const QString &keys, int paceMs)
    {
        QElapsedTimer clock;
        clock.start();
        qint64 last = -1;
        qint64 longest = 0;
        for (const QChar key : keys) {
            if (last >= 0)
                QTest::qWait(paceMs);
            const qint64 now = clock.elapsed();
            if (last >= 0)
                longest = std::max(longest, now - last);
            last = now;
            if (key == u'\n')
                QTest::keyClick(m_window.get(), Qt::Key_Return);
            else
                QTest::keyClick(m_window.get(), key.toLatin1());
        }
        return longest;
    }

    // A key event exactly as given (QTest::keyClick would add presses of the modifier keys).
    void send(QEvent::Type type, Qt::Key key, Qt::KeyboardModifiers modifiers, const QString &text,
              bool autoRepeat = false)
    {
        qt_handleKeyEvent(m_window.get(), type, key, modifiers, text, autoRepeat);
        QCoreApplication::processEvents();
    }

    static QString clicks(const QString &keys)
    {
        QString log;
        for (const QChar key : keys) {
            const QString name = key == u'\n' ? QStringLiteral("Enter") : QString(key);
            log += u'+' + name + u'-' + name;
        }
        return log;
    }

private Q_SLOTS:
    void initTestCase()
    {
        qRegisterMetaType<ScannedCode>();
        QQmlComponent component(&m_engine);
        component.setData(windowQml, QUrl(QStringLiteral("hidscannerfiltertest.qml")));
        m_window.reset(qobject_cast<QQuickWindow *>(component.create()));
        QVERIFY2(m_window, qPrintable(component.errorString()));
        m_field = m_window->findChild<QQuickItem *>(QStringLiteral("field"));
        QVERIFY(m_field);
        m_window->requestActivate();
        QVERIFY(QTest::qWaitForWindowActive(m_window.get()));
    }

    void init()
    {
        m_field->setProperty("text", QString());
        m_field->setProperty("log", QString());
        m_field->setProperty("acceptedCount", 0);
        m_field->forceActiveFocus();
        QTRY_VERIFY(m_field->hasActiveFocus());
        m_filter = std::make_unique<HidScannerFilter>();
        QCoreApplication::instance()->installEventFilter(m_filter.get());
        m_scanned = std::make_unique<QSignalSpy>(m_filter.get(), &HidScannerFilter::scanned);
        m_rejected = std::make_unique<QSignalSpy>(m_filter.get(), &HidScannerFilter::rejected);
    }

    void cleanup()
    {
        m_scanned.reset();
        m_rejected.reset();
        m_filter.reset();
    }

    void aScannerBurstIsScannedAndTypesNothing_data()
    {
        QTest::addColumn<QString>("digits");
        QTest::addColumn<BarcodeFormat>("format");
        QTest::newRow("JAN / EAN-13") << QStringLiteral("4901234567894") << BarcodeFormat::Ean13;
        QTest::newRow("EAN-8") << QStringLiteral("49012347") << BarcodeFormat::Ean8;
        QTest::newRow("UPC-A") << QStringLiteral("036000291452") << BarcodeFormat::UpcA;
    }
    void aScannerBurstIsScannedAndTypesNothing()
    {
        QFETCH(QString, digits);
        QFETCH(BarcodeFormat, format);
        const qint64 longestGap = type(digits + u'\n', scannerPaceMs);
        QVERIFY2(m_scanned->count() == 1,
                 qPrintable(QStringLiteral("longest gap between keys: %1 ms").arg(longestGap)));
        const auto code = m_scanned->at(0).at(0).value<ScannedCode>();
        QCOMPARE(code.text, digits);
        QVERIFY2(code.format == format, qPrintable(toString(code.format)));
        QVERIFY(code.source == ScanSource::Handheld);
        QCOMPARE(m_rejected->count(), 0);
        QTest::qWait(60);   // longer than any hold: nothing comes back later either
        QCOMPARE(text(), QString());
        QCOMPARE(log(), QString());   // not the presses, not their releases
        QCOMPARE(accepted(), 0);
    }

    void twoScansInARow()
    {
        type(QStringLiteral("4901234567894\n"), scannerPaceMs);
        QTest::qWait(personPaceMs);
        type(QStringLiteral("49012347\n"), scannerPaceMs);
        QCOMPARE(m_scanned->count(), 2);
        QCOMPARE(m_scanned->at(1).at(0).value<ScannedCode>().text, QStringLiteral("49012347"));
        QCOMPARE(log(), QString());
    }

    void aBadCheckDigitIsRejectedAndTypesNothing()
    {
        const qint64 longestGap = type(QStringLiteral("4901234567895\n"), scannerPaceMs);
        QVERIFY2(m_rejected->count() == 1,
                 qPrintable(QStringLiteral("longest gap between keys: %1 ms").arg(longestGap)));
        QCOMPARE(m_scanned->count(), 0);
        QTest::qWait(60);
        QCOMPARE(text(), QString());
        QCOMPARE(log(), QString());
        QCOMPARE(accepted(), 0);
    }

    // A valid code typed by a person is theirs: it reaches the field, Enter included.
    void aPersonsDigitsReachTheFieldInOrder()
    {
        type(QStringLiteral("49012347\n"), personPaceMs);
        QTRY_COMPARE(text(), QStringLiteral("49012347"));
        QCOMPARE(log(), clicks(QStringLiteral("49012347\n")));
        QCOMPARE(accepted(), 1);
        QCOMPARE(m_scanned->count(), 0);
        QCOMPARE(m_rejected->count(), 0);
    }

    void lettersAndDigitsMixed()
    {
        type(QStringLiteral("a1b2"), personPaceMs);
        QTRY_COMPARE(text(), QStringLiteral("a1b2"));
        // An alphanumeric label at scanner speed is typed as it is: its digits follow letters.
        type(QStringLiteral("SKU4829130056\n"), scannerPaceMs);
        QTRY_COMPARE(text(), QStringLiteral("a1b2SKU4829130056"));
        QCOMPARE(log(), clicks(QStringLiteral("a1b2SKU4829130056\n")));
        QCOMPARE(accepted(), 1);
        QCOMPARE(m_scanned->count(), 0);
        QCOMPARE(m_rejected->count(), 0);
    }

    void enterAloneReachesTheField()
    {
        QTest::keyClick(m_window.get(), Qt::Key_Return);
        QCOMPARE(accepted(), 1);
        QCOMPARE(log(), QStringLiteral("+Enter-Enter"));
        QCOMPARE(m_scanned->count(), 0);
    }

    // Two digits a few ms apart, the first released after the second is down.
    void rolloverComesBackInOrder()
    {
        QTest::keyPress(m_window.get(), '1');
        QTest::qWait(3);
        QTest::keyPress(m_window.get(), '2');
        QTest::keyRelease(m_window.get(), '1');
        QTest::keyRelease(m_window.get(), '2');
        QTRY_COMPARE(log(), QStringLiteral("+1+2-1-2"));
        QCOMPARE(text(), QStringLiteral("12"));
    }

    // Ctrl held down while digits arrive at scanner speed: shortcuts, not a scan.
    void digitsWithCtrlAreNotAScan()
    {
        const QString digits = QStringLiteral("4901234567894");
        send(QEvent::KeyPress, Qt::Key_Control, Qt::NoModifier, QString());
        for (const QChar digit : digits) {
            const auto key = Qt::Key(Qt::Key_0 + digit.digitValue());
            send(QEvent::KeyPress, key, Qt::ControlModifier, digit);
            send(QEvent::KeyRelease, key, Qt::ControlModifier, digit);
            QTest::qWait(scannerPaceMs);
        }
        send(QEvent::KeyPress, Qt::Key_Return, Qt::ControlModifier, QStringLiteral("\r"));
        send(QEvent::KeyRelease, Qt::Key_Return, Qt::ControlModifier, QStringLiteral("\r"));
        send(QEvent::KeyRelease, Qt::Key_Control, Qt::NoModifier, QString());
        QTest::qWait(60);
        QCOMPARE(m_scanned->count(), 0);
        QCOMPARE(m_rejected->count(), 0);
        QCOMPARE(log(), QLatin1Char('+') + clicks(digits + u'\n') + QLatin1Char('-'));   // Ctrl has no text
    }

    // A person holding "5" down: the auto-repeat comes faster than any scanner, and goes straight
    // through.
    void autoRepeatIsNotAScan()
    {
        send(QEvent::KeyPress, Qt::Key_5, Qt::NoModifier, QStringLiteral("5"));
        QTest::qWait(60);   // the first press is held like any digit, then given back
        for (int i = 0; i < 12; ++i) {
            send(QEvent::KeyRelease, Qt::Key_5, Qt::NoModifier, QStringLiteral("5"), true);
            send(QEvent::KeyPress, Qt::Key_5, Qt::NoModifier, QStringLiteral("5"), true);
            QTest::qWait(scannerPaceMs);
        }
        send(QEvent::KeyRelease, Qt::Key_5, Qt::NoModifier, QStringLiteral("5"));
        QTest::keyClick(m_window.get(), Qt::Key_Return);
        QTest::qWait(60);
        QCOMPARE(m_scanned->count(), 0);
        QCOMPARE(m_rejected->count(), 0);
        QCOMPARE(text(), QString(13, u'5'));
        QCOMPARE(accepted(), 1);
    }

    // Keys the application sends to its window itself (test automation, an on-screen keypad) are
    // judged like a keyboard's.
    void keysSentByTheApplicationCountLikeAKeyboards()
    {
        const auto sendClick = [this](QChar c) {
            const bool enter = c == u'\n';
            const int key = enter ? Qt::Key_Return : Qt::Key_0 + c.digitValue();
            const QString typed = enter ? QStringLiteral("\r") : QString(c);
            QKeyEvent press(QEvent::KeyPress, key, Qt::NoModifier, typed);
            QCoreApplication::sendEvent(m_window.get(), &press);
            QKeyEvent release(QEvent::KeyRelease, key, Qt::NoModifier, typed);
            QCoreApplication::sendEvent(m_window.get(), &release);
        };
        for (const QChar c : QStringLiteral("4901234567894\n")) {
            sendClick(c);
            QTest::qWait(scannerPaceMs);
        }
        QCOMPARE(m_scanned->count(), 1);
        for (const QChar c : QStringLiteral("123")) {
            sendClick(c);
            QTest::qWait(personPaceMs);
        }
        QTRY_COMPARE(text(), QStringLiteral("123"));
        QCOMPARE(log(), clicks(QStringLiteral("123")));
    }

    void heldKeysAreGivenBackWhenTheFilterGoes()
    {
        QTest::keyClick(m_window.get(), '7');
        m_scanned.reset();
        m_rejected.reset();
        m_filter.reset();
        QCOMPARE(text(), QStringLiteral("7"));
        QCOMPARE(log(), QStringLiteral("+7-7"));
    }

    // What a burst of digits stands for, without any timing.
    void handheldCodes_data()
    {
        QTest::addColumn<QString>("digits");
        QTest::addColumn<bool>("valid");
        QTest::addColumn<BarcodeFormat>("format");
        QTest::newRow("EAN-13") << QStringLiteral("4901234567894") << true << BarcodeFormat::Ean13;
        QTest::newRow("EAN-13, bad check digit") << QStringLiteral("4901234567895") << false << BarcodeFormat::Ean13;
        QTest::newRow("EAN-8") << QStringLiteral("49012347") << true << BarcodeFormat::Ean8;
        QTest::newRow("EAN-8, bad check digit") << QStringLiteral("49012348") << false << BarcodeFormat::Ean8;
        QTest::newRow("UPC-E as 8 digits") << QStringLiteral("04252614") << true << BarcodeFormat::UpcE;
        QTest::newRow("UPC-A") << QStringLiteral("036000291452") << true << BarcodeFormat::UpcA;
        QTest::newRow("UPC-A, bad check digit") << QStringLiteral("036000291453") << false << BarcodeFormat::UpcA;
        QTest::newRow("GTIN-14") << QStringLiteral("14901234567891") << true << BarcodeFormat::Code128;
        QTest::newRow("GTIN-14, bad check digit") << QStringLiteral("14901234567892") << false << BarcodeFormat::Code128;
        QTest::newRow("9 digits") << QStringLiteral("490123456") << false << BarcodeFormat::Ean13;
        QTest::newRow("10 digits") << QStringLiteral("4901234567") << false << BarcodeFormat::Ean13;
        QTest::newRow("11 digits") << QStringLiteral("49012345678") << false << BarcodeFormat::Ean13;
        QTest::newRow("15 digits") << QStringLiteral("149012345678912") << false << BarcodeFormat::Ean13;
    }
    void handheldCodes()
    {
        QFETCH(QString, digits);
        QFETCH(bool, valid);
        QFETCH(BarcodeFormat, format);
        const std::optional<ScannedCode> code = handheldScannedCode(digits);
        QCOMPARE(code.has_value(), valid);
        if (!valid)
            return;
        QVERIFY2(code->format == format, qPrintable(toString(code->format)));
        QCOMPARE(code->text, digits);
        QVERIFY(code->source == ScanSource::Handheld);
    }
};

QTEST_MAIN(HidScannerFilterTest)
#include "hidscannerfiltertest.moc"
