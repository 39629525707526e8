#pragma once

#include "messagetemplate.h"

#include "chains.h"

namespace poptap::delivery {

// Which template words a message: that of the chain the store belongs to, else the built-in one.
class ChainTemplates
{
public:
    explicit ChainTemplates(ServiceDatabase &db);

    MessageTemplate ofStore(std::int64_t storeId) const;
    // The chain all these stores belong to, when they share one; else the built-in template.
    MessageTemplate ofStores(const QList<std::int64_t> &storeIds) const;
    // A stored template that no longer parses (it was checked when set) is logged and the
    // built-in one used: a shopper still gets the message.
    static MessageTemplate of(const Chains::Chain &chain);

private:
    Chains m_chains;
};

} // namespace poptap::delivery
