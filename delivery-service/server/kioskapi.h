#pragma once

#include "kioskledger.h"

#include "wire/requestauth.h"

#include <QHttpServer>

namespace poptap::delivery {

class DeviceRegistry;

// The kiosk API of backend-client/openapi/kiosk-api.yaml on a QHttpServer: enrollment,
// then per-device signed requests (catalog, registrations, heartbeats).
class KioskApi
{
public:
    KioskApi(KioskLedger &ledger, DeviceRegistry &registry);
    void registerRoutes(QHttpServer &http);

private:
    struct Authenticated {
        std::optional<QString> deviceId;
        std::optional<QHttpServerResponse> refusal;
    };
    Authenticated authenticate(const QHttpServerRequest &request);

    QHttpServerResponse enroll(const QHttpServerRequest &request);
    QHttpServerResponse catalog(const QHttpServerRequest &request);
    QHttpServerResponse registrations(const QHttpServerRequest &request);
    QHttpServerResponse heartbeat(const QHttpServerRequest &request);

    KioskLedger &m_ledger;
    DeviceRegistry &m_registry;
    wire::RequestVerifier m_verifier;
};

} // namespace poptap::delivery
