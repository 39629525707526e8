// Every message the service words (messages/) is one LINE accepts: each is validated, as the
// body of a multicast, a push and a reply, against LINE's OpenAPI document with the LINE
// platform emulator's validator, and checked against the limits LINE documents but the
// document leaves out (label lengths, URI lengths, bubble size). For every event type, with
// and without store and price, in ja, en and both, with names far longer than LINE allows,
// with the built-in template and a chain's.
#include "messages/confirmationmessages.h"
#include "messages/lineformat.h"
#include "messages/productmessages.h"
#include "messages/stopmessages.h"
#include "openapivalidator.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace poptap;
using namespace poptap::delivery;
using poptap::lineemu::OpenApiValidator;

namespace {

const QString kUser = QStringLiteral("U4af4980629aaaaaaaaaaaaaaaaaaaaaa");
const QString kTracked = QStringLiteral("https://poptap.example.jp/c/AbCdEfGhIjKlMnOp");

enum class Names { Usual, Long };

ProductEvent productEvent(ProductEvent::Kind kind, bool atStore, bool priced, Names names)
{
    ProductEvent e;
    e.merchantEventId = QStringLiteral("evt-1");
    e.kind = kind;
    e.target = kind == ProductEvent::Kind::Restock ? 100102 : 1;
    if (atStore)
        e.storeId = 101;
    const bool usual = names == Names::Usual;
    e.productNameJa = usual ? QStringLiteral("オックスフォードシャツ") : QStringLiteral("長い商品名🧥").repeated(600);
    e.productNameEn = usual ? QStringLiteral("Oxford Shirt") : QStringLiteral("Long product name ").repeated(200);
    e.imageUrl = QUrl(QStringLiteral("https://cdn.example.jp/products/1001.jpg"));
    if (priced)
        e.priceYen = 12100;
    e.productUrl = QUrl(QStringLiteral("https://shop.example.jp/products/1001?colour=navy&size=M"));
    return e;
}

ProductEventNames eventNames(bool atStore, Names names)
{
    ProductEventNames n;
    const bool usual = names == Names::Usual;
    n.brandId = 1;
    n.brand = usual ? LocalName{QStringLiteral("クモ テーラーズ"), QStringLiteral("Kumo Tailors")}
                    : LocalName{QStringLiteral("ブランド👨‍👩‍👧").repeated(1000), QStringLiteral("Brand ").repeated(1000)};
    n.colour = usual ? LocalName{QStringLiteral("ネイビー"), QStringLiteral("Navy")}
                     : LocalName{QStringLiteral("色").repeated(900), QStringLiteral("Colour").repeated(300)};
    n.size = usual ? QStringLiteral("M") : QStringLiteral("XL").repeated(400);
    if (atStore)
        n.store = usual ? LocalName{QStringLiteral("ソラマド 神宮前店"), QStringLiteral("Soramado Jingumae")}
                        : LocalName{QStringLiteral("店").repeated(3000), QStringLiteral("Store").repeated(600)};
    return n;
}

MessageTemplate templateOf(const QJsonObject &json)
{
    const MessageTemplateParse parse = parseMessageTemplate(QString::fromUtf8(QJsonDocument(json).toJson()));
    if (!parse.ok())
        qFatal("test template refused: %s", qPrintable(parse.errors.join(u'|')));
    return parse.messageTemplate;
}

// A chain's template that uses every placeholder it may, at the longest wordings allowed.
MessageTemplate chainTemplate(const QString &language)
{
    QJsonObject texts;
    for (const TextSpec &spec : textSpecs()) {
        QString wording;
        for (const QString &name : spec.placeholders)
            wording += u'{' + name + u'}' + QStringLiteral("・");
        if (spec.isLabel)
            wording = QStringLiteral("ボ").repeated(spec.maxLength);
        else
            wording += QStringLiteral("字").repeated(spec.maxLength - wording.size());
        texts.insert(spec.key, QJsonObject{{QStringLiteral("ja"), wording}, {QStringLiteral("en"), wording}});
    }
    return templateOf({{QStringLiteral("language"), language},
                       {QStringLiteral("accentColor"), QStringLiteral("#C8102E")},
                       {QStringLiteral("texts"), texts}});
}

MessageTemplate templateFor(const QString &language, bool custom)
{
    return custom ? chainTemplate(language) : templateOf({{QStringLiteral("language"), language}});
}

// The limits of LINE's API reference that messaging-api.yml does not carry.
void checkDocumentedLimits(const QJsonValue &value, const QString &path, bool inQuickReply, QStringList &found)
{
    using namespace lineformat;
    if (value.isString() && !value.toString().isValidUtf16())
        found << path + QStringLiteral(": a character cut in half");
    if (value.isArray()) {
        const QJsonArray array = value.toArray();
        for (qsizetype i = 0; i < array.size(); ++i)
            checkDocumentedLimits(array.at(i), QStringLiteral("%1[%2]").arg(path).arg(i), inQuickReply, found);
    }
    if (!value.isObject())
        return;
    const QJsonObject object = value.toObject();
    const QString type = object.value(QLatin1String("type")).toString();
    if (object.value(QLatin1String("action")).isObject()) {
        const QJsonObject action = object.value(QLatin1String("action")).toObject();
        const int maxLabel = inQuickReply ? kMaxQuickReplyLabel : kMaxButtonLabel;
        if (graphemeCount(action.value(QLatin1String("label")).toString()) > maxLabel)
            found << path + QStringLiteral(".action.label: over %1 characters").arg(maxLabel);
        if (action.contains(QLatin1String("uri"))) {
            const QString uri = action.value(QLatin1String("uri")).toString();
            if (uri.size() > kMaxUri || !isWebUrl(uri))
                found << path + QStringLiteral(".action.uri: not an http(s) URI of at most 1000 characters");
        }
        if (action.value(QLatin1String("displayText")).toString().size() > kMaxDisplayText)
            found << path + QStringLiteral(".action.displayText: over 300 characters");
    }
    if (type == QLatin1String("image")
        && (object.value(QLatin1String("url")).toString().size() > kMaxImageUrl
            || !object.value(QLatin1String("url")).toString().startsWith(QLatin1String("https://"))))
        found << path + QStringLiteral(".url: not an https URL of at most 2000 characters");
    if (type == QLatin1String("text") && path.contains(QLatin1String(".contents")) && object.value(QLatin1String("text")).toString().isEmpty())
        found << path + QStringLiteral(".text: empty");
    if (type == QLatin1String("bubble") && QJsonDocument(object).toJson(QJsonDocument::Compact).size() > kMaxBubbleBytes)
        found << path + QStringLiteral(": bubble over 30 KB");
    if (type == QLatin1String("flex") && object.value(QLatin1String("altText")).toString().isEmpty())
        found << path + QStringLiteral(".altText: empty");
    for (auto it = object.begin(); it != object.end(); ++it)
        checkDocumentedLimits(it.value(), path + u'.' + it.key(), inQuickReply || it.key() == QLatin1String("quickReply"), found);
}

// Every text a bubble shows, in order.
QStringList bubbleTexts(const QJsonArray &messages)
{
    QStringList texts;
    const QJsonArray contents = messages.first().toObject().value(QLatin1String("contents")).toObject()
                                    .value(QLatin1String("body")).toObject().value(QLatin1String("contents")).toArray();
    for (const QJsonValue &component : contents)
        texts << component.toObject().value(QLatin1String("text")).toString();
    return texts;
}

QJsonObject bubbleOf(const QJsonArray &messages)
{
    return messages.first().toObject().value(QLatin1String("contents")).toObject();
}

QString altTextOf(const QJsonArray &messages)
{
    return messages.first().toObject().value(QLatin1String("altText")).toString();
}

QString textOf(const QJsonArray &messages)
{
    return messages.first().toObject().value(QLatin1String("text")).toString();
}

QJsonArray quickReplyOf(const QJsonArray &messages)
{
    return messages.first().toObject().value(QLatin1String("quickReply")).toObject().value(QLatin1String("items")).toArray();
}

QString labelOf(const QJsonValue &item)
{
    return item.toObject().value(QLatin1String("action")).toObject().value(QLatin1String("label")).toString();
}

QList<StoppableSubscription> subscriptions(int count, bool twoStores, Names names)
{
    QList<StoppableSubscription> list;
    for (int i = 0; i < count; ++i) {
        const bool restock = i % 2 == 1;
        const std::int64_t store = twoStores && i % 3 == 2 ? 102 : 101;
        StoppableSubscription s;
        s.request = {restock ? RegistrationKind::Restock : RegistrationKind::BrandInterest, std::uint32_t(restock ? 100100 + i : i + 1),
                     store};
        if (i % 5 != 4) // some the catalog does not name
            s.target = names == Names::Usual
                ? LocalName{QStringLiteral("ブランド%1").arg(i + 1), QStringLiteral("Brand %1").arg(i + 1)}
                : LocalName{QStringLiteral("長").repeated(4000), QStringLiteral("Long").repeated(1000)};
        s.store = store == 101 ? LocalName{QStringLiteral("ソラマド 神宮前店"), QStringLiteral("Soramado Jingumae")}
                               : LocalName{QStringLiteral("ソラマド 梅田店"), QStringLiteral("Soramado Umeda")};
        list << s;
    }
    return list;
}

} // namespace

