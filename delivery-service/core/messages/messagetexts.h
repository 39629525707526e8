#pragma once

#include <QHash>
#include <QString>
#include <QStringList>

#include <optional>

namespace poptap::delivery {

// Every text the service words for a shopper, by id. Each has a built-in Japanese and English
// wording and may be overridden per chain (messagetemplate.h) under its key, e.g.
// "restock.title". Placeholders are written {name}; "{{" and "}}" stand for literal braces.
enum class TextId {
    // Product events (productmessages.h)
    NewArrivalTitle,
    NewArrivalAltText,
    NewArrivalAtStoreTitle,
    NewArrivalAtStoreAltText,
    RestockTitle,
    RestockAltText,
    RestockVariant,
    ProductPrice,
    ProductStore,
    ProductButton,
    // Claim confirmations (confirmationmessages.h)
    ConfirmBrand,
    ConfirmBrandUnnamed,
    ConfirmRestock,
    ConfirmRestockUnnamed,
    ConfirmAlreadySubscribed,
    ConfirmClaimedByAnother,
    ConfirmExpired,
    ConfirmInvalid,
    ConfirmUnavailable,
    ConfirmStopButton,
    // Stop replies (stopmessages.h)
    StopStoppedBrand,
    StopStoppedRestock,
    StopStoppedUnnamed,
    StopNotActive,
    StopFailed,
    StopChoose,
    StopItemBrand,
    StopItemRestock,
    StopItemUnnamed,
    StopItemAtStore,
    StopMore,
    StopAllButton,
    StopAllStopped,
    StopNone,
};

enum class Language { Japanese, English, Both };

// What a wording may be: how long (before placeholders are filled), in which unit, and
// which placeholders it may use.
struct TextSpec {
    TextId id;
    QString key;
    QString ja;
    QString en;
    QStringList placeholders; // names without braces
    int maxLength = 0;
    bool isLabel = false;     // a button label: counted in grapheme clusters, no line breaks
};

const QList<TextSpec> &textSpecs();
const TextSpec &textSpec(TextId id);
std::optional<TextId> textIdFromKey(const QString &key);

// A placeholder's value in both languages; English falls back to Japanese when empty.
struct LocalName {
    QString ja;
    QString en;
    bool isEmpty() const { return ja.isEmpty() && en.isEmpty(); }
    QString in(Language language) const { return language == Language::English && !en.isEmpty() ? en : ja; }
};
using Placeholders = QHash<QString, LocalName>;

// The placeholder names a wording uses, or the reason it cannot be read (an unmatched brace,
// an empty or malformed name).
struct PlaceholderScan {
    QStringList names;
    QString error;
};
PlaceholderScan scanPlaceholders(const QString &wording);

// Fills a wording checked by scanPlaceholders. A placeholder without a value becomes empty.
QString fillPlaceholders(const QString &wording, const Placeholders &values, Language language);

} // namespace poptap::delivery
