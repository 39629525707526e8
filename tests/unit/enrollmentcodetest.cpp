#include "enrollmentcode.h"

#include <QTest>

using namespace poptap;

// What staff type as the enrollment code becomes the code poptap-deliveryctl printed.
class EnrollmentCodeTest : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void typedCodesAreNormalised_data()
    {
        QTest::addColumn<QString>("typed");
        QTest::addColumn<QString>("code"); // empty: refused
        const QString canonical = QStringLiteral("7KQ2-M9XD-4PRT-W3HF");
        QTest::newRow("as printed") << canonical << canonical;
        QTest::newRow("lower case") << QStringLiteral("7kq2-m9xd-4prt-w3hf") << canonical;
        QTest::newRow("no dashes") << QStringLiteral("7KQ2M9XD4PRTW3HF") << canonical;
        QTest::newRow("spaces and stray dashes") << QStringLiteral(" 7kq2 m9xd--4prt w3hf ") << canonical;
        QTest::newRow("Crockford look-alikes") << QStringLiteral("O1I0-LLOO-4PRT-W3HF") << QStringLiteral("0110-1100-4PRT-W3HF");
        QTest::newRow("15 characters") << QStringLiteral("7KQ2-M9XD-4PRT-W3H") << QString();
        QTest::newRow("17 characters") << QStringLiteral("7KQ2-M9XD-4PRT-W3HFA") << QString();
        QTest::newRow("U is not in the alphabet") << QStringLiteral("7KQ2-M9XD-4PRT-W3HU") << QString();
        QTest::newRow("punctuation") << QStringLiteral("7KQ2.M9XD.4PRT.W3HF") << QString();
        // A Japanese input method left in full-width mode, or its long-vowel mark for a dash.
        QTest::newRow("full-width") << QStringLiteral("７ＫＱ２－Ｍ９ＸＤ－４ＰＲＴ－Ｗ３ＨＦ") << canonical;
        QTest::newRow("long-vowel marks") << QStringLiteral("7KQ2ーM9XDー4PRTーW3HF") << canonical;
        QTest::newRow("empty") << QString() << QString();
    }
    void typedCodesAreNormalised()
    {
        QFETCH(QString, typed);
        QFETCH(QString, code);
        QCOMPARE(normalisedEnrollmentCode(typed), code);
    }
};

QTEST_GUILESS_MAIN(EnrollmentCodeTest)
#include "enrollmentcodetest.moc"
