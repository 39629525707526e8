// Scanned text → product lookup: what a camera or a handheld scanner reads is outside input.
// The first byte picks the symbology, the rest is the decoded text; whatever it is, validation
// refuses it or yields a code whose lookup in the demo catalog answers sensibly.
#include "catalog.h"
#include "gtin.h"
#include "restocklookup.h"
#include "scannedcode.h"

#include <QFile>

#include <cstdint>
#include <cstdlib>

namespace {

const poptap::Catalog &demoCatalog()
{
    static const poptap::Catalog catalog = [] {
        QFile file(QStringLiteral(POPTAP_DEMO_CATALOG));
        if (!file.open(QIODevice::ReadOnly))
            std::abort();
        const poptap::CatalogParse parsed = poptap::parseCatalogJson(file.readAll());
        if (!parsed.errors.isEmpty() || parsed.catalog.products.isEmpty())
            std::abort();
        return parsed.catalog;
    }();
    return catalog;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    using namespace poptap;
    if (size < 1)
        return 0;
    static const BarcodeFormat formats[] = {BarcodeFormat::Ean13,   BarcodeFormat::Ean8,  BarcodeFormat::UpcA,
                                            BarcodeFormat::UpcE,    BarcodeFormat::Code128, BarcodeFormat::QrCode};
    const BarcodeFormat format = formats[data[0] % 6];
    const QString text = QString::fromUtf8(reinterpret_cast<const char *>(data + 1), qsizetype(size - 1));
    const std::optional<ScannedCode> code = validateScannedCode(format, text, ScanSource::Camera);
    if (!code)
        return 0;
    if (code->text.isEmpty())
        std::abort(); // validated to nothing
    const QString productCode = code->productCode();
    if (!productCode.isEmpty() && !gtin::isValid(productCode))
        std::abort(); // a lookup must only ever see a well-formed GTIN
    const RestockLookup lookup = RestockLookup::find(demoCatalog(), productCode);
    if (lookup.outcome == RestockLookup::Outcome::Unknown) {
        if (lookup.found)
            std::abort();
        return 0;
    }
    // Found: it must be the variant with exactly that code, sold out or not as the answer says.
    if (!lookup.found || gtin::toGtin14(lookup.found.variant->gtin) != gtin::toGtin14(productCode))
        std::abort();
    if ((lookup.outcome == RestockLookup::Outcome::InStock) != lookup.found.variant->inStock)
        std::abort();
    return 0;
}
