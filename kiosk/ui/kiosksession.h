#pragma once

#include "brandlistmodel.h"
#include "catalog.h"
#include "productlistmodel.h"
#include "productpicker.h"
#include "registrationservice.h"
#include "restocklookup.h"
#include "scannedcode.h"

#include <QObject>
#include <QPointer>
#include <QTimer>
#include <QtQml/qqmlregistration.h>

class QQmlEngine;
class QJSEngine;

namespace poptap {

class BarcodeScanner;
class NfcDevice;

// One shopper's walk through the kiosk. QML binds to it; every decision is made here.
//   New arrivals:  attract → brand grid → code (QR + NFC) → done → attract
//   Back in stock: attract → scan (camera) ─┬─ sold out here → code → done
//                  or browse brand → product → colour and size ─┤
//                                           ├─ in stock here → "it's in stock"
//                                           └─ unknown code → "not found", browse instead
// A handheld scanner's code is looked up from any shopper screen but the code and done screens.
class KioskSession : public QObject
{
    Q_OBJECT
    QML_ELEMENT
    QML_SINGLETON
    Q_PROPERTY(Screen screen READ screen NOTIFY screenChanged)
    Q_PROPERTY(poptap::BrandListModel *brands READ brands CONSTANT)
    Q_PROPERTY(QString storeNameJa READ storeNameJa NOTIFY catalogChanged)
    Q_PROPERTY(QString storeNameEn READ storeNameEn NOTIFY catalogChanged)
    Q_PROPERTY(int selectedBrandId READ selectedBrandId NOTIFY selectionChanged)
    Q_PROPERTY(QString selectedBrandNameJa READ selectedBrandNameJa NOTIFY selectionChanged)
    Q_PROPERTY(QString selectedBrandNameEn READ selectedBrandNameEn NOTIFY selectionChanged)
    Q_PROPERTY(QUrl selectedBrandLogo READ selectedBrandLogo NOTIFY selectionChanged)
    Q_PROPERTY(QString link READ link NOTIFY linkChanged)
    Q_PROPERTY(bool busy READ isBusy NOTIFY busyChanged)
    Q_PROPERTY(int secondsLeft READ secondsLeft NOTIFY secondsLeftChanged)
    Q_PROPERTY(int codeTimeoutSeconds READ codeTimeoutSeconds CONSTANT)
    Q_PROPERTY(Problem problem READ problem NOTIFY problemChanged)
    Q_PROPERTY(bool nfcAvailable READ isNfcAvailable NOTIFY nfcAvailableChanged)
    // Restock requests: offered when the catalog has products of visible brands.
    Q_PROPERTY(bool restockAvailable READ isRestockAvailable NOTIFY catalogChanged)
    Q_PROPERTY(poptap::BrandListModel *restockBrands READ restockBrands CONSTANT)
    Q_PROPERTY(poptap::ProductListModel *products READ products CONSTANT)
    Q_PROPERTY(poptap::ProductPicker *picker READ picker CONSTANT)
    Q_PROPERTY(bool restockCode READ isRestockCode NOTIFY variantChanged)
    Q_PROPERTY(int selectedVariantId READ selectedVariantId NOTIFY variantChanged)
    Q_PROPERTY(QString variantProductJa READ variantProductJa NOTIFY variantChanged)
    Q_PROPERTY(QString variantProductEn READ variantProductEn NOTIFY variantChanged)
    Q_PROPERTY(QString variantLabelJa READ variantLabelJa NOTIFY variantChanged)
    Q_PROPERTY(QString variantLabelEn READ variantLabelEn NOTIFY variantChanged)
    Q_PROPERTY(QUrl variantImage READ variantImage NOTIFY variantChanged)
    // The camera's frames for the viewfinder (a QVideoSink), null without a camera.
    Q_PROPERTY(QObject *videoSink READ videoSink NOTIFY cameraChanged)
    Q_PROPERTY(bool cameraAvailable READ isCameraAvailable NOTIFY cameraChanged)

public:
    enum class Screen { Attract, BrandGrid, Code, Done, Scan, RestockBrands, Products, Product, InStock, NotFound };
    Q_ENUM(Screen)
    enum class Problem { None, StorageFull, RegistrationFailed };
    Q_ENUM(Problem)

    struct Timeouts {
        int idleSeconds = 45;
        int codeSeconds = 60;
        int doneSeconds = 8;
    };

    KioskSession(RegistrationService *registrations, NfcDevice *nfc, const Timeouts &timeouts,
                 QObject *parent = nullptr);
    ~KioskSession() override;

    // The instance QML sees; main.cpp and tests create it before loading QML.
    static KioskSession *create(QQmlEngine *, QJSEngine *);

    void setCatalog(const Catalog &catalog, const QUrl &logoBase, const QUrl &productImageBase = {});
    // The camera of the scan screen (may be null: browsing and handheld scanners only). Whoever
    // owns it runs it while wantsCamera() and passes its codes to scanCode().
    void setScanner(BarcodeScanner *scanner);
    // The camera runs only while the scan screen is up: its light, CPU and the shopper's
    // privacy all ask for that.
    bool wantsCamera() const { return m_screen == Screen::Scan; }

