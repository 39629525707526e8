#include "productevents.h"

#include <QSqlError>
#include <QSqlQuery>
#include <QUuid>
#include <QVariant>

namespace poptap::delivery {

QString toString(ProductEvents::Outcome outcome)
{
    switch (outcome) {
    case ProductEvents::Outcome::Accepted: return QStringLiteral("accepted");
    case ProductEvents::Outcome::Repeated: return QStringLiteral("repeated");
    case ProductEvents::Outcome::Conflict: return QStringLiteral("conflict");
    case ProductEvents::Outcome::Unknown: return QStringLiteral("unknown_target");
    case ProductEvents::Outcome::Failed: return QStringLiteral("storage");
    }
    return {};
}

ProductEvents::ProductEvents(ServiceDatabase &db, Clock now)
    : m_db(db)
    , m_now(std::move(now))
    , m_chains(db)
    , m_names(db)
{
}

QString ProductEvents::unknownTarget(const Chains::Chain &chain, const ProductEvent &event) const
{
    const QList<std::int64_t> stores = m_chains.storesOf(chain.id);
    if (event.storeId && !stores.contains(*event.storeId))
        return QStringLiteral("store %1 is not a store of chain %2").arg(*event.storeId).arg(chain.code);
    const RegistrationKind kind =
        event.kind == ProductEvent::Kind::Restock ? RegistrationKind::Restock : RegistrationKind::BrandInterest;
    // The catalogs say what exists: in the event's store, or for a chain-wide event in any of them.
    const QList<std::int64_t> where = event.storeId ? QList<std::int64_t>{*event.storeId} : stores;
    for (std::int64_t store : where)
        if (!m_names.of(kind, event.target, store).isEmpty())
            return {};
    const QString what = kind == RegistrationKind::Restock ? QStringLiteral("variant") : QStringLiteral("brand");
    return event.storeId ? QStringLiteral("%1 %2 is not in the catalog of store %3").arg(what).arg(event.target).arg(*event.storeId)
                         : QStringLiteral("%1 %2 is in no catalog of chain %3").arg(what).arg(event.target).arg(chain.code);
}

ProductEvents::Submitted ProductEvents::submit(const Chains::Chain &chain, const ProductEvent &event)
{
    if (const QString unknown = unknownTarget(chain, event); !unknown.isEmpty())
        return {Outcome::Unknown, {}, unknown};
    const QByteArray body = toJson(event);
    const QString id = QUuid::createUuid().toString(QUuid::WithoutBraces);
    QSqlQuery q(m_db.handle());
    // The merchant's eventId makes a repeated POST (a retry after a lost answer) harmless.
    q.prepare(QStringLiteral("INSERT INTO product_event (id, chain_id, merchant_event_id, kind, target, store_id, body,"
                             " state, received_at) VALUES (?, ?, ?, ?, ?, ?, ?, 'received', ?)"
                             " ON CONFLICT (chain_id, merchant_event_id) DO NOTHING"));
    q.addBindValue(id);
    q.addBindValue(qint64(chain.id));
    q.addBindValue(event.merchantEventId);
    q.addBindValue(int(event.kind));
    q.addBindValue(qint64(event.target));
    q.addBindValue(event.storeId ? QVariant(qint64(*event.storeId)) : QVariant(QMetaType::fromType<qint64>()));
    q.addBindValue(QString::fromUtf8(body));
    q.addBindValue(m_now());
    if (!q.exec())
        return {Outcome::Failed, {}, q.lastError().text()};
    if (q.numRowsAffected() == 1)
        return {Outcome::Accepted, id, {}};

    QSqlQuery earlier(m_db.handle());
    earlier.prepare(QStringLiteral("SELECT id, body FROM product_event WHERE chain_id = ? AND merchant_event_id = ?"));
    earlier.addBindValue(qint64(chain.id));
    earlier.addBindValue(event.merchantEventId);
    if (!earlier.exec() || !earlier.next())
        return {Outcome::Failed, {}, earlier.lastError().text()};
    if (earlier.value(1).toString().toUtf8() != body)
        return {Outcome::Conflict, earlier.value(0).toString(),
                QStringLiteral("eventId %1 was posted before with other content").arg(event.merchantEventId)};
    return {Outcome::Repeated, earlier.value(0).toString(), {}};
}

std::optional<ProductEvents::Progress> ProductEvents::progress(std::int64_t chainId, const QString &id) const
{
    QSqlQuery q(m_db.handle());
    q.prepare(QStringLiteral("SELECT merchant_event_id, state FROM product_event WHERE id = ? AND chain_id = ?"));
    q.addBindValue(id);
    q.addBindValue(qint64(chainId));
    if (!q.exec() || !q.next())
        return std::nullopt;
    Progress p;
    p.id = id;
    p.merchantEventId = q.value(0).toString();
    p.state = q.value(1).toString();
    q.finish();
    QSqlQuery states(m_db.handle());
    states.prepare(QStringLiteral("SELECT state, COUNT(*) FROM delivery WHERE event_id = ? GROUP BY state"));
    states.addBindValue(id);
    if (states.exec())
        while (states.next())
            p.recipients.insert(states.value(0).toString(), states.value(1).toLongLong());
    QSqlQuery batches(m_db.handle());
    batches.prepare(QStringLiteral("SELECT state, COUNT(*), SUM(recipients) FROM delivery_batch WHERE event_id = ? GROUP BY state"));
    batches.addBindValue(id);
    if (batches.exec()) {
        while (batches.next()) {
            const QString state = batches.value(0).toString();
            const int count = batches.value(1).toInt();
            if (state == QLatin1String("sent")) {
                p.batchesSent = count;
                p.delivered = batches.value(2).toLongLong();
            } else if (state == QLatin1String("failed")) {
                p.batchesFailed = count;
                p.failed = batches.value(2).toLongLong();
            } else {
                p.batchesPending = count;
            }
        }
    }
    return p;
}

} // namespace poptap::delivery
