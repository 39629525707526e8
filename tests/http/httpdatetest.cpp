// HTTP dates as Date and Retry-After carry them: always English, always GMT, read back exactly.
#include "http/httpdate.h"

#include <QLocale>
#include <QTest>

using namespace poptap::http;

class HttpDateTest : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void formatsImfFixdateWhateverTheLocale()
    {
        QLocale::setDefault(QLocale(QLocale::Japanese, QLocale::Japan));
        const QDateTime at = QDateTime::fromString(QStringLiteral("1994-11-06T08:49:37Z"), Qt::ISODate);
        QCOMPARE(formatHttpDate(at), QByteArray("Sun, 06 Nov 1994 08:49:37 GMT"));
        // A local time is written as the same instant in GMT.
        QCOMPARE(formatHttpDate(at.toOffsetFromUtc(9 * 3600)), QByteArray("Sun, 06 Nov 1994 08:49:37 GMT"));
        QLocale::setDefault(QLocale::c());
    }

    void readsWhatItWrites()
    {
        const QDateTime now = QDateTime::fromSecsSinceEpoch(QDateTime::currentSecsSinceEpoch(), Qt::UTC);
        QCOMPARE(parseHttpDate(formatHttpDate(now)).value_or(QDateTime()), now);
    }

    void refusesOtherForms_data()
    {
        QTest::addColumn<QByteArray>("text");
        QTest::newRow("rfc 850") << QByteArray("Sunday, 06-Nov-94 08:49:37 GMT");
        QTest::newRow("asctime") << QByteArray("Sun Nov  6 08:49:37 1994");
        QTest::newRow("offset") << QByteArray("Sun, 06 Nov 1994 08:49:37 +0900");
        QTest::newRow("garbage") << QByteArray("tomorrow GMT");
        QTest::newRow("empty") << QByteArray();
    }

    void refusesOtherForms()
    {
        QFETCH(QByteArray, text);
        QVERIFY(!parseHttpDate(text));
    }
};

QTEST_GUILESS_MAIN(HttpDateTest)
#include "httpdatetest.moc"
