#pragma once

#include <QJsonObject>
#include <QLocalServer>

#include <memory>

namespace poptap {

class KioskApp;
class RestockAutomation;

// A local, owner-only Unix socket for tests and field diagnostics. One JSON object
// per line in, one per line out:
//   {"cmd":"state"}                       screen, link, NFC, catalog, warnings, sync, staff
//   {"cmd":"enroll","code":"7KQ2-..."}    enroll with the delivery service (see sync.state)
//   {"cmd":"syncNow"}                     upload, check the catalog and report now
//   {"cmd":"start"} {"cmd":"cancel"} {"cmd":"back"}
//   {"cmd":"selectBrand","brandId":7}
//   {"cmd":"restock","action":"start"|"browse"|"back"}    restock requests (see restockautomation.h)
//   {"cmd":"restock","action":"brand","brandId":1} | "product","productId":1001 | "variant","variantId":100102
//   {"cmd":"frame","path":"/tmp/tag.png"}   images: camera only: hold a picture up to the camera
//   {"cmd":"keys","text":"4573...","intervalMs":4,"enter":true}   keys typed into the window,
//                                         as a handheld scanner (fast) or a person (slow) would
//   {"cmd":"phoneRead"}                   sim NFC only: a phone reads the served tag
//   {"cmd":"card","uid":"04A2..."}        sim NFC only: a card is held to the reader ("ndef": hex, optional)
//   {"cmd":"sticker","type":"ntag213"}    sim NFC only: a blank sticker meets a pending write;
//                                         answers with the tag's memory afterwards ("memory": hex)
//   {"cmd":"staff","action":"writePop","popId":7001,"lock":false}
//   {"cmd":"staff","action":"cancelWrite"|"dismiss"|"exit"}
//   {"cmd":"staff","action":"enroll","code":"7kq2 m9xd ..."}   as typed on the staff screen
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
    QJsonObject staffState() const;
    QJsonObject handleCard(const QJsonObject &request);
    QJsonObject handleSticker(const QJsonObject &request);
    QJsonObject handleStaff(const QJsonObject &request);

    KioskApp *m_app;
    std::unique_ptr<RestockAutomation> m_restock;
    QLocalServer m_server;
};

} // namespace poptap
