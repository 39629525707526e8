#include "hidburstparser.h"
#include "hidscannerfilter.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSet>
#include <QTest>

using namespace poptap;
using Verdict = HidBurstParser::Verdict;

namespace {

const QString enterKey = QStringLiteral("Enter");

// A key press `gapMs` after the one before, as named in keystroke-timings.json.
struct Key {
    QString name;   // one character, or "Enter"
    int gapMs = 0;
};

// What the application ends up with: the keys it received, in order (Enter shown as "⏎"), and
// the scans.
struct Outcome {
    QString typed;
    QStringList scans;
};

QString shown(const QString &name)
{
    return name == enterKey ? QStringLiteral("⏎") : name;
}

// Replays key presses through a parser the way HidScannerFilter drives it: its timer calls
// expire() at the deadline, and held keys go back in order.
Outcome replay(const QList<Key> &keys, HidBurstParser::Settings settings = {})
{
    HidBurstParser parser(settings);
    Outcome outcome;
    QString held;
    std::int64_t now = 100000;
    const auto expireIfDue = [&](std::int64_t until) {
        if (const auto deadline = parser.deadline(); deadline && *deadline <= until) {
            if (parser.expire(*deadline))
                outcome.typed += std::exchange(held, QString());
        }
    };
    for (const Key &key : keys) {
        now += key.gapMs;
        expireIfDue(now);
        const bool enter = key.name == enterKey;
        switch (parser.press(now, enter ? QStringLiteral("\r") : key.name, enter)) {
        case Verdict::Held:
            held += shown(key.name);
            break;
        case Verdict::Scan:
            outcome.scans << parser.scanned();
            held.clear();
            break;
        case Verdict::Release:
            outcome.typed += std::exchange(held, QString()) + shown(key.name);
            break;
        }
    }
    expireIfDue(now + 1000);
    return outcome;
}

// The characters of `text` as keys ("\n" is Enter) `gapMs` apart, the first after a long pause.
QList<Key> evenly(const QString &text, int gapMs)
{
    QList<Key> keys;
    for (const QChar c : text)
        keys.append({c == u'\n' ? enterKey : QString(c), keys.isEmpty() ? 1000 : gapMs});
    return keys;
}

QString sequencesPath()
{
    return QStringLiteral(POPTAP_SOURCE_DIR "/tests/hid/data/keystroke-timings.json");
}

} // namespace

Q_DECLARE_METATYPE(Key)

