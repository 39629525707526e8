#pragma once

#include "hidburstparser.h"
#include "scannedcode.h"

#include <QElapsedTimer>
#include <QObject>
#include <QTimer>

#include <optional>
#include <vector>

class QKeyEvent;

namespace poptap {

// Installed on the application, it sees every key press wherever focus is. Digits that may be a
// scanner's burst are held back; a burst that ends in Enter becomes scanned() (with the digits
// validated as a product code) and never reaches the focused item; anything else is given back
// to the item it was meant for, in order, as if nothing had happened.
//
// A person's digit reaches its field at most maxGapMs (35 ms, plus timer latency) after their
// last key press; only keys pressed within maxGapMs of one another (rollover) lengthen that.
//
// It decides on key events whose receiver is a window: that is where a keyboard's keys arrive
// first, wherever focus is (and where the application's own synthesised keys are sent); the
// copies a window then forwards to its focus item are not counted a second time.
class HidScannerFilter : public QObject
{
    Q_OBJECT
public:
    explicit HidScannerFilter(HidBurstParser::Settings settings = {}, QObject *parent = nullptr);
    // Gives back any keys still held.
    ~HidScannerFilter() override;

    bool eventFilter(QObject *watched, QEvent *event) override;

Q_SIGNALS:
    // A validated product code from a handheld scanner (source Handheld).
    void scanned(const poptap::ScannedCode &code);
    // A burst that looked like a scan but held no valid product code (for the heartbeat).
    void rejected();

private:
    bool filterPress(QObject *receiver, QKeyEvent *event);
    bool filterRelease(QObject *receiver, QKeyEvent *event);
    void finishScan(QKeyEvent *enter);
    // Whether the last held event of `key` is its press: the key is down and held back.
    bool isHeldDown(int key) const;
    void giveBack();
    void armExpiry();
    void expireNow();

    struct HeldKey;
    HidBurstParser m_parser;
    QElapsedTimer m_clock;
    QTimer m_expiry;
    std::vector<HeldKey> m_held;              // presses and their releases, in order
    std::vector<int> m_consumedUnreleased;    // keys of a scan whose release is still to come
    bool m_replaying = false;
};

// The product code that a handheld scanner's burst of digits stands for, by its length: 8 digits
// EAN-8 (or else UPC-E, which scanners transmit as 8 digits), 12 UPC-A, 13 EAN-13, 14 a GTIN-14
// (as Code 128, whose productCode() takes a bare GTIN). Nothing when the digits name no product
// (another length, a bad check digit).
std::optional<ScannedCode> handheldScannedCode(const QString &digits);

} // namespace poptap
