#include "trackedlinks.h"

#include "lineformat.h"

#include <QDateTime>
#include <QRandomGenerator>
#include <QSqlQuery>
#include <QVariant>

#include <array>

namespace poptap::delivery {
namespace {

constexpr int kMaxTargetLength = 2000; // far beyond any product page, well within what browsers take

QString newId()
{
    std::array<quint32, 3> words{};
    QRandomGenerator::system()->fillRange(words.data(), words.size());
    const QByteArray raw(reinterpret_cast<const char *>(words.data()), sizeof words);
    return QString::fromLatin1(raw.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals));
}

std::optional<QString> existingLink(QSqlQuery &q, const QString &eventId, std::optional<std::int64_t> storeId,
                                    const QString &target)
{
    // Two statements rather than a NULL-safe comparison both SQLite and PostgreSQL would read alike.
    q.prepare(storeId ? QStringLiteral("SELECT id FROM tracked_link WHERE event_id = ? AND store_id = ? AND target_url = ?")
                      : QStringLiteral("SELECT id FROM tracked_link WHERE event_id = ? AND store_id IS NULL AND target_url = ?"));
    q.addBindValue(eventId);
    if (storeId)
        q.addBindValue(qint64(*storeId));
    q.addBindValue(target);
    if (!q.exec())
        return std::nullopt;
    return q.next() ? q.value(0).toString() : QString();
}

} // namespace

QString createTrackedLink(ServiceDatabase &db, const QString &eventId, std::int64_t chainId,
                          std::optional<std::int64_t> storeId, std::uint32_t brandId, const QUrl &target, QString *error)
{
    const QString url = target.toString(QUrl::FullyEncoded);
    if (!lineformat::isWebUrl(url) || url.size() > kMaxTargetLength) {
        *error = QStringLiteral("a tracked link forwards only to an http(s) URL of at most %1 characters").arg(kMaxTargetLength);
        return {};
    }
    QSqlQuery q(db.handle());
    const std::optional<QString> existing = existingLink(q, eventId, storeId, url);
    if (!existing) {
        *error = q.lastError().text();
        return {};
    }
    if (!existing->isEmpty())
        return *existing;
    const QString id = newId();
    q.prepare(QStringLiteral("INSERT INTO tracked_link (id, event_id, chain_id, store_id, brand_id, target_url, created_at)"
                             " VALUES (?, ?, ?, ?, ?, ?, ?)"));
    q.addBindValue(id);
    q.addBindValue(eventId);
    q.addBindValue(qint64(chainId));
    q.addBindValue(storeId ? QVariant(qint64(*storeId)) : QVariant(QMetaType::fromType<qint64>()));
    q.addBindValue(qint64(brandId));
    q.addBindValue(url);
    q.addBindValue(QDateTime::currentMSecsSinceEpoch());
    if (!q.exec()) {
        *error = q.lastError().text();
        return {};
    }
    return id;
}

QString trackedLinkUrl(const QString &publicUrl, const QString &id)
{
    return publicUrl + QStringLiteral("/c/") + id;
}

bool isTrackedLinkId(QStringView id)
{
    if (id.size() != kTrackedLinkIdLength)
        return false;
    for (const QChar c : id)
        if (!((c >= u'A' && c <= u'Z') || (c >= u'a' && c <= u'z') || (c >= u'0' && c <= u'9') || c == u'-' || c == u'_'))
            return false;
    return true;
}

} // namespace poptap::delivery