// The parser tells a scanner's burst from a person's typing: every verdict, its boundaries, and
// the modelled timings of scanners and people in tests/hid/data.
class HidBurstParserTest : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void burstBoundaries_data()
    {
        QTest::addColumn<QString>("keys");   // "\n" is Enter
        QTest::addColumn<int>("gapMs");
        QTest::addColumn<QString>("scan");   // empty: none
        QTest::newRow("EAN-13 at 2 ms") << QStringLiteral("4901234567894\n") << 2 << QStringLiteral("4901234567894");
        QTest::newRow("every gap exactly maxGapMs") << QStringLiteral("4901234567894\n") << 35 << QStringLiteral("4901234567894");
        QTest::newRow("every gap maxGapMs + 1") << QStringLiteral("4901234567894\n") << 36 << QString();
        QTest::newRow("all gaps 0 ms") << QStringLiteral("49012347\n") << 0 << QStringLiteral("49012347");
        QTest::newRow("minDigits") << QStringLiteral("49012347\n") << 5 << QStringLiteral("49012347");
        QTest::newRow("minDigits - 1") << QStringLiteral("4901234\n") << 5 << QString();
        QTest::newRow("maxDigits") << QStringLiteral("14901234567891\n") << 5 << QStringLiteral("14901234567891");
        QTest::newRow("maxDigits + 1") << QStringLiteral("149012345678912\n") << 5 << QString();
        QTest::newRow("no Enter") << QStringLiteral("4901234567894") << 5 << QString();
        QTest::newRow("a letter inside") << QStringLiteral("490123a4567894\n") << 5 << QString();
        QTest::newRow("Enter alone") << QStringLiteral("\n") << 5 << QString();
        QTest::newRow("letters first") << QStringLiteral("AB4901234567894\n") << 5 << QString();
        QTest::newRow("Enter twice") << QStringLiteral("4901234567894\n\n") << 5 << QStringLiteral("4901234567894");
    }
    void burstBoundaries()
    {
        QFETCH(QString, keys);
        QFETCH(int, gapMs);
        QFETCH(QString, scan);
        const Outcome outcome = replay(evenly(keys, gapMs));
        QCOMPARE(outcome.scans, scan.isEmpty() ? QStringList() : QStringList{scan});
        // Whatever was not scanned reaches the application, all of it, in order.
        QString expected = keys;
        expected.replace(u'\n', QStringLiteral("⏎"));
        if (!scan.isEmpty())
            expected.remove(expected.indexOf(scan), scan.size() + 1);
        QCOMPARE(outcome.typed, expected);
    }

    void enterMustFollowTheLastDigitWithinTheGap()
    {
        QList<Key> keys = evenly(QStringLiteral("4901234567894\n"), 5);
        keys.last().gapMs = 35;
        QCOMPARE(replay(keys).scans, QStringList{QStringLiteral("4901234567894")});
        keys.last().gapMs = 36;
        const Outcome late = replay(keys);
        QVERIFY(late.scans.isEmpty());
        QCOMPARE(late.typed, QStringLiteral("4901234567894⏎"));
    }

    void verdictsKeyByKey()
    {
        HidBurstParser parser;
        QVERIFY(!parser.isHolding());
        QCOMPARE(parser.deadline(), std::nullopt);
        QCOMPARE(parser.press(1000, QStringLiteral("4"), false), Verdict::Held);
        QVERIFY(parser.isHolding());
        QCOMPARE(parser.deadline(), std::optional<std::int64_t>(1036));
        for (int i = 1; i < 7; ++i)
            QCOMPARE(parser.press(1000 + i, QStringLiteral("0"), false), Verdict::Held);
        QCOMPARE(parser.deadline(), std::optional<std::int64_t>(1006 + 36));
        QCOMPARE(parser.press(1007, QStringLiteral("7"), false), Verdict::Held);
        QCOMPARE(parser.press(1008, QStringLiteral("\r"), true), Verdict::Scan);
        QCOMPARE(parser.scanned(), QStringLiteral("40000007"));
        QVERIFY(!parser.isHolding());
        QCOMPARE(parser.deadline(), std::nullopt);
    }

    void expireAtTheDeadline()
    {
        HidBurstParser parser;
        QVERIFY(!parser.expire(0));   // nothing held
        QCOMPARE(parser.press(500, QStringLiteral("1"), false), Verdict::Held);
        QVERIFY(!parser.expire(500));
        QVERIFY(!parser.expire(535));
        QVERIFY(parser.expire(536));
        QVERIFY(!parser.isHolding());
        QVERIFY(!parser.expire(600));   // given back once only
        // A digit after the pause starts a new burst.
        QCOMPARE(parser.press(536, QStringLiteral("2"), false), Verdict::Held);
    }

    void aLatePressWithoutExpireGivesEverythingBack()
    {
        HidBurstParser parser;
        QCOMPARE(parser.press(0, QStringLiteral("1"), false), Verdict::Held);
        QCOMPARE(parser.press(10, QStringLiteral("2"), false), Verdict::Held);
        QCOMPARE(parser.press(46, QStringLiteral("3"), false), Verdict::Release);
        QVERIFY(!parser.isHolding());
    }

    void aDigitRightAfterAnotherKeyStartsNothing()
    {
        HidBurstParser parser;
        QCOMPARE(parser.press(0, QStringLiteral("A"), false), Verdict::Release);
        QCOMPARE(parser.press(35, QStringLiteral("1"), false), Verdict::Release);
        QCOMPARE(parser.press(71, QStringLiteral("2"), false), Verdict::Held);
        // A burst given back (too long) does not restart on its own tail.
        const Outcome outcome = replay(evenly(QStringLiteral("123456789012345678901234\n"), 2));
        QVERIFY(outcome.scans.isEmpty());
        QCOMPARE(outcome.typed, QStringLiteral("123456789012345678901234⏎"));
    }

    void keysThatAreNotDigitsEndABurst_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<bool>("isEnter");
        QTest::newRow("letter") << QStringLiteral("a") << false;
        QTest::newRow("no text (Ctrl+5, auto-repeat)") << QString() << false;
        QTest::newRow("two characters") << QStringLiteral("55") << false;
        QTest::newRow("full-width digit") << QStringLiteral("５") << false;
        QTest::newRow("digit text on Enter") << QStringLiteral("5") << true;
    }
    void keysThatAreNotDigitsEndABurst()
    {
        QFETCH(QString, text);
        QFETCH(bool, isEnter);
        HidBurstParser parser;
        QCOMPARE(parser.press(0, QStringLiteral("4"), false), Verdict::Held);
        QCOMPARE(parser.press(1, text, isEnter), Verdict::Release);
        QVERIFY(!parser.isHolding());
        // Nor do they start one.
        QCOMPARE(parser.press(1000, text, isEnter), Verdict::Release);
        QVERIFY(!parser.isHolding());
    }

    void settingsAreHonoured()
    {
        const HidBurstParser::Settings settings{.maxGapMs = 10, .minDigits = 4, .maxDigits = 6};
        QCOMPARE(replay(evenly(QStringLiteral("1234\n"), 10), settings).scans, QStringList{QStringLiteral("1234")});
        QVERIFY(replay(evenly(QStringLiteral("1234\n"), 11), settings).scans.isEmpty());
        QVERIFY(replay(evenly(QStringLiteral("123\n"), 1), settings).scans.isEmpty());
        QCOMPARE(replay(evenly(QStringLiteral("123456\n"), 1), settings).scans, QStringList{QStringLiteral("123456")});
        QVERIFY(replay(evenly(QStringLiteral("1234567\n"), 1), settings).scans.isEmpty());
    }

    // Every modelled sequence: scanners give their scans, people never do, and every key that is
    // not part of a scan reaches the application in order.
    void modelledTimings_data()
    {
        QTest::addColumn<QString>("source");
        QTest::addColumn<QList<Key>>("keys");
        QTest::addColumn<QJsonArray>("scans");

        QFile file(sequencesPath());
        QVERIFY2(file.open(QIODevice::ReadOnly), qPrintable(file.errorString()));
        QJsonParseError error;
        const QJsonDocument document = QJsonDocument::fromJson(file.readAll(), &error);
        QVERIFY2(error.error == QJsonParseError::NoError, qPrintable(error.errorString()));
        const QJsonArray sequences = document.object().value(QLatin1String("sequences")).toArray();
        QSet<QString> sources;
        for (const QJsonValue &value : sequences) {
            const QJsonObject sequence = value.toObject();
            QList<Key> keys;
            for (const QJsonValue &key : sequence.value(QLatin1String("keys")).toArray())
                keys.append({key[0].toString(), key[1].toInt(-1)});
            const QString source = sequence.value(QLatin1String("source")).toString();
            sources.insert(source);
            QTest::newRow(qPrintable(sequence.value(QLatin1String("name")).toString()))
                << source << keys << sequence.value(QLatin1String("scans")).toArray();
        }
        QCOMPARE(sources, (QSet<QString>{QStringLiteral("scanner"), QStringLiteral("person")}));
    }
    void modelledTimings()
    {
        QFETCH(QString, source);
        QFETCH(QList<Key>, keys);
        QFETCH(QJsonArray, scans);

        QString everything;
        for (const Key &key : keys) {
            QVERIFY2(key.name == enterKey || key.name.size() == 1, qPrintable(key.name));
            QVERIFY(key.gapMs >= 0);
            everything += shown(key.name);
        }

        const Outcome outcome = replay(keys);
        if (source == QLatin1String("person"))
            QVERIFY2(outcome.scans.isEmpty(), qPrintable(outcome.scans.join(u' ')));

        QStringList expectedScans;
        QString expectedTyped = everything;
        qsizetype from = 0;
        for (const QJsonValue &value : scans) {
            const QJsonObject scan = value.toObject();
            const QString digits = scan.value(QLatin1String("digits")).toString();
            expectedScans << digits;
            // The data says whether the digits name a product; the filter must agree.
            QCOMPARE(handheldScannedCode(digits).has_value(), scan.value(QLatin1String("productCode")).toBool());
            from = expectedTyped.indexOf(digits + QStringLiteral("⏎"), from);
            QVERIFY(from >= 0);
            expectedTyped.remove(from, digits.size() + 1);
        }
        QCOMPARE(outcome.scans, expectedScans);
        QCOMPARE(outcome.typed, expectedTyped);
    }
};

QTEST_GUILESS_MAIN(HidBurstParserTest)
#include "hidburstparsertest.moc"
