// KioskSession's restock requests on the demo catalog: scanned codes (sold out, in stock,
// unknown), browsing brand → product → colour and size, and the restock code itself.
#include "catalog.h"
#include "demoregistrations.h"
#include "gtin.h"
#include "kiosksession.h"
#include "registrationservice.h"
#include "simnfcdevice.h"

#include <QTemporaryDir>
#include <QTest>

using namespace poptap;

namespace {

// The first variant of the catalog that matches, with a printed code.
VariantRef firstVariant(const Catalog &catalog, bool inStock)
{
    for (const Product &p : catalog.products)
        for (const Variant &v : p.variants)
            if (v.inStock == inStock && !v.gtin.isEmpty() && catalog.brand(p.brandId)->enabled)
                return {&p, &v};
    return {};
}

ScannedCode handheld(const QString &digits)
{
    ScannedCode code;
    code.format = digits.size() == 8 ? BarcodeFormat::Ean8 : digits.size() == 12 ? BarcodeFormat::UpcA : BarcodeFormat::Ean13;
    code.text = digits;
    code.source = ScanSource::Handheld;
    return code;
}

} // namespace

class RestockSessionTest : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    std::unique_ptr<RegistrationService> m_registrations;
    std::unique_ptr<SimNfcDevice> m_nfc;
    std::unique_ptr<KioskSession> m_session;
    Catalog m_catalog;

    void makeSession(const Catalog &catalog, KioskSession::Timeouts timeouts = {60, 60, 8})
    {
        m_session.reset(); // QML sees one session at a time
        m_session = std::make_unique<KioskSession>(m_registrations.get(), m_nfc.get(), timeouts);
        m_session->setCatalog(catalog, QUrl(QStringLiteral("qrc:/logos/")), QUrl(QStringLiteral("qrc:/products/")));
    }

