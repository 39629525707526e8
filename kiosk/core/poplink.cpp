#include "poplink.h"

#include "deeplink.h"

namespace poptap {

PopLink popLink(const QString &templateText, const LinkSettings &settings, std::uint32_t popId)
{
    PopLink result;
    QString error;
    const DeepLinkTemplate kioskTemplate = DeepLinkTemplate::parse(templateText, &error);
    if (!kioskTemplate.isValid() || kioskTemplate.kind() != DeepLinkTemplate::Kind::Liff) {
        result.problem = PopLink::Problem::NotLiff;
        result.error = kioskTemplate.isValid()
            ? QStringLiteral("POP stickers need the LIFF link template; this kiosk uses %1").arg(kioskTemplate.templateText())
            : error;
        return result;
    }
    // The fixed sticker template, expanded by DeepLinkTemplate so the LIFF id is checked and
    // encoded exactly as in registration links; the POP id stands where a token would.
    static const DeepLinkTemplate stickerTemplate =
        DeepLinkTemplate::parse(QStringLiteral("https://liff.line.me/{liffId}/p/{token}"), nullptr);
    result.link = stickerTemplate.expand({settings.liffId, {}, QString::number(popId), {}}, &error);
    if (result.link.isEmpty()) {
        result.problem = PopLink::Problem::InvalidLiffId;
        result.error = error;
    }
    return result;
}

} // namespace poptap