    Screen screen() const { return m_screen; }
    const Catalog &catalog() const { return m_catalog; }
    BrandListModel *brands() { return &m_brands; }
    QString storeNameJa() const { return m_catalog.store.nameJa; }
    QString storeNameEn() const { return m_catalog.store.nameEn; }
    int selectedBrandId() const { return int(m_selected.id); }
    QString selectedBrandNameJa() const { return m_selected.nameJa; }
    QString selectedBrandNameEn() const { return m_selected.nameEn; }
    QUrl selectedBrandLogo() const;
    QString link() const { return m_registration ? m_registration->link : QString(); }
    std::optional<Registration> registration() const { return m_registration; }
    bool isBusy() const { return m_pendingRequest != 0; }
    int secondsLeft() const { return m_secondsLeft; }
    int codeTimeoutSeconds() const { return m_timeouts.codeSeconds; }
    Problem problem() const { return m_problem; }
    bool isNfcAvailable() const;
    int phoneReads() const { return m_phoneReads; }
    int brandsCount() const { return m_brands.rowCount(); }
    bool isRestockAvailable() const { return m_restockBrands.rowCount() > 0; }
    BrandListModel *restockBrands() { return &m_restockBrands; }
    ProductListModel *products() { return &m_products; }
    ProductPicker *picker() { return &m_picker; }
    bool isRestockCode() const { return m_variant.variant != nullptr; }
    int selectedVariantId() const { return m_variant ? int(m_variant.variant->id) : 0; }
    QString variantProductJa() const;
    QString variantProductEn() const;
    QString variantLabelJa() const;
    QString variantLabelEn() const;
    QUrl variantImage() const;
    QObject *videoSink() const;
    bool isCameraAvailable() const;
    int scansLookedUp() const { return m_scansLookedUp; }

    static QString toString(Screen screen);

public Q_SLOTS:
    // Shopper actions.
    void start();                      // touch on the attract screen
    bool selectBrand(int brandId);     // false if no such visible brand
    void cancel();                     // leave the code screen
    void backToAttract();
    // Any touch anywhere keeps a session alive.
    void noteActivity();

    // Restock requests.
    void startRestock();               // "tell me when it's back": the scan screen
    void browseProducts();             // brands with products
    bool openBrandProducts(int brandId);
    bool openProduct(int productId);
    // A size picked on the product screen: a restock code when sold out, else "in stock".
    bool chooseVariant(int variantId);
    // Back one step from a restock screen (product → products → brands → scan → attract).
    void goBack();
    // A validated code from the camera or a handheld scanner. Returns what the lookup found
    // (Unknown also when the code is not taken on this screen).
    RestockLookup::Outcome scanCode(const poptap::ScannedCode &code);

Q_SIGNALS:
    void screenChanged();
    void catalogChanged();
    void selectionChanged();
    void linkChanged();
    void busyChanged();
    void secondsLeftChanged();
    void problemChanged();
    void nfcAvailableChanged();
    void variantChanged();
    void cameraChanged();
    // The session ended and the kiosk is back on the attract screen.
    void returnedToAttract();

private:
    void setScreen(Screen screen);
    void setProblem(Problem problem);
    void setPending(int requestId);
    void clearCode();
    void onRegistered(int requestId, const poptap::Registration &registration);
    void onRegistrationFailed(int requestId, const QString &reason, bool storageFull);
    void onLinkRead(const QUrl &link);
    void onCountdownTick();
    void showVariant(const VariantRef &found);
    void setVariant(const VariantRef &found);
    bool isBrowsing(Screen screen) const;
    // The brand if shoppers may see it (enabled), else null.
    const Brand *visibleBrand(std::uint32_t brandId) const;
    QUrl productImage(const Product &product) const;

    RegistrationService *m_registrations;
    QPointer<NfcDevice> m_nfc;
    Timeouts m_timeouts;
    Catalog m_catalog;
    BrandListModel m_brands;
    QUrl m_logoBase;
    Screen m_screen = Screen::Attract;
    Problem m_problem = Problem::None;
    Brand m_selected;
    BrandListModel m_restockBrands;
    ProductListModel m_products;
    ProductPicker m_picker;
    QUrl m_productImageBase;
    VariantRef m_variant;           // into m_catalog; reset whenever the catalog changes
    QPointer<BarcodeScanner> m_scanner;
    int m_scansLookedUp = 0;
    std::optional<Registration> m_registration;
    int m_pendingRequest = 0;
    int m_secondsLeft = 0;
    int m_phoneReads = 0;
    QTimer m_idleTimer;       // single-shot; monotonic
    QTimer m_countdownTimer;  // 1 s ticks on the code screen
    QTimer m_doneTimer;

    static inline KioskSession *s_instance = nullptr;
};

} // namespace poptap
