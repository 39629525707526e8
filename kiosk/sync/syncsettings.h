#pragma once

#include "backoff.h"
#include "http/httptransport.h"

#include <QDateTime>
#include <QUrl>

#include <chrono>
#include <functional>

namespace poptap::sync {

// How the kiosk reaches its delivery service; from kiosk.conf (KioskConfig) or a test.
struct SyncSettings {
    using Clock = std::function<QDateTime()>;

    QUrl serviceUrl;                  // empty: the kiosk works alone, nothing is synced
    QString dataDir;                  // where enrollment.json lives
    QString enrollmentCode;           // used when not enrolled yet
    QString deviceName;               // staff-visible label sent at enrollment
    QString version;                  // kiosk software version for enrollment and heartbeats
    http::TransportSettings transport;
    int batchSize = 500;              // ≤ wire::RegistrationBatch::kMaxIntents
    std::chrono::milliseconds pollInterval{std::chrono::seconds(60)};      // look for pending work anyway
    std::chrono::milliseconds heartbeatInterval{std::chrono::minutes(5)};
    std::chrono::milliseconds catalogInterval{std::chrono::minutes(15)};
    std::chrono::milliseconds retryBase{std::chrono::seconds(2)};
    std::chrono::milliseconds retryCap{std::chrono::minutes(5)};
    QByteArray catalogETag;           // of the catalog the kiosk has, if it came from the service
    Clock now;                        // wall clock for records and signing; UTC. Empty: the system's
    Backoff::Random random;           // empty: the system's
};

} // namespace poptap::sync
