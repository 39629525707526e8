// Chains word their messages with templates (messages/messagetemplate.h): what a template may
// say, the errors an operator reads when it may not, and how wordings are filled and cut to
// LINE's limits. No database, no network.
#include "messages/lineformat.h"
#include "messages/messagetemplate.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace poptap::delivery;
using Family = MessageTemplate::Family;

namespace {

QString json(const QJsonObject &object)
{
    return QString::fromUtf8(QJsonDocument(object).toJson(QJsonDocument::Compact));
}

// {"texts": {key: {language: wording}}}
QString oneText(const QString &key, const QString &language, const QJsonValue &wording)
{
    return json({{QStringLiteral("texts"), QJsonObject{{key, QJsonObject{{language, wording}}}}}});
}

const Placeholders kNames{
    {QStringLiteral("brand"), {QStringLiteral("クモ テーラーズ"), QStringLiteral("Kumo Tailors")}},
    {QStringLiteral("product"), {QStringLiteral("オックスフォードシャツ"), QStringLiteral("Oxford Shirt")}},
    {QStringLiteral("store"), {QStringLiteral("ソラマド 神宮前店"), QStringLiteral("Soramado Jingumae")}},
};

} // namespace

class MessageTemplateTest : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    // The built-in wordings obey the rules a chain's wordings are checked against, and the
    // table is in enum order (textSpec() looks ids up by position).
    void builtInWordingsPassTheirOwnChecks()
    {
        for (qsizetype i = 0; i < textSpecs().size(); ++i) {
            const TextSpec &spec = textSpecs().at(i);
            QCOMPARE(qsizetype(spec.id), i);
            QCOMPARE(textIdFromKey(spec.key), std::optional<TextId>(spec.id));
            const QString both = json({{QStringLiteral("texts"),
                                        QJsonObject{{spec.key, QJsonObject{{QStringLiteral("ja"), spec.ja},
                                                                            {QStringLiteral("en"), spec.en}}}}}});
            const MessageTemplateParse parse = parseMessageTemplate(both);
            QVERIFY2(parse.ok(), qPrintable(spec.key + u' ' + parse.errors.join(u'|')));
        }
    }

    void anEmptyTemplateIsTheBuiltInOne()
    {
        for (const QString &text : {QString(), QStringLiteral("  \n")}) {
            const MessageTemplateParse parse = parseMessageTemplate(text);
            QVERIFY(parse.ok());
            QVERIFY(parse.messageTemplate.isBuiltIn());
        }
        const MessageTemplate builtIn;
        QCOMPARE(builtIn.language(Family::ProductEvent), Language::Japanese);
        QCOMPARE(builtIn.language(Family::Reply), Language::Both);
        QCOMPARE(builtIn.accentColor(), QStringLiteral("#06C755"));
        QCOMPARE(builtIn.lines(TextId::NewArrivalTitle, Family::ProductEvent, kNames),
                 QStringList{QStringLiteral("クモ テーラーズの新着")});
    }

    void aChainSetsLanguageColourAndTexts()
    {
        const QString text = json(
            {{QStringLiteral("language"), QStringLiteral("both")},
             {QStringLiteral("accentColor"), QStringLiteral("#c8102e")},
             {QStringLiteral("texts"),
              QJsonObject{{QStringLiteral("newArrival.title"),
                           QJsonObject{{QStringLiteral("ja"), QStringLiteral("【{brand}】新作入荷 {{限定}}")}}},
                          {QStringLiteral("product.button"), QJsonObject{{QStringLiteral("en"), QStringLiteral("Shop now")}}}}}});
        const MessageTemplateParse parse = parseMessageTemplate(text);
        QVERIFY2(parse.ok(), qPrintable(parse.errors.join(u'|')));
        const MessageTemplate &t = parse.messageTemplate;
        QVERIFY(!t.isBuiltIn());
        QCOMPARE(t.language(Family::ProductEvent), Language::Both);
        QCOMPARE(t.language(Family::Reply), Language::Both);
        QCOMPARE(t.accentColor(), QStringLiteral("#C8102E"));
        // The Japanese is the chain's; the English it left out stays built in.
        QCOMPARE(t.lines(TextId::NewArrivalTitle, Family::ProductEvent, kNames),
                 (QStringList{QStringLiteral("【クモ テーラーズ】新作入荷 {限定}"), QStringLiteral("New from Kumo Tailors")}));
        QCOMPARE(t.label(TextId::ProductButton, Family::ProductEvent, lineformat::kMaxButtonLabel),
                 QStringLiteral("商品を見る / Shop now"));
    }

    void anUnknownPriceLeavesNoGap()
    {
        const MessageTemplate t;
        Placeholders values = kNames;
        QCOMPARE(t.line(TextId::NewArrivalAltText, Language::Japanese, values), QStringLiteral("クモ テーラーズの新着：オックスフォードシャツ"));
        values.insert(QStringLiteral("price"), {QStringLiteral("¥12,100"), QStringLiteral("¥12,100")});
        QCOMPARE(t.line(TextId::NewArrivalAltText, Language::English, values),
                 QStringLiteral("New from Kumo Tailors: Oxford Shirt ¥12,100"));
    }

    void aLabelTooLongForBothLanguagesKeepsTheFirst()
    {
        const MessageTemplateParse parse = parseMessageTemplate(json(
            {{QStringLiteral("language"), QStringLiteral("both")},
             {QStringLiteral("texts"), QJsonObject{{QStringLiteral("stop.allButton"),
                                                    QJsonObject{{QStringLiteral("ja"), QStringLiteral("お知らせをすべて停止する")},
                                                                {QStringLiteral("en"), QStringLiteral("Stop everything")}}}}}}));
        QVERIFY2(parse.ok(), qPrintable(parse.errors.join(u'|')));
        QCOMPARE(parse.messageTemplate.label(TextId::StopAllButton, Family::Reply, lineformat::kMaxQuickReplyLabel),
                 QStringLiteral("お知らせをすべて停止する"));
    }

    void badTemplatesAreRefusedNamingTheField_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("error");
        QTest::addRow("not JSON") << QStringLiteral("{\"language\": ") << QStringLiteral("not JSON:");
        QTest::addRow("an array") << QStringLiteral("[]") << QStringLiteral("the template must be a JSON object");
        QTest::addRow("unknown field") << json({{QStringLiteral("color"), QStringLiteral("#000000")}})
                                       << QStringLiteral("color: not a template field (language, accentColor, texts)");
        QTest::addRow("language") << json({{QStringLiteral("language"), QStringLiteral("fr")}})
                                  << QStringLiteral("language: must be \"ja\", \"en\" or \"both\"");
        QTest::addRow("colour name") << json({{QStringLiteral("accentColor"), QStringLiteral("red")}})
                                     << QStringLiteral("accentColor: must be a colour written #RRGGBB");
        QTest::addRow("short colour") << json({{QStringLiteral("accentColor"), QStringLiteral("#12345")}})
                                      << QStringLiteral("accentColor: must be a colour written #RRGGBB");
        QTest::addRow("texts not an object") << json({{QStringLiteral("texts"), QJsonArray()}})
                                             << QStringLiteral("texts: must be an object of text keys");
        QTest::addRow("unknown key") << oneText(QStringLiteral("restock.titel"), QStringLiteral("ja"), QStringLiteral("x"))
                                     << QStringLiteral("texts.restock.titel: not a text key; the keys are newArrival.title, ");
        QTest::addRow("text not an object")
            << json({{QStringLiteral("texts"), QJsonObject{{QStringLiteral("restock.title"), QStringLiteral("x")}}}})
            << QStringLiteral("texts.restock.title: must be an object with \"ja\" and/or \"en\"");
        QTest::addRow("unknown language") << oneText(QStringLiteral("restock.title"), QStringLiteral("fr"), QStringLiteral("x"))
                                          << QStringLiteral("texts.restock.title.fr: only \"ja\" and \"en\" can be given");
        QTest::addRow("not a string") << oneText(QStringLiteral("restock.title"), QStringLiteral("ja"), 5)
                                      << QStringLiteral("texts.restock.title.ja: must be a string");
        QTest::addRow("blank") << oneText(QStringLiteral("restock.title"), QStringLiteral("en"), QStringLiteral("  "))
                               << QStringLiteral("texts.restock.title.en: must not be empty");
        QTest::addRow("placeholder of another text")
            << oneText(QStringLiteral("newArrival.title"), QStringLiteral("ja"), QStringLiteral("{store}に{brand}"))
            << QStringLiteral("texts.newArrival.title.ja: unknown placeholder {store}; this text may use {brand}, {product}, {price}");
        QTest::addRow("misspelt placeholder")
            << oneText(QStringLiteral("restock.title"), QStringLiteral("en"), QStringLiteral("{color} is back"))
            << QStringLiteral("texts.restock.title.en: unknown placeholder {color}; this text may use {brand}, {product}, "
                              "{price}, {store}, {colour}, {size}");
        QTest::addRow("placeholder where none are taken")
            << oneText(QStringLiteral("stop.none"), QStringLiteral("ja"), QStringLiteral("{count}件"))
            << QStringLiteral("texts.stop.none.ja: unknown placeholder {count}; this text takes none");
        QTest::addRow("not a name") << oneText(QStringLiteral("restock.title"), QStringLiteral("ja"), QStringLiteral("{store に}"))
                                    << QStringLiteral("texts.restock.title.ja: '{store に}' is not a placeholder name");
        QTest::addRow("unclosed brace") << oneText(QStringLiteral("restock.title"), QStringLiteral("ja"), QStringLiteral("{store"))
                                        << QStringLiteral("texts.restock.title.ja: a '{' without its '}' at character 1");
        QTest::addRow("stray closing brace") << oneText(QStringLiteral("product.price"), QStringLiteral("ja"), QStringLiteral("{price}}"))
                                             << QStringLiteral("texts.product.price.ja: a '}' without its '{' at character 8");
        QTest::addRow("too long") << oneText(QStringLiteral("restock.title"), QStringLiteral("ja"), QStringLiteral("あ").repeated(101))
                                  << QStringLiteral("texts.restock.title.ja: 101 characters is too long; at most 100");
        QTest::addRow("button too long")
            << oneText(QStringLiteral("product.button"), QStringLiteral("en"), QStringLiteral("x").repeated(41))
            << QStringLiteral("texts.product.button.en: 41 characters is too long; at most 40");
        // Labels count grapheme clusters, as LINE does: 20 flags are 20, not 80 UTF-16 units.
        QTest::addRow("quick reply label too long")
            << oneText(QStringLiteral("stop.allButton"), QStringLiteral("ja"), QStringLiteral("🇯🇵").repeated(21))
            << QStringLiteral("texts.stop.allButton.ja: 21 characters is too long; at most 20");
        QTest::addRow("label on two lines")
            << oneText(QStringLiteral("confirmation.stopButton"), QStringLiteral("ja"), QStringLiteral("停止\nする"))
            << QStringLiteral("texts.confirmation.stopButton.ja: a button label is one line without placeholders");
        QTest::addRow("too large") << json({{QStringLiteral("x"), QStringLiteral("y").repeated(300000)}})
                                   << QStringLiteral("the template has 300008 bytes; at most 262144");
    }

    void badTemplatesAreRefusedNamingTheField()
    {
        QFETCH(QString, text);
        QFETCH(QString, error);
        const MessageTemplateParse parse = parseMessageTemplate(text);
        QVERIFY(!parse.ok());
        QCOMPARE(parse.errors.size(), 1);
        QVERIFY2(parse.errors.first().startsWith(error), qPrintable(parse.errors.first()));
        QVERIFY(parse.messageTemplate.isBuiltIn()); // nothing of a refused template is used
    }

    void everyProblemIsReported()
    {
        const QString text = json({{QStringLiteral("language"), QStringLiteral("de")},
                                   {QStringLiteral("accentColor"), 7},
                                   {QStringLiteral("texts"),
                                    QJsonObject{{QStringLiteral("restock.title"), QJsonObject{{QStringLiteral("ja"), QStringLiteral("{x}")}}}}}});
        const MessageTemplateParse parse = parseMessageTemplate(text);
        QCOMPARE(parse.errors.size(), 3);
    }

    // Placeholders are filled once: a name that looks like a placeholder stays as it is.
    void namesAreNotReadAsPlaceholders()
    {
        const Placeholders values{{QStringLiteral("brand"), {QStringLiteral("{product}"), QString()}},
                                  {QStringLiteral("product"), {QStringLiteral("シャツ"), QString()}}};
        QCOMPARE(MessageTemplate().line(TextId::NewArrivalTitle, Language::English, values), QStringLiteral("New from {product}"));
    }

    void textsAreCutWithoutBreakingCharacters()
    {
        using namespace lineformat;
        QCOMPARE(truncateUtf16(QStringLiteral("abcdef"), 6), QStringLiteral("abcdef"));
        QCOMPARE(truncateUtf16(QStringLiteral("abcdefg"), 6), QStringLiteral("abcde…"));
        // An emoji is two UTF-16 units; a family emoji is one grapheme of many units.
        const QString apples = QStringLiteral("🍎").repeated(5);
        const QString cut = truncateUtf16(apples, 6);
        QCOMPARE(cut, QStringLiteral("🍎🍎…"));
        QVERIFY(cut.isValidUtf16());
        const QString family = QStringLiteral("a👨‍👩‍👧b");
        QCOMPARE(truncateUtf16(family, 5), QStringLiteral("a…"));
        QCOMPARE(graphemeCount(family), 3);
        QCOMPARE(truncateGraphemes(QStringLiteral("🇯🇵").repeated(25), 20), QStringLiteral("🇯🇵").repeated(19) + QStringLiteral("…"));
        QCOMPARE(truncateGraphemes(QStringLiteral("すべて停止"), 20), QStringLiteral("すべて停止"));
    }

    void pricesReadAsShopsPrintThem()
    {
        QCOMPARE(lineformat::yen(0), QStringLiteral("¥0"));
        QCOMPARE(lineformat::yen(980), QStringLiteral("¥980"));
        QCOMPARE(lineformat::yen(1000), QStringLiteral("¥1,000"));
        QCOMPARE(lineformat::yen(12100), QStringLiteral("¥12,100"));
        QCOMPARE(lineformat::yen(100000000), QStringLiteral("¥100,000,000"));
    }
};

QTEST_GUILESS_MAIN(MessageTemplateTest)
#include "messagetemplatetest.moc"
