#include "stopmessages.h"

#include "lineformat.h"
#include "postbackdata.h"

#include <QJsonObject>
#include <QSet>

#include <functional>

namespace poptap::delivery {
namespace {

using Family = MessageTemplate::Family;

QJsonObject textMessage(const QString &text)
{
    return {{QStringLiteral("type"), QStringLiteral("text")}, {QStringLiteral("text"), text}};
}

QJsonArray oneText(const MessageTemplate &wording, TextId id, const Placeholders &values = {})
{
    return QJsonArray{textMessage(wording.text(id, Family::Reply, values, lineformat::kMaxText))};
}

// Subscriptions at several stores say which store each is at.
bool spansStores(const QList<StoppableSubscription> &subscriptions)
{
    QSet<std::int64_t> stores;
    for (const StoppableSubscription &s : subscriptions)
        stores.insert(s.request.storeId);
    return stores.size() > 1;
}

QString itemText(const StoppableSubscription &s, Language language, bool withStore, const MessageTemplate &wording)
{
    const QString id = QString::number(s.request.target);
    const TextId text = s.target.isEmpty()                                ? TextId::StopItemUnnamed
                        : s.request.kind == RegistrationKind::Restock ? TextId::StopItemRestock
                                                                          : TextId::StopItemBrand;
    const QString item = wording.line(text, language, {{QStringLiteral("target"), s.target}, {QStringLiteral("id"), {id, id}}});
    if (!withStore || s.store.isEmpty())
        return item;
    return wording.line(TextId::StopItemAtStore, language,
                        {{QStringLiteral("item"), {item, item}}, {QStringLiteral("store"), s.store}});
}

// The list of a reply, numbered as its buttons are, or bulleted.
QStringList itemLines(const QList<StoppableSubscription> &items, Language language, bool numbered, qsizetype limit,
                      const MessageTemplate &wording)
{
    const bool withStore = spansStores(items);
    QStringList lines;
    for (qsizetype i = 0; i < items.size() && i < limit; ++i)
        lines << (numbered ? QStringLiteral("%1. ").arg(i + 1) : QStringLiteral("・"))
                + itemText(items.at(i), language, withStore, wording);
    return lines;
}

// One paragraph per language, Japanese first, each keeping its share of LINE's limit.
QString paragraphs(const MessageTemplate &wording, const std::function<QStringList(Language)> &linesIn)
{
    QStringList out;
    for (const Language language : wording.languages(Family::Reply))
        out << linesIn(language).join(u'\n');
    const int share = int((lineformat::kMaxText - 2 * (out.size() - 1)) / out.size());
    for (QString &paragraph : out)
        paragraph = lineformat::truncateUtf16(paragraph, share);
    return out.join(QStringLiteral("\n\n"));
}

QJsonObject postbackItem(const QString &label, const QString &data, const QString &displayText)
{
    const QJsonObject action{{QStringLiteral("type"), QStringLiteral("postback")},
                             {QStringLiteral("label"), lineformat::truncateGraphemes(label, lineformat::kMaxQuickReplyLabel)},
                             {QStringLiteral("data"), data},
                             {QStringLiteral("displayText"), lineformat::truncateUtf16(displayText, lineformat::kMaxDisplayText)}};
    return {{QStringLiteral("type"), QStringLiteral("action")}, {QStringLiteral("action"), action}};
}

} // namespace

QJsonArray stopReplyMessages(Subscriptions::Stop outcome, RegistrationKind kind, const LocalName &target,
                             const MessageTemplate &wording)
{
    switch (outcome) {
    case Subscriptions::Stop::Stopped:
        if (target.isEmpty())
            return oneText(wording, TextId::StopStoppedUnnamed);
        return oneText(wording, kind == RegistrationKind::Restock ? TextId::StopStoppedRestock : TextId::StopStoppedBrand,
                       {{QStringLiteral("target"), target}});
    case Subscriptions::Stop::NotActive:
        return oneText(wording, TextId::StopNotActive);
    case Subscriptions::Stop::Failed:
        break;
    }
    return stopFailedMessages(wording);
}

QJsonArray stopChoiceMessages(const QList<StoppableSubscription> &active, const MessageTemplate &wording)
{
    if (active.isEmpty())
        return oneText(wording, TextId::StopNone);
    const QString more = QString::number(active.size() - kMaxListedSubscriptions);
    QJsonObject message = textMessage(paragraphs(wording, [&](Language language) {
        QStringList lines{wording.line(TextId::StopChoose, language)};
        lines << itemLines(active, language, true, kMaxListedSubscriptions, wording);
        if (active.size() > kMaxListedSubscriptions)
            lines << wording.line(TextId::StopMore, language, {{QStringLiteral("count"), {more, more}}});
        return lines;
    }));

    // The buttons speak the first language; their numbers match the list above.
    const QStringList labels = itemLines(active, wording.languages(Family::Reply).first(), true, kMaxListedSubscriptions, wording);
    QJsonArray items;
    for (qsizetype i = 0; i < labels.size(); ++i)
        items.append(postbackItem(labels.at(i), postbackData(active.at(i).request), labels.at(i)));
    items.append(postbackItem(wording.label(TextId::StopAllButton, Family::Reply, lineformat::kMaxQuickReplyLabel),
                              stopAllPostbackData(),
                              wording.lines(TextId::StopAllButton, Family::Reply).join(QStringLiteral(" / "))));
    message.insert(QStringLiteral("quickReply"), QJsonObject{{QStringLiteral("items"), items}});
    return QJsonArray{message};
}

QJsonArray stopAllMessages(const QList<StoppableSubscription> &stopped, const MessageTemplate &wording)
{
    if (stopped.isEmpty())
        return oneText(wording, TextId::StopNone);
    const QString count = QString::number(stopped.size());
    return QJsonArray{textMessage(paragraphs(wording, [&](Language language) {
        return QStringList{wording.line(TextId::StopAllStopped, language, {{QStringLiteral("count"), {count, count}}})}
            + itemLines(stopped, language, false, stopped.size(), wording);
    }))};
}

QJsonArray stopFailedMessages(const MessageTemplate &wording)
{
    return oneText(wording, TextId::StopFailed);
}

} // namespace poptap::delivery
