#pragma once

#include "messagetexts.h"

#include <QMap>
#include <QString>
#include <QStringList>

#include <optional>

namespace poptap::delivery {

struct MessageTemplateParse;
// An empty (or all-blank) text is the built-in template.
MessageTemplateParse parseMessageTemplate(const QString &json);

// A chain's wording of its messages (table chain.message_template, JSON; empty: built in):
//   {
//     "language": "ja" | "en" | "both",
//     "accentColor": "#RRGGBB",
//     "texts": {"restock.title": {"ja": "{store}に入荷しました", "en": "Back at {store}"}, ...}
//   }
// Every field is optional; a text left out (or one language of it) keeps the built-in wording.
// The keys of "texts" and the placeholders each may use are those of messagetexts.cpp.
class MessageTemplate
{
public:
    // Product events are pushed and read at a glance, so they speak one language; replies
    // answer what the shopper just did and say it in both, as the kiosk and LIFF page do.
    enum class Family { ProductEvent, Reply };

    // Room for every text at its longest in both languages (about 125 KB), not for more.
    static constexpr int kMaxJsonBytes = 256 * 1024;
    static const QString kDefaultAccentColor;

    MessageTemplate() = default; // the built-in template

    Language language(Family family) const;
    QString accentColor() const { return m_accentColor; }

    // The wording of `id` in one language (not Both), the chain's or the built-in one.
    QString wording(TextId id, Language language) const;
    // The wording filled in, in one language (not Both). Runs of spaces left by an empty
    // placeholder (an unknown price) are closed up.
    QString line(TextId id, Language language, const Placeholders &values = {}) const;
    // The languages a family is written in, Japanese first.
    QList<Language> languages(Family family) const;
    // The wording filled in, as the lines a shopper reads: one for Japanese or English, the
    // Japanese then the English one for Both (once when they read the same).
    QStringList lines(TextId id, Family family, const Placeholders &values = {}) const;
    // `lines` as one text (one line per language), at most `maxUtf16` units long.
    QString text(TextId id, Family family, const Placeholders &values, int maxUtf16) const;
    // A button label: both languages joined by " / " when they fit `maxGraphemes`, else the
    // first language alone, truncated.
    QString label(TextId id, Family family, int maxGraphemes) const;

    bool isBuiltIn() const { return m_texts.isEmpty() && !m_language && m_accentColor == kDefaultAccentColor; }

    // A chain's wording of one text; a language left out keeps the built-in wording.
    struct Override {
        std::optional<QString> ja;
        std::optional<QString> en;
    };

private:
    friend MessageTemplateParse parseMessageTemplate(const QString &json);
    std::optional<Language> m_language;
    QString m_accentColor = kDefaultAccentColor;
    QMap<TextId, Override> m_texts;
};

struct MessageTemplateParse {
    MessageTemplate messageTemplate; // the built-in one when there are errors
    QStringList errors;              // one per problem, naming the field ("texts.restock.title.ja: ...")
    bool ok() const { return errors.isEmpty(); }
};

} // namespace poptap::delivery
