#include "chains.h"

#include "messages/messagetemplate.h"

#include <QCryptographicHash>
#include <QDateTime>
#include <QRandomGenerator>
#include <QSqlError>
#include <QSqlQuery>
#include <QVariant>

#include <array>

namespace poptap::delivery {
namespace {

QString keyHash(const QString &key)
{
    return QString::fromLatin1(QCryptographicHash::hash(key.toUtf8(), QCryptographicHash::Sha256).toHex());
}

QString failure(const QSqlQuery &q)
{
    return q.lastError().text();
}

} // namespace

Chains::Chains(ServiceDatabase &db)
    : m_db(db)
{
}

QString Chains::toString(CapPolicy policy)
{
    return policy == CapPolicy::Drop ? QStringLiteral("drop") : QStringLiteral("defer");
}

std::optional<Chains::CapPolicy> Chains::capPolicyFrom(const QString &text)
{
    if (text == QLatin1String("defer"))
        return CapPolicy::Defer;
    if (text == QLatin1String("drop"))
        return CapPolicy::Drop;
    return std::nullopt;
}

QString Chains::add(std::int64_t id, const QString &code, const QString &nameJa, const QString &nameEn)
{
    QSqlQuery q(m_db.handle());
    q.prepare(QStringLiteral("INSERT INTO chain (id, code, name_ja, name_en, created_at) VALUES (?, ?, ?, ?, ?)"
                             " ON CONFLICT (id) DO UPDATE SET code = excluded.code, name_ja = excluded.name_ja,"
                             " name_en = excluded.name_en"));
    q.addBindValue(qint64(id));
    q.addBindValue(code);
    q.addBindValue(nameJa);
    q.addBindValue(nameEn);
    q.addBindValue(QDateTime::currentMSecsSinceEpoch());
    return q.exec() ? QString() : failure(q);
}

QString Chains::assignStore(std::int64_t storeId, std::int64_t chainId)
{
    if (!byId(chainId))
        return QStringLiteral("no chain %1").arg(chainId);
    QSqlQuery q(m_db.handle());
    q.prepare(QStringLiteral("UPDATE store SET chain_id = ? WHERE id = ?"));
    q.addBindValue(qint64(chainId));
    q.addBindValue(qint64(storeId));
    if (!q.exec())
        return failure(q);
    return q.numRowsAffected() == 1 ? QString() : QStringLiteral("no store %1").arg(storeId);
}

QString Chains::setCap(std::int64_t chainId, int dailyCap, CapPolicy policy)
{
    if (dailyCap < 0)
        return QStringLiteral("the daily cap cannot be negative");
    QSqlQuery q(m_db.handle());
    q.prepare(QStringLiteral("UPDATE chain SET daily_cap = ?, cap_policy = ? WHERE id = ?"));
    q.addBindValue(dailyCap);
    q.addBindValue(toString(policy));
    q.addBindValue(qint64(chainId));
    if (!q.exec())
        return failure(q);
    return q.numRowsAffected() == 1 ? QString() : QStringLiteral("no chain %1").arg(chainId);
}

QString Chains::setMessageTemplate(std::int64_t chainId, const QString &templateJson)
{
    // Checked here, so a fan-out never meets a template it cannot word a message with.
    if (const MessageTemplateParse parse = parseMessageTemplate(templateJson); !parse.ok())
        return QStringLiteral("the message template is not valid: ") + parse.errors.join(QStringLiteral("; "));
    QSqlQuery q(m_db.handle());
    q.prepare(QStringLiteral("UPDATE chain SET message_template = ? WHERE id = ?"));
    q.addBindValue(templateJson.isEmpty() ? QVariant(QMetaType::fromType<QString>()) : QVariant(templateJson));
    q.addBindValue(qint64(chainId));
    if (!q.exec())
        return failure(q);
    return q.numRowsAffected() == 1 ? QString() : QStringLiteral("no chain %1").arg(chainId);
}

QString Chains::issueApiKey(std::int64_t chainId, QString *key)
{
    // 256 random bits, URL-safe; the prefix tells a leaked key's kind at a glance.
    std::array<quint32, 8> words{};
    QRandomGenerator::system()->fillRange(words.data(), words.size());
    const QByteArray raw(reinterpret_cast<const char *>(words.data()), sizeof words);
    const QString fresh = QStringLiteral("ptk_")
        + QString::fromLatin1(raw.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals));
    QSqlQuery q(m_db.handle());
    q.prepare(QStringLiteral("UPDATE chain SET api_key_hash = ? WHERE id = ?"));
    q.addBindValue(keyHash(fresh));
    q.addBindValue(qint64(chainId));
    if (!q.exec())
        return failure(q);
    if (q.numRowsAffected() != 1)
        return QStringLiteral("no chain %1").arg(chainId);
    *key = fresh;
    return {};
}

std::optional<Chains::Chain> Chains::one(const QString &where, const QVariant &value) const
{
    QSqlQuery q(m_db.handle());
    q.prepare(QStringLiteral("SELECT id, code, name_ja, name_en, daily_cap, cap_policy, message_template,"
                             " api_key_hash IS NOT NULL FROM chain WHERE ")
              + where);
    q.addBindValue(value);
    if (!q.exec() || !q.next())
        return std::nullopt;
    Chain chain;
    chain.id = q.value(0).toLongLong();
    chain.code = q.value(1).toString();
    chain.nameJa = q.value(2).toString();
    chain.nameEn = q.value(3).toString();
    chain.dailyCap = q.value(4).toInt();
    chain.capPolicy = capPolicyFrom(q.value(5).toString()).value_or(CapPolicy::Defer);
    chain.messageTemplate = q.value(6).toString();
    chain.hasApiKey = q.value(7).toBool();
    return chain;
}

std::optional<Chains::Chain> Chains::byId(std::int64_t id) const
{
    return one(QStringLiteral("id = ?"), qint64(id));
}

std::optional<Chains::Chain> Chains::byApiKey(const QString &key) const
{
    // Looked up by hash: the comparison never touches the key itself.
    if (key.isEmpty() || key.size() > 256)
        return std::nullopt;
    return one(QStringLiteral("api_key_hash = ?"), keyHash(key));
}

std::optional<Chains::Chain> Chains::ofStore(std::int64_t storeId) const
{
    return one(QStringLiteral("id = (SELECT chain_id FROM store WHERE id = ?)"), qint64(storeId));
}

QList<Chains::Chain> Chains::all() const
{
    QList<Chain> chains;
    QSqlQuery q(m_db.handle());
    if (!q.exec(QStringLiteral("SELECT id FROM chain ORDER BY id")))
        return chains;
    QList<qint64> ids;
    while (q.next())
        ids << q.value(0).toLongLong();
    for (qint64 id : std::as_const(ids))
        if (const auto chain = byId(id))
            chains << *chain;
    return chains;
}

QList<std::int64_t> Chains::storesOf(std::int64_t chainId) const
{
    QList<std::int64_t> stores;
    QSqlQuery q(m_db.handle());
    q.prepare(QStringLiteral("SELECT id FROM store WHERE chain_id = ? ORDER BY id"));
    q.addBindValue(qint64(chainId));
    if (q.exec())
        while (q.next())
            stores << q.value(0).toLongLong();
    return stores;
}

} // namespace poptap::delivery
