#include "chaintemplates.h"

#include "messageslogging.h"

namespace poptap::delivery {

ChainTemplates::ChainTemplates(ServiceDatabase &db)
    : m_chains(db)
{
}

MessageTemplate ChainTemplates::ofStore(std::int64_t storeId) const
{
    const std::optional<Chains::Chain> chain = m_chains.ofStore(storeId);
    return chain ? of(*chain) : MessageTemplate();
}

MessageTemplate ChainTemplates::ofStores(const QList<std::int64_t> &storeIds) const
{
    std::optional<Chains::Chain> shared;
    for (const std::int64_t storeId : storeIds) {
        const std::optional<Chains::Chain> chain = m_chains.ofStore(storeId);
        if (!chain || (shared && shared->id != chain->id))
            return {};
        shared = chain;
    }
    return shared ? of(*shared) : MessageTemplate();
}

MessageTemplate ChainTemplates::of(const Chains::Chain &chain)
{
    const MessageTemplateParse parse = parseMessageTemplate(chain.messageTemplate);
    if (!parse.ok())
        qCWarning(lcMessages).noquote() << "the message template of chain" << chain.id
                                        << "is not usable, the built-in one is used:" << parse.errors.join(QStringLiteral("; "));
    return parse.messageTemplate;
}

} // namespace poptap::delivery
