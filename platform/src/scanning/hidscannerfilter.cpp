#include "hidscannerfilter.h"

#include <QCoreApplication>
#include <QKeyEvent>
#include <QLoggingCategory>
#include <QPointer>
#include <QScopedValueRollback>

#include <algorithm>
#include <memory>

Q_LOGGING_CATEGORY(lcHid, "poptap.hid")

namespace poptap {

std::optional<ScannedCode> handheldScannedCode(const QString &digits)
{
    std::optional<ScannedCode> code;
    switch (digits.size()) {
    case 8:
        code = validateScannedCode(BarcodeFormat::Ean8, digits, ScanSource::Handheld);
        if (!code)
            code = validateScannedCode(BarcodeFormat::UpcE, digits, ScanSource::Handheld);
        break;
    case 12:
        code = validateScannedCode(BarcodeFormat::UpcA, digits, ScanSource::Handheld);
        break;
    case 13:
        code = validateScannedCode(BarcodeFormat::Ean13, digits, ScanSource::Handheld);
        break;
    case 14:
        code = validateScannedCode(BarcodeFormat::Code128, digits, ScanSource::Handheld);
        break;
    default:
        break;
    }
    // Code 128 accepts any text: the GTIN check digit is productCode()'s to verify.
    if (code && code->productCode().isEmpty())
        code.reset();
    return code;
}

// A key press or release kept back, for the window it was sent to.
struct HidScannerFilter::HeldKey {
    QPointer<QObject> receiver;
    std::unique_ptr<QKeyEvent> event;
};

HidScannerFilter::HidScannerFilter(HidBurstParser::Settings settings, QObject *parent)
    : QObject(parent)
    , m_parser(settings)
{
    m_clock.start();
    m_expiry.setSingleShot(true);
    m_expiry.setTimerType(Qt::PreciseTimer);
    connect(&m_expiry, &QTimer::timeout, this, &HidScannerFilter::expireNow);
}

HidScannerFilter::~HidScannerFilter()
{
    giveBack();
}

bool HidScannerFilter::eventFilter(QObject *watched, QEvent *event)
{
    const QEvent::Type type = event->type();
    if ((type != QEvent::KeyPress && type != QEvent::KeyRelease) || m_replaying || !watched->isWindowType())
        return false;
    auto *key = static_cast<QKeyEvent *>(event);
    return type == QEvent::KeyPress ? filterPress(watched, key) : filterRelease(watched, key);
}

bool HidScannerFilter::filterPress(QObject *receiver, QKeyEvent *event)
{
    const qint64 now = m_clock.elapsed();
    // The expiry timer may not have run yet (a busy event loop): stale keys go back first.
    if (m_parser.expire(now))
        giveBack();

    // A new press of a key means its earlier release, if one was awaited, is not coming.
    std::erase(m_consumedUnreleased, event->key());

    // Ctrl+5, Alt+5 or an auto-repeat is never part of a scan; keypad digits are.
    const bool plain = (event->modifiers() & ~Qt::KeypadModifier) == Qt::NoModifier && !event->isAutoRepeat();
    const bool enter = plain && (event->key() == Qt::Key_Return || event->key() == Qt::Key_Enter);
    switch (m_parser.press(now, plain ? event->text() : QString(), enter)) {
    case HidBurstParser::Verdict::Held:
        m_held.push_back({receiver, std::unique_ptr<QKeyEvent>(event->clone())});
        armExpiry();
        return true;
    case HidBurstParser::Verdict::Scan:
        finishScan(event);
        return true;
    case HidBurstParser::Verdict::Release:
        giveBack();
        return false;
    }
    return false;
}

bool HidScannerFilter::filterRelease(QObject *receiver, QKeyEvent *event)
{
    if (event->isAutoRepeat())
        return false;
    // The release of a held press is held too, in its place among the other keys.
    if (isHeldDown(event->key())) {
        m_held.push_back({receiver, std::unique_ptr<QKeyEvent>(event->clone())});
        return true;
    }
    // A scan's key: its press never reached anyone, so neither does its release.
    const auto consumed = std::find(m_consumedUnreleased.begin(), m_consumedUnreleased.end(), event->key());
    if (consumed != m_consumedUnreleased.end()) {
        m_consumedUnreleased.erase(consumed);
        return true;
    }
    return false;
}

void HidScannerFilter::finishScan(QKeyEvent *enter)
{
    m_expiry.stop();
    for (const HeldKey &held : m_held) {
        const int key = held.event->key();
        if (isHeldDown(key) && std::find(m_consumedUnreleased.begin(), m_consumedUnreleased.end(), key) == m_consumedUnreleased.end())
            m_consumedUnreleased.push_back(key);
    }
    m_held.clear();
    m_consumedUnreleased.push_back(enter->key());

    // The keys are consumed either way: a scanner's burst is never typed into a field.
    const QString digits = m_parser.scanned();
    if (const std::optional<ScannedCode> code = handheldScannedCode(digits)) {
        qCDebug(lcHid) << "handheld scan" << toString(code->format) << code->text;
        Q_EMIT scanned(*code);
    } else {
        qCInfo(lcHid) << "handheld burst of" << digits.size() << "digits is no product code";
        Q_EMIT rejected();
    }
}

bool HidScannerFilter::isHeldDown(int key) const
{
    const auto last = std::find_if(m_held.rbegin(), m_held.rend(), [key](const HeldKey &k) { return k.event->key() == key; });
    return last != m_held.rend() && last->event->type() == QEvent::KeyPress;
}

void HidScannerFilter::giveBack()
{
    m_expiry.stop();
    if (m_held.empty())
        return;
    const std::vector<HeldKey> held = std::move(m_held);
    m_held.clear();
    // Fresh copies of the held events, sent to the windows they were meant for, in order; the
    // guard lets them through this filter.
    const QScopedValueRollback replaying(m_replaying, true);
    for (const HeldKey &key : held) {
        if (key.receiver)
            QCoreApplication::sendEvent(key.receiver, key.event.get());
    }
}

void HidScannerFilter::armExpiry()
{
    if (const std::optional<qint64> deadline = m_parser.deadline())
        m_expiry.start(int(std::max<qint64>(1, *deadline - m_clock.elapsed())));
}

void HidScannerFilter::expireNow()
{
    if (m_parser.expire(m_clock.elapsed()))
        giveBack();
    else
        armExpiry();   // woken a millisecond early
}

} // namespace poptap
