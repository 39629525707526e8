#include "eventmessagebuilder.h"

#include "chaintemplates.h"
#include "trackedlinks.h"

namespace poptap::delivery {

EventMessageBuilder::EventMessageBuilder(ServiceDatabase &db, const QString &publicUrl)
    : m_db(db)
    , m_publicUrl(publicUrl)
    , m_namer(db)
{
}

QJsonArray EventMessageBuilder::build(const QString &eventId, const Chains::Chain &chain, const ProductEvent &event,
                                      QString *error) const
{
    const std::optional<ProductEventNames> names = m_namer.names(event, chain.id, error);
    if (!names)
        return {};
    const QString linkId = createTrackedLink(m_db, eventId, chain.id, event.storeId, names->brandId, event.productUrl, error);
    if (linkId.isEmpty())
        return {};
    return productEventMessages({event, *names, trackedLinkUrl(m_publicUrl, linkId)}, ChainTemplates::of(chain));
}

} // namespace poptap::delivery
