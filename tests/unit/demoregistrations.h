#pragma once

#include "catalog.h"
#include "registrationservice.h"

#include <memory>

namespace poptap::test {

// What the screen suites (KioskSession, StaffMode) run on: the demo catalog from the
// source tree, and a registration service making LIFF links with its outbox in `dir`.
struct DemoRegistrations {
    Catalog catalog;
    std::unique_ptr<RegistrationService> registrations;
    QString error; // empty when both are ready
};
DemoRegistrations startDemoRegistrations(const QString &dir);

} // namespace poptap::test