class LineMessagesTest : public QObject
{
    Q_OBJECT

    std::optional<OpenApiValidator> m_api;

    // What LINE would refuse in `messages` sent by multicast, push or reply.
    QStringList problems(const QJsonArray &messages) const
    {
        QStringList found;
        const QList<std::pair<QString, QJsonObject>> bodies{
            {QStringLiteral("MulticastRequest"), {{QStringLiteral("to"), QJsonArray{kUser}}, {QStringLiteral("messages"), messages}}},
            {QStringLiteral("PushMessageRequest"), {{QStringLiteral("to"), kUser}, {QStringLiteral("messages"), messages}}},
            {QStringLiteral("ReplyMessageRequest"),
             {{QStringLiteral("replyToken"), QStringLiteral("nHuyWiB7yP5Zw52FIkcQobQuGDXCTA")}, {QStringLiteral("messages"), messages}}},
        };
        for (const auto &[schema, body] : bodies)
            for (const lineemu::SchemaViolation &violation : m_api->validate(body, schema))
                found << schema + QStringLiteral(": ") + lineemu::describe(violation);
        checkDocumentedLimits(messages, QStringLiteral("messages"), false, found);
        return found;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QString error;
        m_api = OpenApiValidator::fromFile(QStringLiteral(":/line-openapi/messaging-api.json"), &error);
        QVERIFY2(m_api, qPrintable(error));
    }

