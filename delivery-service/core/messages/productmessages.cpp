#include "productmessages.h"

#include "lineformat.h"

namespace poptap::delivery {
namespace {

using Family = MessageTemplate::Family;

constexpr int kMaxName = 200;         // a name as it fills a placeholder of the bubble
constexpr int kMaxNameInAltText = 60; // a notification shows a line or two: the price must not be cut off
constexpr int kMaxLine = 400;         // a line of the bubble: keeps a bubble far below LINE's 30 KB
const QString kMuted = QStringLiteral("#888888");
const QString kSubtle = QStringLiteral("#555555");

LocalName cut(const LocalName &name, int max)
{
    return {lineformat::truncateUtf16(name.ja, max), lineformat::truncateUtf16(name.en, max)};
}

Placeholders cutNames(Placeholders values, int max)
{
    for (LocalName &value : values)
        value = cut(value, max);
    return values;
}

// A name in the template's language; for Both the Japanese, then the English when it differs.
QStringList nameLines(const LocalName &name, Language language)
{
    if (language != Language::Both)
        return {name.in(language)};
    QStringList lines{name.ja};
    if (!name.en.isEmpty() && name.en != name.ja)
        lines << name.en;
    return lines;
}

// A line per language: the first styled as given, a second (English under Japanese) smaller
// and muted, so a bilingual bubble still reads as one message.
void addLines(QJsonArray &contents, const QStringList &lines, QJsonObject style)
{
    for (qsizetype i = 0; i < lines.size(); ++i) {
        const QString text = lineformat::truncateUtf16(lines.at(i), kMaxLine);
        if (text.isEmpty())
            continue; // LINE refuses an empty text component
        QJsonObject component = style;
        component.insert(QStringLiteral("type"), QStringLiteral("text"));
        component.insert(QStringLiteral("text"), text);
        component.insert(QStringLiteral("wrap"), true);
        if (i > 0) {
            component.insert(QStringLiteral("size"), QStringLiteral("xs"));
            component.insert(QStringLiteral("color"), kMuted);
            component.remove(QStringLiteral("weight"));
        }
        contents.append(component);
    }
}

QJsonObject uriAction(const QString &label, const QString &uri)
{
    return {{QStringLiteral("type"), QStringLiteral("uri")}, {QStringLiteral("label"), label}, {QStringLiteral("uri"), uri}};
}

struct Wording {
    TextId title;
    TextId altText;
};

Wording wordingFor(const ProductEventContext &context)
{
    if (context.event.kind == ProductEvent::Kind::Restock)
        return {TextId::RestockTitle, TextId::RestockAltText};
    if (context.names.store.isEmpty())
        return {TextId::NewArrivalTitle, TextId::NewArrivalAltText};
    return {TextId::NewArrivalAtStoreTitle, TextId::NewArrivalAtStoreAltText};
}

// The link the button opens: the tracked one, else the product page; none LINE would refuse.
QString linkOf(const ProductEventContext &context)
{
    const QString link = context.trackedUrl.isEmpty() ? context.event.productUrl.toString(QUrl::FullyEncoded)
                                                      : context.trackedUrl;
    return lineformat::isWebUrl(link) && link.size() <= lineformat::kMaxUri ? link : QString();
}

QString imageOf(const ProductEvent &event)
{
    const QString url = event.imageUrl.toString(QUrl::FullyEncoded);
    // LINE shows Flex images over HTTPS only.
    return event.imageUrl.scheme() == QLatin1String("https") && lineformat::isWebUrl(url)
            && url.size() <= lineformat::kMaxImageUrl
        ? url
        : QString();
}

// Title, brand (restock), product, colour and size (restock), price, store: one line each,
// per language.
QJsonArray bodyLines(const ProductEventContext &context, const MessageTemplate &wording, const Placeholders &values)
{
    const ProductEvent &event = context.event;
    const bool restock = event.kind == ProductEvent::Kind::Restock;
    const Language language = wording.language(Family::ProductEvent);
    QJsonArray body;
    addLines(body, wording.lines(wordingFor(context).title, Family::ProductEvent, values),
             {{QStringLiteral("size"), QStringLiteral("sm")},
              {QStringLiteral("weight"), QStringLiteral("bold")},
              {QStringLiteral("color"), wording.accentColor()}});
    if (restock)
        addLines(body, nameLines(values.value(QStringLiteral("brand")), language),
                 {{QStringLiteral("size"), QStringLiteral("sm")}, {QStringLiteral("color"), kSubtle}});
    addLines(body, nameLines(values.value(QStringLiteral("product")), language),
             {{QStringLiteral("size"), QStringLiteral("lg")},
              {QStringLiteral("weight"), QStringLiteral("bold")},
              {QStringLiteral("maxLines"), 3}});
    if (restock)
        addLines(body, wording.lines(TextId::RestockVariant, Family::ProductEvent, values),
                 {{QStringLiteral("size"), QStringLiteral("sm")}});
    if (!values.value(QStringLiteral("price")).isEmpty())
        addLines(body, wording.lines(TextId::ProductPrice, Family::ProductEvent, values),
                 {{QStringLiteral("size"), QStringLiteral("md")}, {QStringLiteral("weight"), QStringLiteral("bold")}});
    if (!context.names.store.isEmpty())
        addLines(body, wording.lines(TextId::ProductStore, Family::ProductEvent, values),
                 {{QStringLiteral("size"), QStringLiteral("sm")}, {QStringLiteral("color"), kMuted}});
    return body;
}

} // namespace

QJsonArray productEventMessages(const ProductEventContext &context, const MessageTemplate &wording)
{
    const ProductEvent &event = context.event;
    const ProductEventNames &names = context.names;
    // A price of 0 is "not shown", as in the catalog.
    const QString price = event.priceYen && *event.priceYen > 0 ? lineformat::yen(*event.priceYen) : QString();
    const Placeholders values = cutNames({{QStringLiteral("brand"), names.brand},
                                          {QStringLiteral("product"), {event.productNameJa, event.productNameEn}},
                                          {QStringLiteral("colour"), names.colour},
                                          {QStringLiteral("size"), {names.size, names.size}},
                                          {QStringLiteral("store"), names.store},
                                          {QStringLiteral("price"), {price, price}}},
                                         kMaxName);

    QJsonObject bubble{{QStringLiteral("type"), QStringLiteral("bubble")},
                       {QStringLiteral("body"), QJsonObject{{QStringLiteral("type"), QStringLiteral("box")},
                                                            {QStringLiteral("layout"), QStringLiteral("vertical")},
                                                            {QStringLiteral("spacing"), QStringLiteral("sm")},
                                                            {QStringLiteral("contents"), bodyLines(context, wording, values)}}}};
    const QString link = linkOf(context);
    const QString buttonLabel = wording.label(TextId::ProductButton, Family::ProductEvent, lineformat::kMaxButtonLabel);
    if (const QString image = imageOf(event); !image.isEmpty()) {
        QJsonObject hero{{QStringLiteral("type"), QStringLiteral("image")},
                         {QStringLiteral("url"), image},
                         {QStringLiteral("size"), QStringLiteral("full")},
                         {QStringLiteral("aspectRatio"), QStringLiteral("1:1")},
                         {QStringLiteral("aspectMode"), QStringLiteral("cover")}};
        if (!link.isEmpty()) // the picture is what most people tap
            hero.insert(QStringLiteral("action"), uriAction(buttonLabel, link));
        bubble.insert(QStringLiteral("hero"), hero);
    }
    if (!link.isEmpty()) {
        const QJsonObject button{{QStringLiteral("type"), QStringLiteral("button")},
                                 {QStringLiteral("style"), QStringLiteral("primary")},
                                 {QStringLiteral("color"), wording.accentColor()},
                                 {QStringLiteral("action"), uriAction(buttonLabel, link)}};
        bubble.insert(QStringLiteral("footer"), QJsonObject{{QStringLiteral("type"), QStringLiteral("box")},
                                                            {QStringLiteral("layout"), QStringLiteral("vertical")},
                                                            {QStringLiteral("contents"), QJsonArray{button}}});
    }
    const QString altText = wording.text(wordingFor(context).altText, Family::ProductEvent,
                                         cutNames(values, kMaxNameInAltText), lineformat::kMaxAltText);
    return QJsonArray{QJsonObject{{QStringLiteral("type"), QStringLiteral("flex")},
                                  {QStringLiteral("altText"), altText},
                                  {QStringLiteral("contents"), bubble}}};
}

} // namespace poptap::delivery
