#include "gtin.h"

#include <QTest>

using namespace poptap;

namespace {

// Printed codes of every length, with the check digit the GS1 calculator gives.
const QStringList kValidCodes{
    QStringLiteral("96385074"),       // EAN-8, the GS1 example
    QStringLiteral("49123456"),       // EAN-8 with the Japanese prefix
    QStringLiteral("036000291452"),   // UPC-A
    QStringLiteral("012345678905"),   // UPC-A
    QStringLiteral("4901234567894"),  // JAN / EAN-13
    QStringLiteral("4998765432104"),  // JAN / EAN-13
    QStringLiteral("10012345678902"), // GTIN-14 (packaging level 1)
    QStringLiteral("00012345678905"), // GTIN-14 of the UPC-A 012345678905
};

void addValidCodeRows()
{
    QTest::addColumn<QString>("code");
    for (const QString &code : kValidCodes)
        QTest::newRow(qPrintable(code)) << code;
}

} // namespace

class GtinTest : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void validCodesAreAccepted_data() { addValidCodeRows(); }
    void validCodesAreAccepted()
    {
        QFETCH(QString, code);
        QVERIFY(gtin::isWellFormed(code));
        QVERIFY(gtin::isValid(code));
        QCOMPARE(gtin::checkDigit(QStringView(code).chopped(1)), code.back().digitValue());
    }

    // The mod-10 check with weights 3 and 1 catches every single wrong digit.
    void everySingleDigitChangeIsRejected_data() { addValidCodeRows(); }
    void everySingleDigitChangeIsRejected()
    {
        QFETCH(QString, code);
        int changes = 0;
        for (qsizetype i = 0; i < code.size(); ++i) {
            for (char16_t digit = u'0'; digit <= u'9'; ++digit) {
                if (code[i] == QChar(digit))
                    continue;
                QString changed = code;
                changed[i] = QChar(digit);
                QVERIFY(gtin::isWellFormed(changed)); // only the check digit is wrong
                QVERIFY2(!gtin::isValid(changed), qPrintable(changed));
                QVERIFY(!gtin::toGtin14(changed));
                ++changes;
            }
        }
        QCOMPARE(changes, code.size() * 9);
    }

    void malformedCodesAreRejected_data()
    {
        QTest::addColumn<QString>("code");
        QTest::newRow("empty") << QString();
        QTest::newRow("one digit") << QStringLiteral("0");
        // Right check digits, wrong lengths: the length alone refuses them.
        QTest::newRow("7 digits") << QStringLiteral("1234565");
        QTest::newRow("9 digits") << QStringLiteral("450123458");
        QTest::newRow("10 digits") << QStringLiteral("1234567895");
        QTest::newRow("11 digits") << QStringLiteral("12345678905");
        QTest::newRow("15 digits") << QStringLiteral("004901234567894");
        QTest::newRow("letter") << QStringLiteral("490123456789X");
        QTest::newRow("leading space") << QStringLiteral(" 4901234567894");
        QTest::newRow("trailing space") << QStringLiteral("4901234567894 ");
        QTest::newRow("inner space") << QStringLiteral("4901234 67894");
        QTest::newRow("plus sign") << QStringLiteral("+96385074");
        QTest::newRow("minus sign") << QStringLiteral("-96385074");
        QTest::newRow("hyphenated") << QStringLiteral("4901234-567894");
        QTest::newRow("newline") << QStringLiteral("4901234567894\n");
        QTest::newRow("full-width digits") << QStringLiteral("４９０１２３４５６７８９４");
        QTest::newRow("one full-width digit") << QStringLiteral("490123456789４");
        QTest::newRow("arabic-indic digits") << QStringLiteral("٩٦٣٨٥٠٧٤");
        QTest::newRow("superscript digit") << QStringLiteral("9638507⁴");
    }
    void malformedCodesAreRejected()
    {
        QFETCH(QString, code);
        QVERIFY(!gtin::isWellFormed(code));
        QVERIFY(!gtin::isValid(code));
        QVERIFY(!gtin::toGtin14(code));
    }

    void toGtin14PadsWithZeros_data()
    {
        QTest::addColumn<QString>("code");
        QTest::addColumn<QString>("gtin14");
        QTest::newRow("EAN-8") << QStringLiteral("96385074") << QStringLiteral("00000096385074");
        QTest::newRow("UPC-A") << QStringLiteral("036000291452") << QStringLiteral("00036000291452");
        QTest::newRow("UPC-A as EAN-13") << QStringLiteral("0036000291452") << QStringLiteral("00036000291452");
        QTest::newRow("JAN") << QStringLiteral("4901234567894") << QStringLiteral("04901234567894");
        QTest::newRow("GTIN-14") << QStringLiteral("10012345678902") << QStringLiteral("10012345678902");
        QTest::newRow("GTIN-14 of a UPC-A") << QStringLiteral("00012345678905") << QStringLiteral("00012345678905");
    }
    void toGtin14PadsWithZeros()
    {
        QFETCH(QString, code);
        QFETCH(QString, gtin14);
        QCOMPARE(gtin::toGtin14(code), std::optional<QString>(gtin14));
        QVERIFY(gtin::isValid(gtin14));
    }

    void checkDigitOfKnownCodes_data()
    {
        QTest::addColumn<QString>("digits");
        QTest::addColumn<int>("check");
        QTest::newRow("JAN 490123456789") << QStringLiteral("490123456789") << 4;
        QTest::newRow("EAN-8 9638507") << QStringLiteral("9638507") << 4;
        QTest::newRow("UPC-A 03600029145") << QStringLiteral("03600029145") << 2;
        QTest::newRow("GTIN-14 1001234567890") << QStringLiteral("1001234567890") << 2;
        QTest::newRow("check digit 0") << QStringLiteral("490123456790") << 0;
        QTest::newRow("one digit") << QStringLiteral("1") << 7;   // 1×3 = 3
        QTest::newRow("two digits") << QStringLiteral("11") << 6; // 1×3 + 1×1 = 4
        QTest::newRow("zeros") << QStringLiteral("0000000") << 0;
        QTest::newRow("empty") << QString() << -1;
        QTest::newRow("14 digits") << QStringLiteral("10012345678902") << -1;
        QTest::newRow("letter") << QStringLiteral("49012345678A") << -1;
        QTest::newRow("full-width") << QStringLiteral("９６３８５０７") << -1;
        QTest::newRow("space") << QStringLiteral("963850 ") << -1;
    }
    void checkDigitOfKnownCodes()
    {
        QFETCH(QString, digits);
        QFETCH(int, check);
        QCOMPARE(gtin::checkDigit(digits), check);
    }
};

QTEST_GUILESS_MAIN(GtinTest)
#include "gtintest.moc"