    // The checks above would catch what LINE refuses: an unknown property, a 14th quick reply
    // button, a label over 20 characters, an http image.
    void theChecksCatchWhatLineRefuses()
    {
        QJsonArray items;
        for (int i = 0; i < 14; ++i)
            items.append(QJsonObject{{QStringLiteral("type"), QStringLiteral("action")},
                                     {QStringLiteral("action"), QJsonObject{{QStringLiteral("type"), QStringLiteral("postback")},
                                                                            {QStringLiteral("label"), QStringLiteral("x").repeated(21)},
                                                                            {QStringLiteral("data"), QStringLiteral("d")}}}});
        const QJsonObject text{{QStringLiteral("type"), QStringLiteral("text")},
                               {QStringLiteral("text"), QStringLiteral("hi")},
                               {QStringLiteral("colour"), QStringLiteral("red")},
                               {QStringLiteral("quickReply"), QJsonObject{{QStringLiteral("items"), items}}}};
        const QJsonObject image{{QStringLiteral("type"), QStringLiteral("image")},
                                {QStringLiteral("url"), QStringLiteral("http://cdn.example.jp/a.jpg")}};
        const QJsonObject flex{{QStringLiteral("type"), QStringLiteral("flex")},
                               {QStringLiteral("altText"), QStringLiteral("a")},
                               {QStringLiteral("contents"), QJsonObject{{QStringLiteral("type"), QStringLiteral("bubble")},
                                                                        {QStringLiteral("hero"), image}}}};
        const QString found = problems(QJsonArray{text, flex}).join(u'\n');
        QVERIFY2(found.contains(QStringLiteral("messages[0].colour")), qPrintable(found));
        QVERIFY2(found.contains(QStringLiteral("quickReply.items")), qPrintable(found));
        QVERIFY2(found.contains(QStringLiteral(".action.label: over 20 characters")), qPrintable(found));
        QVERIFY2(found.contains(QStringLiteral(".url: not an https URL")), qPrintable(found));
    }

