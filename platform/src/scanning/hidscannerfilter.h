#pragma once

#include "hidburstparser.h"
#include "scannedcode.h"

#include <QElapsedTimer>
#include <QList>
#include <QObject>
#include <QPointer>
#include <QTimer>

#include <memory>

class QKeyEvent;

namespace poptap {

// Installed on the application, it sees every key press wherever focus is. Digits that may be a
// scanner's burst are held back; a burst that ends in Enter becomes scanned() (with the digits
// validated as a product code) and never reaches the focused item; anything else is given back
// to the item it was meant for, in order, as if nothing had happened.
class HidScannerFilter : public QObject
{
    Q_OBJECT
public:
    explicit HidScannerFilter(HidBurstParser::Settings settings = {}, QObject *parent = nullptr);
    ~HidScannerFilter() override;

    bool eventFilter(QObject *watched, QEvent *event) override;

Q_SIGNALS:
    // A validated product code from a handheld scanner (source Handheld).
    void scanned(const poptap::ScannedCode &code);
    // A burst that looked like a scan but held no valid product code (for the heartbeat).
    void rejected();

private:
    void giveBack();

    struct HeldKey;
    HidBurstParser m_parser;
    QElapsedTimer m_clock;
    QTimer m_expiry;
    QList<std::shared_ptr<HeldKey>> m_held;
    bool m_replaying = false;
};

} // namespace poptap
