#pragma once

#include <QJsonObject>
#include <QObject>
#include <QTimer>

namespace poptap {

class KioskApp;

// The automation socket's commands for restock requests, the camera and handheld scanners:
//   {"cmd":"restock","action":"start"|"browse"|"back"}
//   {"cmd":"restock","action":"brand","brandId":1}       the products of a brand
//   {"cmd":"restock","action":"product","productId":1001} its colours and sizes
//   {"cmd":"restock","action":"variant","variantId":100102} a size: code or "in stock"
//   {"cmd":"frame","path":"tag.png"}  with camera=images:…, the picture is what the camera sees
//   {"cmd":"keys","text":"4912345678904","intervalMs":4,"enter":true}
//        key presses posted to the kiosk window one by one, `intervalMs` apart, the way a
//        handheld scanner (a few ms) or a person (hundreds of ms) types; answers at once.
//        intervalMs 0 sends every key at once, before answering
class RestockAutomation : public QObject
{
    Q_OBJECT
public:
    explicit RestockAutomation(KioskApp *app);

    QJsonObject handleRestock(const QJsonObject &request);
    QJsonObject handleFrame(const QJsonObject &request);
    QJsonObject handleKeys(const QJsonObject &request);
    QJsonObject state() const;

private:
    void typeNext();

    KioskApp *m_app;
    QTimer m_typing;
    QString m_toType;       // what is left to type; "\n" stands for Enter
};

} // namespace poptap
