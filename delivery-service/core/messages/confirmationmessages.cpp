#include "confirmationmessages.h"

#include "lineformat.h"
#include "postbackdata.h"

#include <QJsonObject>

namespace poptap::delivery {
namespace {

using Family = MessageTemplate::Family;

TextId textFor(const ClaimResult &result)
{
    switch (result.outcome) {
    case ClaimOutcome::AlreadySubscribed: return TextId::ConfirmAlreadySubscribed;
    case ClaimOutcome::ClaimedByAnother: return TextId::ConfirmClaimedByAnother;
    case ClaimOutcome::Expired: return TextId::ConfirmExpired;
    case ClaimOutcome::Invalid:
    case ClaimOutcome::IdTokenRejected: return TextId::ConfirmInvalid;
    case ClaimOutcome::Unavailable: return TextId::ConfirmUnavailable;
    case ClaimOutcome::Subscribed: break;
    }
    const bool named = !result.targetNameJa.isEmpty();
    if (result.claims.kind == RegistrationKind::Restock)
        return named ? TextId::ConfirmRestock : TextId::ConfirmRestockUnnamed;
    return named ? TextId::ConfirmBrand : TextId::ConfirmBrandUnnamed;
}

} // namespace

QJsonArray confirmationMessages(const ClaimResult &result, const MessageTemplate &wording)
{
    const Placeholders values{{QStringLiteral("target"), {result.targetNameJa, result.targetNameEn}}};
    QJsonObject text{{QStringLiteral("type"), QStringLiteral("text")},
                     {QStringLiteral("text"), wording.text(textFor(result), Family::Reply, values, lineformat::kMaxText)}};
    if (result.outcome == ClaimOutcome::Subscribed && result.storeId > 0) {
        // Changing one's mind is one tap away; the postback names the subscription only.
        const QString displayText = lineformat::truncateUtf16(
            wording.lines(TextId::ConfirmStopButton, Family::Reply).join(QStringLiteral(" / ")), lineformat::kMaxDisplayText);
        const QJsonObject stop{
            {QStringLiteral("type"), QStringLiteral("postback")},
            {QStringLiteral("label"), wording.label(TextId::ConfirmStopButton, Family::Reply, lineformat::kMaxQuickReplyLabel)},
            {QStringLiteral("data"), postbackData({result.claims.kind, result.claims.target, result.storeId})},
            {QStringLiteral("displayText"), displayText}};
        text.insert(QStringLiteral("quickReply"),
                    QJsonObject{{QStringLiteral("items"),
                                 QJsonArray{QJsonObject{{QStringLiteral("type"), QStringLiteral("action")},
                                                        {QStringLiteral("action"), stop}}}}});
    }
    return QJsonArray{text};
}

} // namespace poptap::delivery
