#include "productevent.h"

#include <QJsonDocument>
#include <QJsonObject>

namespace poptap::delivery {
namespace {

constexpr qsizetype kMaxEventIdLength = 128;
constexpr qsizetype kMaxNameLength = 200;
constexpr qsizetype kMaxUrlLength = 1000; // LINE's URI action limit
constexpr qint64 kMaxPriceYen = 100'000'000;
constexpr double kMaxId = 4294967295.0;   // catalog ids are 32-bit (registration tokens carry them)

// Reads a positive whole number; JSON numbers are doubles, so 7.5 or 1e20 are refused.
std::optional<qint64> wholeNumber(const QJsonValue &value, double max)
{
    if (!value.isDouble())
        return std::nullopt;
    const double number = value.toDouble();
    if (number < 1 || number > max || number != double(qint64(number)))
        return std::nullopt;
    return qint64(number);
}

QUrl httpsUrl(const QJsonValue &value, const QString &field, QStringList &errors)
{
    const QString text = value.toString();
    const QUrl url(text, QUrl::StrictMode);
    if (!value.isString() || text.isEmpty())
        errors << QStringLiteral("%1: an https URL is required").arg(field);
    else if (text.size() > kMaxUrlLength)
        errors << QStringLiteral("%1: longer than %2 characters").arg(field).arg(kMaxUrlLength);
    else if (!url.isValid() || url.scheme() != QLatin1String("https") || url.host().isEmpty())
        errors << QStringLiteral("%1: '%2' is not an https URL").arg(field, text.left(100));
    else
        return url;
    return {};
}

QString name(const QJsonObject &product, QLatin1String key, bool required, QStringList &errors)
{
    const QJsonValue value = product.value(key);
    const QString field = QStringLiteral("product.") + key;
    if (value.isUndefined() || value.isNull()) {
        if (required)
            errors << QStringLiteral("%1: required").arg(field);
        return {};
    }
    const QString text = value.toString().trimmed();
    if (!value.isString() || (required && text.isEmpty()))
        errors << QStringLiteral("%1: a non-empty string is required").arg(field);
    else if (text.size() > kMaxNameLength)
        errors << QStringLiteral("%1: longer than %2 characters").arg(field).arg(kMaxNameLength);
    return text;
}

} // namespace

ProductEventParse parseProductEvent(const QByteArray &body)
{
    ProductEventParse result;
    QStringList &errors = result.errors;
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(body, &parseError);
    if (parseError.error != QJsonParseError::NoError || !document.isObject()) {
        errors << QStringLiteral("the body is not a JSON object");
        return result;
    }
    const QJsonObject json = document.object();
    static const QStringList known{QStringLiteral("eventId"), QStringLiteral("type"), QStringLiteral("brandId"),
                                   QStringLiteral("variantId"), QStringLiteral("storeId"), QStringLiteral("product")};
    for (auto it = json.begin(); it != json.end(); ++it)
        if (!known.contains(it.key()))
            errors << QStringLiteral("%1: not a field of a product event").arg(it.key().left(64));

    ProductEvent event;
    const QJsonValue eventId = json.value(QLatin1String("eventId"));
    event.merchantEventId = eventId.toString().trimmed();
    if (!eventId.isString() || event.merchantEventId.isEmpty() || event.merchantEventId.size() > kMaxEventIdLength)
        errors << QStringLiteral("eventId: a string of 1 to %1 characters is required").arg(kMaxEventIdLength);

    const QString type = json.value(QLatin1String("type")).toString();
    const QLatin1String targetField(type == QLatin1String("restock") ? "variantId" : "brandId");
    if (type == QLatin1String("new_arrival")) {
        event.kind = ProductEvent::Kind::NewArrival;
        if (json.contains(QLatin1String("variantId")))
            errors << QStringLiteral("variantId: only a restock names a variant");
    } else if (type == QLatin1String("restock")) {
        event.kind = ProductEvent::Kind::Restock;
        if (json.contains(QLatin1String("brandId")))
            errors << QStringLiteral("brandId: a restock names its variant, whose product has the brand");
    } else {
        errors << QStringLiteral("type: must be \"new_arrival\" or \"restock\"");
    }
    if (const auto target = wholeNumber(json.value(targetField), kMaxId))
        event.target = std::uint32_t(*target);
    else
        errors << QStringLiteral("%1: a catalog id from 1 to 4294967295 is required").arg(targetField);

    const QJsonValue store = json.value(QLatin1String("storeId"));
    if (store.isUndefined() || store.isNull()) {
        if (event.kind == ProductEvent::Kind::Restock)
            errors << QStringLiteral("storeId: a restock happens in one store, which is required");
    } else if (const auto storeId = wholeNumber(store, kMaxId)) {
        event.storeId = *storeId;
    } else {
        errors << QStringLiteral("storeId: a store id from 1 to 4294967295 is required");
    }

    const QJsonValue productValue = json.value(QLatin1String("product"));
    if (!productValue.isObject()) {
        errors << QStringLiteral("product: an object is required");
    } else {
        const QJsonObject product = productValue.toObject();
        static const QStringList productFields{QStringLiteral("nameJa"), QStringLiteral("nameEn"), QStringLiteral("imageUrl"),
                                               QStringLiteral("priceYen"), QStringLiteral("url")};
        for (auto it = product.begin(); it != product.end(); ++it)
            if (!productFields.contains(it.key()))
                errors << QStringLiteral("product.%1: not a field of a product").arg(it.key().left(64));
        event.productNameJa = name(product, QLatin1String("nameJa"), true, errors);
        event.productNameEn = name(product, QLatin1String("nameEn"), false, errors);
        event.imageUrl = httpsUrl(product.value(QLatin1String("imageUrl")), QStringLiteral("product.imageUrl"), errors);
        event.productUrl = httpsUrl(product.value(QLatin1String("url")), QStringLiteral("product.url"), errors);
        const QJsonValue price = product.value(QLatin1String("priceYen"));
        if (price.isDouble() && price.toDouble() == 0)
            event.priceYen = 0;
        else if (const auto yen = wholeNumber(price, kMaxPriceYen))
            event.priceYen = *yen;
        else if (!price.isUndefined() && !price.isNull())
            errors << QStringLiteral("product.priceYen: a whole number of yen from 0 to %1 is required").arg(kMaxPriceYen);
    }
    if (errors.isEmpty())
        result.event = event;
    return result;
}

QByteArray toJson(const ProductEvent &event)
{
    QJsonObject product{{QStringLiteral("nameJa"), event.productNameJa},
                        {QStringLiteral("imageUrl"), event.imageUrl.toString(QUrl::FullyEncoded)},
                        {QStringLiteral("url"), event.productUrl.toString(QUrl::FullyEncoded)}};
    if (!event.productNameEn.isEmpty())
        product.insert(QStringLiteral("nameEn"), event.productNameEn);
    if (event.priceYen)
        product.insert(QStringLiteral("priceYen"), qint64(*event.priceYen));
    const bool restock = event.kind == ProductEvent::Kind::Restock;
    QJsonObject json{{QStringLiteral("eventId"), event.merchantEventId},
                     {QStringLiteral("type"), restock ? QStringLiteral("restock") : QStringLiteral("new_arrival")},
                     {restock ? QStringLiteral("variantId") : QStringLiteral("brandId"), qint64(event.target)},
                     {QStringLiteral("product"), product}};
    if (event.storeId)
        json.insert(QStringLiteral("storeId"), qint64(*event.storeId));
    return QJsonDocument(json).toJson(QJsonDocument::Compact);
}

} // namespace poptap::delivery
