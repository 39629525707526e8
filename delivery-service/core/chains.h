#pragma once

#include "servicedatabase.h"

#include <QString>

#include <cstdint>
#include <optional>

namespace poptap::delivery {

// Retail chains: the merchants that post product events. A chain owns stores, one API key
// (kept only as a SHA-256 hash; the key itself is shown once, when issued), a frequency cap
// and its message template.
class Chains
{
public:
    enum class CapPolicy { Defer, Drop };
    struct Chain {
        std::int64_t id = 0;
        QString code;
        QString nameJa;
        QString nameEn;
        int dailyCap = 3;                  // messages per shopper per local day; 0: no cap
        CapPolicy capPolicy = CapPolicy::Defer;
        QString messageTemplate;           // JSON; empty: the built-in template
        bool hasApiKey = false;
    };

    explicit Chains(ServiceDatabase &db);

    // Each returns an empty string on success, or why not.
    QString add(std::int64_t id, const QString &code, const QString &nameJa, const QString &nameEn);
    QString assignStore(std::int64_t storeId, std::int64_t chainId);
    QString setCap(std::int64_t chainId, int dailyCap, CapPolicy policy);
    QString setMessageTemplate(std::int64_t chainId, const QString &templateJson);
    // A new API key replaces the old one at once. The key is returned only here.
    QString issueApiKey(std::int64_t chainId, QString *key);

    std::optional<Chain> byId(std::int64_t id) const;
    std::optional<Chain> byApiKey(const QString &key) const;
    std::optional<Chain> ofStore(std::int64_t storeId) const;
    QList<Chain> all() const;
    QList<std::int64_t> storesOf(std::int64_t chainId) const;

    static QString toString(CapPolicy policy);
    static std::optional<CapPolicy> capPolicyFrom(const QString &text);

private:
    std::optional<Chain> one(const QString &where, const QVariant &value) const;

    ServiceDatabase &m_db;
};

} // namespace poptap::delivery
