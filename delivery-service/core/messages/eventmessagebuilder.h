#pragma once

#include "chains.h"
#include "producteventnames.h"

namespace poptap::delivery {

// Everything a product event's message needs, in one call for the fan-out: the names from
// the catalog, a tracked link to the product page, the chain's template.
class EventMessageBuilder
{
public:
    EventMessageBuilder(ServiceDatabase &db, const QString &publicUrl);

    // The messages the event's recipients get. The tracked link is stored on the database's
    // connection, so inside the caller's transaction. An empty array with `error` set when the
    // event cannot be worded (a brand or variant no catalog knows) or the link not stored.
    QJsonArray build(const QString &eventId, const Chains::Chain &chain, const ProductEvent &event, QString *error) const;

private:
    ServiceDatabase &m_db;
    QString m_publicUrl;
    ProductEventNamer m_namer;
};

} // namespace poptap::delivery
