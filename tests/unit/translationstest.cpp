#include <QDir>
#include <QDomDocument>
#include <QFile>
#include <QProcess>
#include <QSet>
#include <QTemporaryDir>
#include <QTest>
#include <QTranslator>

// Every UI string has a Japanese and an English translation, and the .ts files are in
// step with the sources (a string added in QML without a translation fails here).
class TranslationsTest : public QObject
{
    Q_OBJECT

    const QString translations = QStringLiteral(POPTAP_SOURCE_DIR "/resources/translations");

    static QSet<QString> sources(const QString &tsPath, QStringList *unfinished = nullptr)
    {
        QFile f(tsPath);
        if (!f.open(QIODevice::ReadOnly))
            return {};
        QDomDocument doc;
        doc.setContent(&f);
        QSet<QString> result;
        const QDomNodeList messages = doc.elementsByTagName(QStringLiteral("message"));
        for (int i = 0; i < messages.size(); ++i) {
            const QDomElement m = messages.at(i).toElement();
            const QString context = m.parentNode().firstChildElement(QStringLiteral("name")).text();
            const QString source = m.firstChildElement(QStringLiteral("source")).text();
            const QDomElement tr = m.firstChildElement(QStringLiteral("translation"));
            result.insert(context + u'|' + source);
            const bool empty = tr.text().trimmed().isEmpty();
            if (unfinished && (tr.attribute(QStringLiteral("type")) == QLatin1String("unfinished") || empty))
                *unfinished << context + u'|' + source;
        }
        return result;
    }

private Q_SLOTS:
    void everyStringIsTranslated_data()
    {
        QTest::addColumn<QString>("file");
        QTest::newRow("ja") << QStringLiteral("poptap_ja.ts");
        QTest::newRow("en") << QStringLiteral("poptap_en.ts");
    }
    void everyStringIsTranslated()
    {
        QFETCH(QString, file);
        QStringList unfinished;
        const QSet<QString> all = sources(translations + u'/' + file, &unfinished);
        QVERIFY(all.size() >= 15);
        QVERIFY2(unfinished.isEmpty(), qPrintable(unfinished.join(u'\n')));
    }

    void translationFilesMatchTheSources()
    {
        QTemporaryDir dir;
        const QString fresh = dir.filePath(QStringLiteral("fresh.ts"));
        QProcess lupdate;
        lupdate.start(QStringLiteral(POPTAP_LUPDATE),
                      {QStringLiteral("-silent"), QStringLiteral("-locations"), QStringLiteral("none"),
                       QStringLiteral(POPTAP_SOURCE_DIR "/resources/qml"), QStringLiteral(POPTAP_SOURCE_DIR "/kiosk"),
                       QStringLiteral("-ts"), fresh});
        QVERIFY(lupdate.waitForFinished(60000));
        QCOMPARE(lupdate.exitCode(), 0);
        const QSet<QString> inSources = sources(fresh);
        QVERIFY(!inSources.isEmpty());
        for (const char *file : {"poptap_ja.ts", "poptap_en.ts"}) {
            const QSet<QString> inTs = sources(translations + u'/' + QLatin1String(file));
            const QStringList missing = QSet(inSources).subtract(inTs).values();
            const QStringList stale = QSet(inTs).subtract(inSources).values();
            QVERIFY2(missing.isEmpty(), qPrintable(QStringLiteral("%1 lacks (run the poptap-update-translations target): %2")
                                                       .arg(QLatin1String(file), missing.join(QLatin1String(", ")))));
            QVERIFY2(stale.isEmpty(), qPrintable(QStringLiteral("%1 has stale: %2").arg(QLatin1String(file), stale.join(QLatin1String(", ")))));
        }
    }

    void compiledJapaneseTranslatesTheCallToAction()
    {
        QTranslator ja;
        QVERIFY(ja.load(QStringLiteral(POPTAP_QM_DIR "/poptap_ja.qm")));
        QCOMPARE(ja.translate("AttractScreen", "Touch to start"), QStringLiteral("タッチしてはじめる"));
        QCOMPARE(ja.translate("CodeScreen", "%n second(s) left", nullptr, 5), QStringLiteral("残り %n 秒"));
        QTranslator en;
        QVERIFY(en.load(QStringLiteral(POPTAP_QM_DIR "/poptap_en.qm")));
        QCOMPARE(en.translate("LanguageToggle", "Language"), QStringLiteral("日本語"));
        QCOMPARE(en.translate("CodeScreen", "%n second(s) left", nullptr, 1), QStringLiteral("%n second left"));
    }
};

QTEST_GUILESS_MAIN(TranslationsTest)
#include "translationstest.moc"