    void productEventMessagesAreValid_data()
    {
        QTest::addColumn<int>("kind");
        QTest::addColumn<bool>("atStore");
        QTest::addColumn<bool>("priced");
        QTest::addColumn<QString>("language");
        QTest::addColumn<bool>("longNames");
        QTest::addColumn<bool>("custom");
        for (const int kind : {1, 2})
            for (const bool atStore : {false, true}) {
                if (kind == 2 && !atStore)
                    continue; // a restock is always at a store
                for (const bool priced : {false, true})
                    for (const QString &language : {QStringLiteral("ja"), QStringLiteral("en"), QStringLiteral("both")})
                        for (const bool longNames : {false, true})
                            for (const bool custom : {false, true})
                                QTest::addRow("%s/%s/%s/%s/%s/%s", kind == 1 ? "new-arrival" : "restock",
                                              atStore ? "store" : "chain", priced ? "price" : "no-price", qPrintable(language),
                                              longNames ? "long" : "usual", custom ? "chain-template" : "built-in")
                                    << kind << atStore << priced << language << longNames << custom;
            }
    }

    void productEventMessagesAreValid()
    {
        QFETCH(int, kind);
        QFETCH(bool, atStore);
        QFETCH(bool, priced);
        QFETCH(QString, language);
        QFETCH(bool, longNames);
        QFETCH(bool, custom);
        const Names names = longNames ? Names::Long : Names::Usual;
        const ProductEvent event = productEvent(ProductEvent::Kind(kind), atStore, priced, names);
        const QJsonArray messages =
            productEventMessages({event, eventNames(atStore, names), kTracked}, templateFor(language, custom));
        QCOMPARE(messages.size(), 1);
        const QStringList found = problems(messages);
        QVERIFY2(found.isEmpty(), qPrintable(found.join(u'\n')));
        // Whatever the names, the shopper can open the product.
        QCOMPARE(bubbleOf(messages).value(QLatin1String("footer")).toObject().value(QLatin1String("contents")).toArray()
                     .first().toObject().value(QLatin1String("action")).toObject().value(QLatin1String("uri")).toString(),
                 kTracked);
        // The notification names the price, however long the names before it.
        QCOMPARE(altTextOf(messages).contains(QStringLiteral("¥12,100")), priced);
    }

    void aRestockSaysYourSizeIsBackNamingProductColourSizeStoreAndPrice()
    {
        const ProductEvent event = productEvent(ProductEvent::Kind::Restock, true, true, Names::Usual);
        const QJsonArray messages = productEventMessages({event, eventNames(true, Names::Usual), kTracked}, MessageTemplate());
        QCOMPARE(altTextOf(messages),
                 QStringLiteral("クモ テーラーズ オックスフォードシャツ（ネイビー / M）がソラマド 神宮前店に再入荷しました ¥12,100"));
        QCOMPARE(bubbleTexts(messages),
                 (QStringList{QStringLiteral("ご希望のサイズがソラマド 神宮前店に再入荷しました"), QStringLiteral("クモ テーラーズ"),
                              QStringLiteral("オックスフォードシャツ"), QStringLiteral("カラー：ネイビー / サイズ：M"),
                              QStringLiteral("¥12,100（税込）"), QStringLiteral("店舗：ソラマド 神宮前店")}));
        const QJsonObject hero = bubbleOf(messages).value(QLatin1String("hero")).toObject();
        QCOMPARE(hero.value(QLatin1String("url")).toString(), QStringLiteral("https://cdn.example.jp/products/1001.jpg"));
        QCOMPARE(hero.value(QLatin1String("action")).toObject().value(QLatin1String("uri")).toString(), kTracked);
    }

    void aChainWideNewArrivalWithoutPriceNamesNoStoreAndNoPrice()
    {
        const ProductEvent event = productEvent(ProductEvent::Kind::NewArrival, false, false, Names::Usual);
        const QJsonArray messages = productEventMessages({event, eventNames(false, Names::Usual), kTracked}, MessageTemplate());
        QCOMPARE(altTextOf(messages), QStringLiteral("クモ テーラーズの新着：オックスフォードシャツ"));
        QCOMPARE(bubbleTexts(messages), (QStringList{QStringLiteral("クモ テーラーズの新着"), QStringLiteral("オックスフォードシャツ")}));
        QVERIFY(!QJsonDocument(messages).toJson().contains("¥"));
    }

    void aNewArrivalAtAStoreSaysWhere()
    {
        const ProductEvent event = productEvent(ProductEvent::Kind::NewArrival, true, true, Names::Usual);
        const QJsonArray messages = productEventMessages({event, eventNames(true, Names::Usual), kTracked}, MessageTemplate());
        QCOMPARE(altTextOf(messages), QStringLiteral("ソラマド 神宮前店にクモ テーラーズの新着：オックスフォードシャツ ¥12,100"));
        QCOMPARE(bubbleTexts(messages).last(), QStringLiteral("店舗：ソラマド 神宮前店"));
    }

