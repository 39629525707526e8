#include "catalogupdater.h"

#include "catalogcache.h"
#include "deeplink.h"
#include "kioskconfig.h"
#include "kiosksession.h"
#include "registrationservice.h"

#include <QLoggingCategory>

Q_LOGGING_CATEGORY(lcCatalogUpdate, "poptap.catalog")

namespace poptap {

CatalogUpdater::CatalogUpdater(const Targets &targets, QObject *parent)
    : QObject(parent)
    , m_targets(targets)
{
    connect(m_targets.session, &KioskSession::screenChanged, this, &CatalogUpdater::applyWhenIdle);
    connect(m_targets.session, &KioskSession::busyChanged, this, &CatalogUpdater::applyWhenIdle);
}

void CatalogUpdater::offer(const Catalog &catalog, const QByteArray &etag)
{
    m_pending = Pending{catalog, etag}; // a newer offer replaces one still waiting
    applyWhenIdle();
}

void CatalogUpdater::applyWhenIdle()
{
    KioskSession *session = m_targets.session;
    if (!m_pending || session->screen() != KioskSession::Screen::Attract || session->isBusy())
        return;
    const Pending pending = std::move(*m_pending);
    m_pending.reset();

    QString error;
    const DeepLinkTemplate linkTemplate =
        DeepLinkTemplate::parse(linkTemplateText(m_targets.linkTemplateOverride, pending.catalog.link), &error);
    if (!linkTemplate.isValid()) {
        Q_EMIT refused(QStringLiteral("catalog %1 refused: %2").arg(pending.catalog.version, error));
        return;
    }
    // Stored before it is shown: a kiosk restarted a moment later starts with it too.
    if (const QString stored = m_targets.cache->apply(pending.catalog, CatalogCache::Source::Service, pending.etag);
        !stored.isEmpty()) {
        Q_EMIT refused(QStringLiteral("catalog %1 could not be stored: %2").arg(pending.catalog.version, stored));
        return;
    }
    session->setCatalog(pending.catalog, m_targets.logoBase, m_targets.productImageBase);
    m_targets.registrations->setLink(linkTemplate, {pending.catalog.link.liffId, pending.catalog.link.basicId, {},
                                                    m_targets.messageText});
    qCInfo(lcCatalogUpdate).noquote() << "catalog" << pending.catalog.version << "in use";
    Q_EMIT applied(pending.catalog.version);
}

} // namespace poptap
