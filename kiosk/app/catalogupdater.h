#pragma once

#include "catalog.h"

#include <QObject>
#include <QUrl>

#include <optional>

namespace poptap {

class CatalogCache;
class KioskSession;
class RegistrationService;

// Puts a catalog from the delivery service into use between shopper sessions, never while
// a shopper is choosing or a code is on screen: stored first (with its ETag), then shown,
// and links made from then on use its LIFF settings. One that cannot be used is refused and
// the catalog in use stays.
class CatalogUpdater : public QObject
{
    Q_OBJECT
public:
    struct Targets {
        CatalogCache *cache = nullptr;
        KioskSession *session = nullptr;
        RegistrationService *registrations = nullptr;
        QString linkTemplateOverride; // kiosk.conf's link-template; empty: the catalog's
        QString messageText;
        QUrl logoBase;
        QUrl productImageBase;
    };
    explicit CatalogUpdater(const Targets &targets, QObject *parent = nullptr);

    bool hasPending() const { return m_pending.has_value(); }

public Q_SLOTS:
    void offer(const poptap::Catalog &catalog, const QByteArray &etag);

Q_SIGNALS:
    void applied(const QString &version);
    void refused(const QString &reason);

private:
    void applyWhenIdle();

    Targets m_targets;
    struct Pending {
        Catalog catalog;
        QByteArray etag;
    };
    std::optional<Pending> m_pending;
};

} // namespace poptap