    void inEnglishAProductWithoutAnEnglishNameKeepsItsJapaneseOne()
    {
        ProductEvent event = productEvent(ProductEvent::Kind::Restock, true, true, Names::Usual);
        event.productNameEn.clear();
        const QJsonArray messages = productEventMessages({event, eventNames(true, Names::Usual), kTracked},
                                                         templateOf({{QStringLiteral("language"), QStringLiteral("en")}}));
        QCOMPARE(altTextOf(messages), QStringLiteral("Kumo Tailors オックスフォードシャツ (Navy / M) is back at Soramado Jingumae ¥12,100"));
        QCOMPARE(bubbleTexts(messages).first(), QStringLiteral("Your size is back at Soramado Jingumae"));
    }

    void inBothLanguagesEachLineHasItsEnglishBelow()
    {
        const ProductEvent event = productEvent(ProductEvent::Kind::NewArrival, false, true, Names::Usual);
        const QJsonArray messages = productEventMessages({event, eventNames(false, Names::Usual), kTracked},
                                                         templateOf({{QStringLiteral("language"), QStringLiteral("both")}}));
        QCOMPARE(altTextOf(messages), QStringLiteral("クモ テーラーズの新着：オックスフォードシャツ ¥12,100\n"
                                                     "New from Kumo Tailors: Oxford Shirt ¥12,100"));
        QCOMPARE(bubbleTexts(messages).mid(0, 4), (QStringList{QStringLiteral("クモ テーラーズの新着"), QStringLiteral("New from Kumo Tailors"),
                                                              QStringLiteral("オックスフォードシャツ"), QStringLiteral("Oxford Shirt")}));
        const QJsonObject button = bubbleOf(messages).value(QLatin1String("footer")).toObject().value(QLatin1String("contents"))
                                       .toArray().first().toObject();
        QCOMPARE(button.value(QLatin1String("action")).toObject().value(QLatin1String("label")).toString(),
                 QStringLiteral("商品を見る / View item"));
    }

    void aChainsTemplateSetsWordingAndAccent()
    {
        const MessageTemplate wording = templateOf(
            {{QStringLiteral("accentColor"), QStringLiteral("#C8102E")},
             {QStringLiteral("texts"),
              QJsonObject{{QStringLiteral("restock.altText"),
                           QJsonObject{{QStringLiteral("ja"), QStringLiteral("【再入荷】{product} {size}｜{store}")}}},
                          {QStringLiteral("product.button"), QJsonObject{{QStringLiteral("ja"), QStringLiteral("オンラインストアへ")}}}}}});
        const ProductEvent event = productEvent(ProductEvent::Kind::Restock, true, false, Names::Usual);
        const QJsonArray messages = productEventMessages({event, eventNames(true, Names::Usual), kTracked}, wording);
        QCOMPARE(altTextOf(messages), QStringLiteral("【再入荷】オックスフォードシャツ M｜ソラマド 神宮前店"));
        const QJsonObject button = bubbleOf(messages).value(QLatin1String("footer")).toObject().value(QLatin1String("contents"))
                                       .toArray().first().toObject();
        QCOMPARE(button.value(QLatin1String("color")).toString(), QStringLiteral("#C8102E"));
        QCOMPARE(button.value(QLatin1String("action")).toObject().value(QLatin1String("label")).toString(),
                 QStringLiteral("オンラインストアへ"));
        QCOMPARE(bubbleOf(messages).value(QLatin1String("body")).toObject().value(QLatin1String("contents")).toArray()
                     .first().toObject().value(QLatin1String("color")).toString(),
                 QStringLiteral("#C8102E"));
    }

    // Without a tracked link the button opens the product page itself.
    void withoutATrackedLinkTheButtonOpensTheProduct()
    {
        const ProductEvent event = productEvent(ProductEvent::Kind::NewArrival, false, true, Names::Usual);
        const QJsonArray messages = productEventMessages({event, eventNames(false, Names::Usual), QString()}, MessageTemplate());
        QVERIFY(problems(messages).isEmpty());
        QCOMPARE(bubbleOf(messages).value(QLatin1String("hero")).toObject().value(QLatin1String("action")).toObject()
                     .value(QLatin1String("uri")).toString(),
                 QStringLiteral("https://shop.example.jp/products/1001?colour=navy&size=M"));
    }

