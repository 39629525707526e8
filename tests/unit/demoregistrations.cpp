#include "demoregistrations.h"

#include "devicekey.h"

#include <QDir>
#include <QFile>

namespace poptap::test {

DemoRegistrations startDemoRegistrations(const QString &dir)
{
    DemoRegistrations demo;
    QFile file(QStringLiteral(POPTAP_SOURCE_DIR "/resources/catalog/demo-catalog.json"));
    if (!file.open(QIODevice::ReadOnly)) {
        demo.error = file.errorString();
        return demo;
    }
    demo.catalog = parseCatalogJson(file.readAll()).catalog;
    DeviceKey::Load key = DeviceKey::loadOrCreate(dir);
    if (!key.error.isEmpty()) {
        demo.error = key.error;
        return demo;
    }
    RegistrationService::Setup setup;
    setup.outboxPath = QDir(dir).filePath(QStringLiteral("outbox.db"));
    setup.key = key.key;
    setup.linkTemplate = DeepLinkTemplate::parse(QStringLiteral("liff"), nullptr);
    setup.linkParameters = {demo.catalog.link.liffId, demo.catalog.link.basicId, {}, QStringLiteral("PopTap {token}")};
    demo.registrations = std::make_unique<RegistrationService>();
    demo.error = demo.registrations->start(setup).error;
    return demo;
}

} // namespace poptap::test
