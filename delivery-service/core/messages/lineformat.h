#pragma once

#include <QString>

namespace poptap::delivery::lineformat {

// Limits of LINE's Messaging API reference that its OpenAPI document does not carry
// (developers.line.biz/en/reference/messaging-api/). Texts count UTF-16 code units;
// action labels count grapheme clusters (docs/messaging-api/text-character-count/).
inline constexpr int kMaxText = 5000;            // text message
inline constexpr int kMaxAltText = 1500;         // Flex message altText
inline constexpr int kMaxQuickReplyLabel = 20;   // action label in a quick reply button
inline constexpr int kMaxButtonLabel = 40;       // action label of a Flex button
inline constexpr int kMaxDisplayText = 300;      // postback displayText
inline constexpr int kMaxUri = 1000;             // URI action
inline constexpr int kMaxImageUrl = 2000;        // Flex image url
inline constexpr int kMaxQuickReplyItems = 13;
inline constexpr int kMaxBubbleBytes = 30 * 1024; // JSON of one bubble

// `text` cut to at most `max` UTF-16 units, ending in "…" when cut; never splits a
// character or a grapheme cluster (an emoji with its modifiers stays whole or goes).
QString truncateUtf16(const QString &text, int max);
// The same in grapheme clusters, LINE's unit for action labels.
QString truncateGraphemes(const QString &text, int max);
int graphemeCount(const QString &text);

// Tax-included yen as Japanese shops print it: "¥12,100".
QString yen(qint64 amount);

// True for an absolute http(s) URL with a host: the only links a message may open.
bool isWebUrl(const QString &url);

} // namespace poptap::delivery::lineformat