    void confirmationsAreValid_data()
    {
        QTest::addColumn<int>("outcome");
        QTest::addColumn<int>("kind");
        QTest::addColumn<int>("names"); // 0 none, 1 usual, 2 long
        QTest::addColumn<QString>("language");
        QTest::addColumn<bool>("custom");
        for (const ClaimOutcome outcome : {ClaimOutcome::Subscribed, ClaimOutcome::AlreadySubscribed, ClaimOutcome::ClaimedByAnother,
                                           ClaimOutcome::Expired, ClaimOutcome::Invalid, ClaimOutcome::IdTokenRejected,
                                           ClaimOutcome::Unavailable})
            for (const RegistrationKind kind : {RegistrationKind::BrandInterest, RegistrationKind::Restock})
                for (const int names : {0, 1, 2})
                    for (const QString &language : {QStringLiteral("ja"), QStringLiteral("en"), QStringLiteral("both")})
                        for (const bool custom : {false, true})
                            QTest::addRow("%s/%d/%d/%s/%s", qPrintable(toString(outcome)), int(kind), names, qPrintable(language),
                                          custom ? "chain-template" : "built-in")
                                << int(outcome) << int(kind) << names << language << custom;
    }

    void confirmationsAreValid()
    {
        QFETCH(int, outcome);
        QFETCH(int, kind);
        QFETCH(int, names);
        QFETCH(QString, language);
        QFETCH(bool, custom);
        ClaimResult result;
        result.outcome = ClaimOutcome(outcome);
        result.claims.kind = RegistrationKind(kind);
        result.claims.target = 100102;
        result.storeId = 101;
        if (names > 0) {
            result.targetNameJa = names == 1 ? QStringLiteral("クモ テーラーズ") : QStringLiteral("🧥長い").repeated(3000);
            result.targetNameEn = names == 1 ? QStringLiteral("Kumo Tailors") : QStringLiteral("Long").repeated(3000);
        }
        const QJsonArray messages = confirmationMessages(result, templateFor(language, custom));
        const QStringList found = problems(messages);
        QVERIFY2(found.isEmpty(), qPrintable(found.join(u'\n')));
        QCOMPARE(quickReplyOf(messages).size(), result.outcome == ClaimOutcome::Subscribed ? 1 : 0);
    }

    void theBuiltInConfirmationSpeaksBothLanguages()
    {
        ClaimResult result;
        result.outcome = ClaimOutcome::Subscribed;
        result.claims.kind = RegistrationKind::BrandInterest;
        result.claims.target = 7;
        result.storeId = 101;
        result.targetNameJa = QStringLiteral("ヤマビコ マウンテン");
        result.targetNameEn = QStringLiteral("Yamabiko Mountain");
        const QJsonArray messages = confirmationMessages(result, MessageTemplate());
        QCOMPARE(textOf(messages), QStringLiteral("ヤマビコ マウンテンの新着をLINEでお届けします。\n"
                                                  "You will get new arrivals from Yamabiko Mountain on LINE."));
        // "お知らせを停止 / Stop notifications" would not fit a quick reply button.
        QCOMPARE(labelOf(quickReplyOf(messages).first()), QStringLiteral("お知らせを停止"));
        QCOMPARE(quickReplyOf(messages).first().toObject().value(QLatin1String("action")).toObject()
                     .value(QLatin1String("displayText")).toString(),
                 QStringLiteral("お知らせを停止 / Stop notifications"));
    }

    void stopRepliesAreValid_data()
    {
        QTest::addColumn<int>("count");
        QTest::addColumn<bool>("twoStores");
        QTest::addColumn<QString>("language");
        QTest::addColumn<bool>("longNames");
        QTest::addColumn<bool>("custom");
        for (const int count : {0, 1, 12, 13, 40})
            for (const bool twoStores : {false, true})
                for (const QString &language : {QStringLiteral("ja"), QStringLiteral("en"), QStringLiteral("both")})
                    for (const bool longNames : {false, true})
                        for (const bool custom : {false, true})
                            QTest::addRow("%d/%s/%s/%s/%s", count, twoStores ? "two-stores" : "one-store", qPrintable(language),
                                          longNames ? "long" : "usual", custom ? "chain-template" : "built-in")
                                << count << twoStores << language << longNames << custom;
    }