private Q_SLOTS:
    void initTestCase()
    {
        test::DemoRegistrations demo = test::startDemoRegistrations(m_dir.path());
        QVERIFY2(demo.error.isEmpty(), qPrintable(demo.error));
        m_catalog = demo.catalog;
        m_registrations = std::move(demo.registrations);
        QVERIFY2(firstVariant(m_catalog, false), "the demo catalog needs a sold-out variant with a code");
        QVERIFY2(firstVariant(m_catalog, true), "the demo catalog needs an in-stock variant with a code");
    }

    void init()
    {
        m_nfc = std::make_unique<SimNfcDevice>();
        makeSession(m_catalog);
    }
    void cleanup()
    {
        m_session.reset();
        m_nfc.reset();
    }

    void restockIsOfferedOnlyWhenTheCatalogHasProducts()
    {
        QVERIFY(m_session->isRestockAvailable());
        Catalog bare = m_catalog;
        bare.products.clear();
        makeSession(bare);
        QVERIFY(!m_session->isRestockAvailable());
        m_session->startRestock();
        QCOMPARE(m_session->screen(), KioskSession::Screen::Attract);
        QCOMPARE(m_session->scanCode(handheld(firstVariant(m_catalog, false).variant->gtin)),
                 RestockLookup::Outcome::Unknown);
        QCOMPARE(m_session->screen(), KioskSession::Screen::Attract);
    }

    void aSoldOutCodeMakesARestockCodeForThatVariant()
    {
        const VariantRef soldOut = firstVariant(m_catalog, false);
        m_session->startRestock();
        QCOMPARE(m_session->screen(), KioskSession::Screen::Scan);
        QVERIFY(m_session->wantsCamera());
        QCOMPARE(m_session->scanCode(handheld(soldOut.variant->gtin)), RestockLookup::Outcome::SoldOut);
        QVERIFY(m_session->isBusy());
        QTRY_COMPARE(m_session->screen(), KioskSession::Screen::Code);
        QVERIFY(!m_session->wantsCamera());
        const Registration registration = *m_session->registration();
        QCOMPARE(registration.claims.kind, RegistrationKind::Restock);
        QCOMPARE(registration.claims.target, soldOut.variant->id);
        QCOMPARE(m_nfc->servedLink().toString(QUrl::FullyEncoded), m_session->link());
        QVERIFY(m_session->isRestockCode());
        QCOMPARE(m_session->selectedVariantId(), int(soldOut.variant->id));
        QCOMPARE(m_session->variantProductEn(), soldOut.product->nameEn);
        QCOMPARE(m_session->variantLabelEn(), soldOut.variant->colorEn + QStringLiteral(" / ") + soldOut.variant->size);
        QCOMPARE(m_session->variantImage().isEmpty(), soldOut.product->image.isEmpty());

        // Cancel goes back to the sizes of that product, not to the brands.
        m_session->cancel();
        QCOMPARE(m_session->screen(), KioskSession::Screen::Product);
        QVERIFY(m_nfc->servedLink().isEmpty());
        QCOMPARE(m_session->picker()->productId(), int(soldOut.product->id));
    }

    void aHandheldScanWorksFromTheAttractScreen()
    {
        QCOMPARE(m_session->screen(), KioskSession::Screen::Attract);
        QCOMPARE(m_session->scanCode(handheld(firstVariant(m_catalog, false).variant->gtin)),
                 RestockLookup::Outcome::SoldOut);
        QTRY_COMPARE(m_session->screen(), KioskSession::Screen::Code);
        QCOMPARE(m_session->scansLookedUp(), 1);
    }

    void anInStockCodeSaysSoAndMakesNoRegistration()
    {
        const VariantRef inStock = firstVariant(m_catalog, true);
        m_session->startRestock();
        QCOMPARE(m_session->scanCode(handheld(inStock.variant->gtin)), RestockLookup::Outcome::InStock);
        QCOMPARE(m_session->screen(), KioskSession::Screen::InStock);
        QVERIFY(!m_session->isBusy());
        QVERIFY(!m_session->registration());
        QVERIFY(m_nfc->servedLink().isEmpty());
        QCOMPARE(m_session->selectedVariantId(), int(inStock.variant->id));
        // "Choose another size": the product, with the scanned colour chosen.
        m_session->goBack();
        QCOMPARE(m_session->screen(), KioskSession::Screen::Product);
        const QVariantList colors = m_session->picker()->colors();
        const QVariantMap chosen = colors.at(m_session->picker()->colorIndex()).toMap();
        QCOMPARE(chosen.value(QStringLiteral("nameEn")).toString(), inStock.variant->colorEn);
        bool listed = false;
        for (const QVariant &size : m_session->picker()->sizes())
            listed |= size.toMap().value(QStringLiteral("variantId")).toLongLong() == inStock.variant->id;
        QVERIFY(listed);
        // Scanned, not browsed to: back still lists the products of its brand.
        m_session->goBack();
        QCOMPARE(m_session->screen(), KioskSession::Screen::Products);
        QCOMPARE(m_session->products()->rowCount(), int(m_catalog.productsOf(inStock.product->brandId).size()));
    }

    void anUnknownCodeOffersToBrowse()
    {
        // A valid JAN that the demo catalog does not have.
        QString unknown = QStringLiteral("490000000001");
        unknown += QString::number(gtin::checkDigit(unknown));
        QVERIFY(gtin::isValid(unknown));
        QVERIFY(!m_catalog.variantByCode(unknown));
        m_session->startRestock();
        QCOMPARE(m_session->scanCode(handheld(unknown)), RestockLookup::Outcome::Unknown);
        QCOMPARE(m_session->screen(), KioskSession::Screen::NotFound);
        m_session->browseProducts();
        QCOMPARE(m_session->screen(), KioskSession::Screen::RestockBrands);
        m_session->goBack();
        QCOMPARE(m_session->screen(), KioskSession::Screen::Scan);
    }

    void aCodeThatHoldsNoProductCodeChangesNothing()
    {
        m_session->startRestock();
        ScannedCode qr;
        qr.format = BarcodeFormat::QrCode;
        qr.text = QStringLiteral("https://example.com/item/4573218101013");
        QCOMPARE(m_session->scanCode(qr), RestockLookup::Outcome::Unknown);
        ScannedCode label;
        label.format = BarcodeFormat::Code128;
        label.text = QStringLiteral("SKU-4829-13");
        QCOMPARE(m_session->scanCode(label), RestockLookup::Outcome::Unknown);
        QCOMPARE(m_session->screen(), KioskSession::Screen::Scan);
        QCOMPARE(m_session->scansLookedUp(), 0);
    }

    void browsingBrandProductSizeMakesTheSameRestockCode()
    {
        const VariantRef soldOut = firstVariant(m_catalog, false);
        m_session->startRestock();
        m_session->browseProducts();
        QVERIFY(m_session->restockBrands()->rowCount() > 0);
        QVERIFY(m_session->restockBrands()->rowCount() < m_session->brands()->rowCount()); // only brands with products
        QVERIFY(m_session->openBrandProducts(int(soldOut.product->brandId)));
        QCOMPARE(m_session->screen(), KioskSession::Screen::Products);
        QCOMPARE(m_session->products()->rowCount(), int(m_catalog.productsOf(soldOut.product->brandId).size()));
        QVERIFY(m_session->openProduct(int(soldOut.product->id)));
        QCOMPARE(m_session->screen(), KioskSession::Screen::Product);
        // Every size of the product is listed under one of its colours, sold-out ones marked.
        int sizes = 0;
        bool soldOutMarked = false;
        for (int c = 0; c < m_session->picker()->colors().size(); ++c) {
            m_session->picker()->pickColor(c);
            for (const QVariant &size : m_session->picker()->sizes()) {
                ++sizes;
                const QVariantMap s = size.toMap();
                if (s.value(QStringLiteral("variantId")).toLongLong() == soldOut.variant->id)
                    soldOutMarked = !s.value(QStringLiteral("inStock")).toBool();
            }
        }
        QCOMPARE(sizes, int(soldOut.product->variants.size()));
        QVERIFY(soldOutMarked);
        QVERIFY(m_session->chooseVariant(int(soldOut.variant->id)));
        QTRY_COMPARE(m_session->screen(), KioskSession::Screen::Code);
        QCOMPARE(m_session->registration()->claims.kind, RegistrationKind::Restock);
        QCOMPARE(m_session->registration()->claims.target, soldOut.variant->id);
        // The phone reads it: done, then back to the attract screen with nothing selected.
        QVERIFY(m_nfc->simulatePhoneRead());
        QCOMPARE(m_session->screen(), KioskSession::Screen::Done);
        QVERIFY(m_session->isRestockCode()); // the done screen still names the item
        m_session->backToAttract();
        QVERIFY(!m_session->isRestockCode());
        QCOMPARE(m_session->selectedVariantId(), 0);
    }

    void backWalksUpTheBrowsePath()
    {
        const VariantRef any = firstVariant(m_catalog, true);
        m_session->startRestock();
        m_session->browseProducts();
        QVERIFY(m_session->openBrandProducts(int(any.product->brandId)));
        QVERIFY(m_session->openProduct(int(any.product->id)));
        m_session->goBack();
        QCOMPARE(m_session->screen(), KioskSession::Screen::Products);
        m_session->goBack();
        QCOMPARE(m_session->screen(), KioskSession::Screen::RestockBrands);
        m_session->goBack();
        QCOMPARE(m_session->screen(), KioskSession::Screen::Scan);
        m_session->goBack();
        QCOMPARE(m_session->screen(), KioskSession::Screen::Attract);
    }

    void aDisabledBrandsProductsAreNeitherListedNorFound()
    {
        const VariantRef soldOut = firstVariant(m_catalog, false);
        Catalog catalog = m_catalog;
        for (Brand &b : catalog.brands)
            if (b.id == soldOut.product->brandId)
                b.enabled = false;
        makeSession(catalog);
        for (int row = 0; row < m_session->restockBrands()->rowCount(); ++row)
            QVERIFY(m_session->restockBrands()->index(row).data(BrandListModel::BrandIdRole).toLongLong()
                    != soldOut.product->brandId);
        QVERIFY(!m_session->openBrandProducts(int(soldOut.product->brandId)));
        QVERIFY(!m_session->openProduct(int(soldOut.product->id)));
        QVERIFY(!m_session->chooseVariant(int(soldOut.variant->id)));
        m_session->startRestock();
        QCOMPARE(m_session->scanCode(handheld(soldOut.variant->gtin)), RestockLookup::Outcome::Unknown);
        QCOMPARE(m_session->screen(), KioskSession::Screen::NotFound);
    }

    void scansAreIgnoredWhileACodeIsShown()
    {
        const VariantRef soldOut = firstVariant(m_catalog, false);
        m_session->start();
        QVERIFY(m_session->selectBrand(int(soldOut.product->brandId)));
        QTRY_COMPARE(m_session->screen(), KioskSession::Screen::Code);
        const QString link = m_session->link();
        QCOMPARE(m_session->scanCode(handheld(soldOut.variant->gtin)), RestockLookup::Outcome::Unknown);
        QCOMPARE(m_session->screen(), KioskSession::Screen::Code);
        QCOMPARE(m_session->link(), link);
        QCOMPARE(m_session->scansLookedUp(), 0);
    }

    void theScanScreenGoesIdleLikeTheBrandGrid()
    {
        makeSession(m_catalog, {1, 60, 8});
        m_session->startRestock();
        QCOMPARE(m_session->screen(), KioskSession::Screen::Scan);
        QTRY_COMPARE_WITH_TIMEOUT(m_session->screen(), KioskSession::Screen::Attract, 5000);
    }

    void aNewCatalogBetweenSessionsLeavesNoStaleSelection()
    {
        const VariantRef inStock = firstVariant(m_catalog, true);
        m_session->startRestock();
        m_session->scanCode(handheld(inStock.variant->gtin));
        QCOMPARE(m_session->screen(), KioskSession::Screen::InStock);
        m_session->backToAttract();
        m_session->setCatalog(m_catalog, QUrl(QStringLiteral("qrc:/logos/")), QUrl(QStringLiteral("qrc:/products/")));
        QCOMPARE(m_session->selectedVariantId(), 0);
        QCOMPARE(m_session->variantProductEn(), QString());
        QCOMPARE(m_session->picker()->productId(), 0);
    }
};

QTEST_GUILESS_MAIN(RestockSessionTest)
#include "restocksessiontest.moc"
