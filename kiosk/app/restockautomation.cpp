#include "restockautomation.h"

#include "automationreply.h"
#include "barcodescanner.h"
#include "hidscannerfilter.h"
#include "imagesource.h"
#include "kioskapp.h"
#include "kiosksession.h"

#include <QCoreApplication>
#include <QKeyEvent>
#include <QQuickWindow>

namespace poptap {

using automation::failure;
using automation::success;

RestockAutomation::RestockAutomation(KioskApp *app)
    : m_app(app)
{
    m_typing.setTimerType(Qt::PreciseTimer);
    connect(&m_typing, &QTimer::timeout, this, &RestockAutomation::typeNext);
}

QJsonObject RestockAutomation::handleRestock(const QJsonObject &request)
{
    KioskSession *session = m_app->session();
    const QString action = request.value(QLatin1String("action")).toString();
    if (!session->isRestockAvailable())
        return failure(QStringLiteral("the catalog has no products: restock requests are not offered"));
    if (action == QLatin1String("start")) {
        session->startRestock();
        return success();
    }
    if (action == QLatin1String("browse")) {
        session->browseProducts();
        return success();
    }
    if (action == QLatin1String("back")) {
        session->goBack();
        return success();
    }
    if (action == QLatin1String("brand")) {
        const int brandId = request.value(QLatin1String("brandId")).toInt(-1);
        return session->openBrandProducts(brandId) ? success()
                                                   : failure(QStringLiteral("no products of a visible brand %1").arg(brandId));
    }
    if (action == QLatin1String("product")) {
        const int productId = request.value(QLatin1String("productId")).toInt(-1);
        return session->openProduct(productId) ? success() : failure(QStringLiteral("no product %1").arg(productId));
    }
    if (action == QLatin1String("variant")) {
        const int variantId = request.value(QLatin1String("variantId")).toInt(-1);
        if (session->isBusy())
            return failure(QStringLiteral("busy: a registration is being committed"));
        return session->chooseVariant(variantId) ? success() : failure(QStringLiteral("no variant %1").arg(variantId));
    }
    return failure(QStringLiteral("unknown restock action '%1' (start, browse, back, brand, product, variant)").arg(action));
}

QJsonObject RestockAutomation::handleFrame(const QJsonObject &request)
{
    BarcodeScanner *scanner = m_app->scanner();
    auto *images = scanner ? qobject_cast<ImageSource *>(scanner->source()) : nullptr;
    if (!images)
        return failure(QStringLiteral("frame needs the images: camera (camera=images:)"));
    QString error;
    if (!images->showFile(request.value(QLatin1String("path")).toString(), &error))
        return failure(error);
    return success({{QStringLiteral("scanning"), scanner->isScanning()}});
}

QJsonObject RestockAutomation::handleKeys(const QJsonObject &request)
{
    const QString text = request.value(QLatin1String("text")).toString();
    const int interval = request.value(QLatin1String("intervalMs")).toInt(4);
    if (text.isEmpty() || text.size() > 64)
        return failure(QStringLiteral("keys needs a text of 1 to 64 characters"));
    if (interval < 0 || interval > 5000)
        return failure(QStringLiteral("intervalMs must be 0 to 5000"));
    if (m_typing.isActive())
        return failure(QStringLiteral("still typing the previous keys"));
    m_toType = text;
    if (request.value(QLatin1String("enter")).toBool(true))
        m_toType += QLatin1Char('\n');
    if (interval == 0) {
        // All keys in one go: the fastest scanner, and one no busy event loop can slow down.
        while (!m_toType.isEmpty())
            typeNext();
        return success();
    }
    m_typing.start(interval);
    typeNext(); // the first key at once
    return success();
}

void RestockAutomation::typeNext()
{
    QQuickWindow *window = m_app->window();
    if (m_toType.isEmpty() || !window) {
        m_typing.stop();
        return;
    }
    const QChar c = m_toType.front();
    m_toType.remove(0, 1);
    const bool enter = c == QLatin1Char('\n');
    const int key = enter ? Qt::Key_Return : (c.isDigit() ? Qt::Key_0 + c.digitValue() : c.toUpper().unicode());
    const QString typed = enter ? QStringLiteral("\r") : QString(c);
    // Sent, not posted: each key is delivered at its own moment, as a keyboard's would be,
    // through the application's event filters (the handheld scanner's among them).
    QKeyEvent press(QEvent::KeyPress, key, Qt::NoModifier, typed);
    QCoreApplication::sendEvent(window, &press);
    QKeyEvent release(QEvent::KeyRelease, key, Qt::NoModifier, typed);
    QCoreApplication::sendEvent(window, &release);
    if (m_toType.isEmpty())
        m_typing.stop();
}

QJsonObject RestockAutomation::state() const
{
    KioskSession *session = m_app->session();
    QJsonObject camera{{QStringLiteral("configured"), m_app->scanner() != nullptr}};
    if (const BarcodeScanner *scanner = m_app->scanner()) {
        camera.insert(QStringLiteral("backend"), scanner->source()->backendName());
        camera.insert(QStringLiteral("status"), toString(scanner->source()->status()));
        camera.insert(QStringLiteral("reason"), scanner->source()->statusReason());
        camera.insert(QStringLiteral("scanning"), scanner->isScanning());
        camera.insert(QStringLiteral("framesDecoded"), scanner->worker()->framesDecoded());
        camera.insert(QStringLiteral("framesDropped"), scanner->worker()->framesDropped());
        camera.insert(QStringLiteral("codesRead"), m_app->cameraScans());
    }
    return {
        {QStringLiteral("available"), session->isRestockAvailable()},
        {QStringLiteral("variantId"), session->selectedVariantId()},
        {QStringLiteral("productId"), session->picker()->productId()},
        {QStringLiteral("products"), session->products()->rowCount()},
        {QStringLiteral("scansLookedUp"), session->scansLookedUp()},
        {QStringLiteral("handheldScans"), m_app->handheldScans()},
        {QStringLiteral("handheldRejects"), m_app->handheldRejects()},
        {QStringLiteral("camera"), camera},
    };
}

} // namespace poptap