    void stopRepliesAreValid()
    {
        QFETCH(int, count);
        QFETCH(bool, twoStores);
        QFETCH(QString, language);
        QFETCH(bool, longNames);
        QFETCH(bool, custom);
        const MessageTemplate wording = templateFor(language, custom);
        const QList<StoppableSubscription> list = subscriptions(count, twoStores, longNames ? Names::Long : Names::Usual);
        const QJsonArray choice = stopChoiceMessages(list, wording);
        QStringList found = problems(choice);
        found << problems(stopAllMessages(list, wording));
        for (const auto outcome : {Subscriptions::Stop::Stopped, Subscriptions::Stop::NotActive, Subscriptions::Stop::Failed})
            for (const StoppableSubscription &s : list.mid(0, 3))
                found << problems(stopReplyMessages(outcome, s.request.kind, s.target, wording));
        QVERIFY2(found.isEmpty(), qPrintable(found.join(u'\n')));
        // One button per subscription, for at most 12, and "stop all"; none without subscriptions.
        QCOMPARE(quickReplyOf(choice).size(), count == 0 ? 0 : std::min(count, kMaxListedSubscriptions) + 1);
    }

    void theStopKeywordsReplyNumbersSubscriptionsAsItsButtons()
    {
        const QList<StoppableSubscription> list = subscriptions(13, false, Names::Usual);
        const QJsonArray choice = stopChoiceMessages(list, MessageTemplate());
        const QString text = textOf(choice);
        QVERIFY2(text.startsWith(QStringLiteral("停止するお知らせを下のボタンから選んでください。\n1. ブランド1の新着\n2. ブランド2の再入荷\n")),
                 qPrintable(text));
        QVERIFY2(text.contains(QStringLiteral("5. お知らせ（番号 5）\n")), qPrintable(text)); // one the catalog does not name
        QVERIFY2(text.contains(QStringLiteral("12. ブランド12の再入荷\nほか1件は「すべて停止」で停止できます。\n\n")), qPrintable(text));
        QVERIFY2(text.contains(QStringLiteral("Choose below which notifications to stop.\n1. New arrivals from Brand 1\n")),
                 qPrintable(text));
        QVERIFY(!text.contains(QStringLiteral("13.")));
        const QJsonArray items = quickReplyOf(choice);
        QCOMPARE(items.size(), 13);
        QCOMPARE(labelOf(items.at(0)), QStringLiteral("1. ブランド1の新着"));
        QCOMPARE(items.at(1).toObject().value(QLatin1String("action")).toObject().value(QLatin1String("data")).toString(),
                 postbackData(list.at(1).request));
        QCOMPARE(labelOf(items.at(12)), QStringLiteral("すべて停止 / Stop all"));
        QCOMPARE(items.at(12).toObject().value(QLatin1String("action")).toObject().value(QLatin1String("data")).toString(),
                 stopAllPostbackData());
    }

    void subscriptionsAtSeveralStoresSayWhichStore()
    {
        const QJsonArray choice = stopChoiceMessages(subscriptions(3, true, Names::Usual),
                                                     templateOf({{QStringLiteral("language"), QStringLiteral("ja")}}));
        QCOMPARE(textOf(choice), QStringLiteral("停止するお知らせを下のボタンから選んでください。\n"
                                                "1. ブランド1の新着（ソラマド 神宮前店）\n"
                                                "2. ブランド2の再入荷（ソラマド 神宮前店）\n"
                                                "3. ブランド3の新着（ソラマド 梅田店）"));
    }

    void stopAllConfirmsWhatWasStopped()
    {
        const QJsonArray reply = stopAllMessages(subscriptions(2, false, Names::Usual),
                                                 templateOf({{QStringLiteral("language"), QStringLiteral("en")}}));
        QCOMPARE(textOf(reply), QStringLiteral("2 notifications are stopped.\n・New arrivals from Brand 1\n・Brand 2 back in stock"));
        QCOMPARE(textOf(stopAllMessages({}, MessageTemplate())),
                 QStringLiteral("現在、お届けしているお知らせはありません。店頭の端末からいつでも登録できます。\n"
                                "You have no notifications to stop. You can sign up again at the kiosk in the store any time."));
    }
};

QTEST_GUILESS_MAIN(LineMessagesTest)
#include "linemessagestest.moc"
