#include "messagetexts.h"

#include <algorithm>

namespace poptap::delivery {
namespace {

// Template wordings stay well under LINE's limits, so that filled names, not the
// template, are what gets truncated.
constexpr int kShortText = 100;   // a line of a Flex bubble, a list item
constexpr int kAltText = 400;     // a notification
constexpr int kReplyText = 1000;  // a text message
constexpr int kButtonLabel = 40;  // a Flex button (LINE's limit)
constexpr int kQuickLabel = 20;   // a quick reply button (LINE's limit)

QList<TextSpec> buildSpecs()
{
    const QStringList none;
    const QStringList newArrival{QStringLiteral("brand"), QStringLiteral("product"), QStringLiteral("price")};
    const QStringList atStore = newArrival + QStringList{QStringLiteral("store")};
    const QStringList restock = atStore + QStringList{QStringLiteral("colour"), QStringLiteral("size")};
    const QStringList target{QStringLiteral("target")};
    const QStringList count{QStringLiteral("count")};
    return {
        {TextId::NewArrivalTitle, QStringLiteral("newArrival.title"), QStringLiteral("{brand}の新着"),
         QStringLiteral("New from {brand}"), newArrival, kShortText},
        {TextId::NewArrivalAltText, QStringLiteral("newArrival.altText"), QStringLiteral("{brand}の新着：{product} {price}"),
         QStringLiteral("New from {brand}: {product} {price}"), newArrival, kAltText},
        {TextId::NewArrivalAtStoreTitle, QStringLiteral("newArrivalAtStore.title"), QStringLiteral("{store}に{brand}の新着"),
         QStringLiteral("New from {brand} at {store}"), atStore, kShortText},
        {TextId::NewArrivalAtStoreAltText, QStringLiteral("newArrivalAtStore.altText"),
         QStringLiteral("{store}に{brand}の新着：{product} {price}"),
         QStringLiteral("New from {brand} at {store}: {product} {price}"), atStore, kAltText},
        {TextId::RestockTitle, QStringLiteral("restock.title"), QStringLiteral("ご希望のサイズが{store}に再入荷しました"),
         QStringLiteral("Your size is back at {store}"), restock, kShortText},
        {TextId::RestockAltText, QStringLiteral("restock.altText"),
         QStringLiteral("{brand} {product}（{colour} / {size}）が{store}に再入荷しました {price}"),
         QStringLiteral("{brand} {product} ({colour} / {size}) is back at {store} {price}"), restock, kAltText},
        {TextId::RestockVariant, QStringLiteral("restock.variant"), QStringLiteral("カラー：{colour} / サイズ：{size}"),
         QStringLiteral("Colour: {colour} / Size: {size}"), {QStringLiteral("colour"), QStringLiteral("size")}, kShortText},
        {TextId::ProductPrice, QStringLiteral("product.price"), QStringLiteral("{price}（税込）"),
         QStringLiteral("{price} incl. tax"), {QStringLiteral("price")}, kShortText},
        {TextId::ProductStore, QStringLiteral("product.store"), QStringLiteral("店舗：{store}"), QStringLiteral("Store: {store}"),
         {QStringLiteral("store")}, kShortText},
        {TextId::ProductButton, QStringLiteral("product.button"), QStringLiteral("商品を見る"), QStringLiteral("View item"), none,
         kButtonLabel, true},

        {TextId::ConfirmBrand, QStringLiteral("confirmation.brand"), QStringLiteral("{target}の新着をLINEでお届けします。"),
         QStringLiteral("You will get new arrivals from {target} on LINE."), target, kReplyText},
        {TextId::ConfirmBrandUnnamed, QStringLiteral("confirmation.brandUnnamed"), QStringLiteral("お知らせの登録が完了しました。"),
         QStringLiteral("You are subscribed."), none, kReplyText},
        {TextId::ConfirmRestock, QStringLiteral("confirmation.restock"), QStringLiteral("{target}の再入荷をLINEでお知らせします。"),
         QStringLiteral("We will tell you on LINE when {target} is back in the store."), target, kReplyText},
        {TextId::ConfirmRestockUnnamed, QStringLiteral("confirmation.restockUnnamed"),
         QStringLiteral("再入荷のお知らせを登録しました。入荷したらLINEでお知らせします。"),
         QStringLiteral("We will tell you on LINE when it is back in the store."), none, kReplyText},
        {TextId::ConfirmAlreadySubscribed, QStringLiteral("confirmation.alreadySubscribed"),
         QStringLiteral("すでに登録されています。"), QStringLiteral("You are already subscribed."), none, kReplyText},
        {TextId::ConfirmClaimedByAnother, QStringLiteral("confirmation.claimedByAnother"),
         QStringLiteral("このコードは使用済みです。店頭の端末でもう一度お試しください。"),
         QStringLiteral("This code was already used. Please try again at the kiosk."), none, kReplyText},
        {TextId::ConfirmExpired, QStringLiteral("confirmation.expired"),
         QStringLiteral("このコードは期限切れです。店頭の端末でもう一度お試しください。"),
         QStringLiteral("This code has expired. Please try again at the kiosk."), none, kReplyText},
        {TextId::ConfirmInvalid, QStringLiteral("confirmation.invalid"),
         QStringLiteral("このコードは使えません。店頭の端末でもう一度お試しください。"),
         QStringLiteral("This code is not valid. Please try again at the kiosk."), none, kReplyText},
        {TextId::ConfirmUnavailable, QStringLiteral("confirmation.unavailable"),
         QStringLiteral("ただいま登録できません。しばらくしてからもう一度お送りください。"),
         QStringLiteral("We cannot register you right now. Please send it again later."), none, kReplyText},
        {TextId::ConfirmStopButton, QStringLiteral("confirmation.stopButton"), QStringLiteral("お知らせを停止"),
         QStringLiteral("Stop notifications"), none, kQuickLabel, true},

        {TextId::StopStoppedBrand, QStringLiteral("stop.stoppedBrand"), QStringLiteral("{target}の新着のお知らせを停止しました。"),
         QStringLiteral("You will no longer get new arrivals from {target}."), target, kReplyText},
        {TextId::StopStoppedRestock, QStringLiteral("stop.stoppedRestock"),
         QStringLiteral("{target}の再入荷のお知らせを停止しました。"), QStringLiteral("You will not be told when {target} is back."),
         target, kReplyText},
        {TextId::StopStoppedUnnamed, QStringLiteral("stop.stoppedUnnamed"), QStringLiteral("お知らせを停止しました。"),
         QStringLiteral("This notification is stopped."), none, kReplyText},
        {TextId::StopNotActive, QStringLiteral("stop.notActive"), QStringLiteral("このお知らせはすでに停止しています。"),
         QStringLiteral("This notification was already stopped."), none, kReplyText},
        {TextId::StopFailed, QStringLiteral("stop.failed"),
         QStringLiteral("ただいま停止できません。しばらくしてからもう一度お試しください。"),
         QStringLiteral("We cannot stop it right now. Please try again later."), none, kReplyText},
        {TextId::StopChoose, QStringLiteral("stop.choose"), QStringLiteral("停止するお知らせを下のボタンから選んでください。"),
         QStringLiteral("Choose below which notifications to stop."), none, kReplyText},
        {TextId::StopItemBrand, QStringLiteral("stop.itemBrand"), QStringLiteral("{target}の新着"),
         QStringLiteral("New arrivals from {target}"), target, kShortText},
        {TextId::StopItemRestock, QStringLiteral("stop.itemRestock"), QStringLiteral("{target}の再入荷"),
         QStringLiteral("{target} back in stock"), target, kShortText},
        {TextId::StopItemUnnamed, QStringLiteral("stop.itemUnnamed"), QStringLiteral("お知らせ（番号 {id}）"),
         QStringLiteral("Notification (no. {id})"), {QStringLiteral("id")}, kShortText},
        {TextId::StopItemAtStore, QStringLiteral("stop.itemAtStore"), QStringLiteral("{item}（{store}）"),
         QStringLiteral("{item} ({store})"), {QStringLiteral("item"), QStringLiteral("store")}, kShortText},
        {TextId::StopMore, QStringLiteral("stop.more"), QStringLiteral("ほか{count}件は「すべて停止」で停止できます。"),
         QStringLiteral("{count} more can be stopped with \"Stop all\"."), count, kReplyText},
        {TextId::StopAllButton, QStringLiteral("stop.allButton"), QStringLiteral("すべて停止"), QStringLiteral("Stop all"), none,
         kQuickLabel, true},
        {TextId::StopAllStopped, QStringLiteral("stop.allStopped"), QStringLiteral("{count}件のお知らせを停止しました。"),
         QStringLiteral("{count} notifications are stopped."), count, kReplyText},
        {TextId::StopNone, QStringLiteral("stop.none"),
         QStringLiteral("現在、お届けしているお知らせはありません。店頭の端末からいつでも登録できます。"),
         QStringLiteral("You have no notifications to stop. You can sign up again at the kiosk in the store any time."), none,
         kReplyText},
    };
}

bool isNameCharacter(QChar c)
{
    return (c >= u'a' && c <= u'z') || (c >= u'A' && c <= u'Z');
}

} // namespace

const QList<TextSpec> &textSpecs()
{
    static const QList<TextSpec> specs = buildSpecs();
    return specs;
}

const TextSpec &textSpec(TextId id)
{
    // The table is in enum order (messagetexttest checks it), so the id is the index.
    return textSpecs().at(qsizetype(id));
}

std::optional<TextId> textIdFromKey(const QString &key)
{
    for (const TextSpec &spec : textSpecs())
        if (spec.key == key)
            return spec.id;
    return std::nullopt;
}

PlaceholderScan scanPlaceholders(const QString &wording)
{
    PlaceholderScan scan;
    for (qsizetype i = 0; i < wording.size(); ++i) {
        const QChar c = wording.at(i);
        const bool doubled = i + 1 < wording.size() && wording.at(i + 1) == c;
        if (c == u'}') {
            if (!doubled) {
                scan.error = QStringLiteral("a '}' without its '{' at character %1 (write '}}' for a brace)").arg(i + 1);
                return scan;
            }
            ++i;
        } else if (c == u'{') {
            if (doubled) {
                ++i;
                continue;
            }
            const qsizetype close = wording.indexOf(u'}', i + 1);
            if (close < 0) {
                scan.error = QStringLiteral("a '{' without its '}' at character %1 (write '{{' for a brace)").arg(i + 1);
                return scan;
            }
            const QString name = wording.mid(i + 1, close - i - 1);
            if (name.isEmpty() || !std::all_of(name.cbegin(), name.cend(), isNameCharacter)) {
                scan.error = QStringLiteral("'{%1}' is not a placeholder name").arg(name);
                return scan;
            }
            if (!scan.names.contains(name))
                scan.names << name;
            i = close;
        }
    }
    return scan;
}

QString fillPlaceholders(const QString &wording, const Placeholders &values, Language language)
{
    QString filled;
    filled.reserve(wording.size());
    for (qsizetype i = 0; i < wording.size(); ++i) {
        const QChar c = wording.at(i);
        if ((c == u'{' || c == u'}') && i + 1 < wording.size() && wording.at(i + 1) == c) {
            filled += c; // "{{" or "}}"
            ++i;
        } else if (c == u'{') {
            const qsizetype close = wording.indexOf(u'}', i + 1);
            if (close < 0) { // not from a checked wording: keep it as it is
                filled += wording.mid(i);
                break;
            }
            filled += values.value(wording.mid(i + 1, close - i - 1)).in(language);
            i = close;
        } else {
            filled += c;
        }
    }
    return filled;
}

} // namespace poptap::delivery
