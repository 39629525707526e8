#pragma once

#include <QJsonObject>
#include <QLocalServer>

namespace poptap {

class KioskApp;

// A local, owner-only Unix socket for tests and field diagnostics. One JSON object
// per line in, one per line out:
//   {"cmd":"state"}                       screen, link, NFC, catalog, warnings, sync
//   {"cmd":"enroll","code":"7KQ2-..."}    enroll with the delivery service (see sync.state)
//   {"cmd":"syncNow"}                     upload, check the catalog and report now
//   {"cmd":"start"} {"cmd":"cancel"} {"cmd":"back"}
//   {"cmd":"selectBrand","brandId":7}
//   {"cmd":"phoneRead"}                   sim NFC only: a phone reads the served tag
//   {"cmd":"language","language":"en"}
//   {"cmd":"screenshot","path":"/tmp/k.png"}
// Answers carry "ok": true, or "ok": false with "error".
class AutomationServer : public QObject
{
    Q_OBJECT
public:
    explicit AutomationServer(KioskApp *app);
    ~AutomationServer() override;
    QString listen(const QString &path); // empty on success

    QJsonObject handle(const QJsonObject &request);

private:
    void onNewConnection();
    QJsonObject state() const;

    KioskApp *m_app;
    QLocalServer m_server;
};

} // namespace poptap
