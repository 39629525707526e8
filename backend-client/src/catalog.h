#pragma once

#include <QByteArray>
#include <QList>
#include <QString>
#include <QStringList>

#include <cstdint>
#include <utility>

namespace poptap {

struct Brand {
    std::uint32_t id = 0;   // catalog id, carried in tokens
    QString slug;
    QString nameJa;
    QString nameEn;
    QString logo;           // file name of the SVG logo
    int displayOrder = 0;
    bool enabled = true;    // staff choose which brands the kiosk shows
    bool operator==(const Brand &) const = default;
};

struct StoreInfo {
    std::uint32_t id = 0;
    QString code;
    QString nameJa;
    QString nameEn;
    bool operator==(const StoreInfo &) const = default;
};

// A passive POP sticker of the store (NTAG21x, written by staff): it carries a static link
// with its id, and the delivery service resolves the id to brand and store.
struct Pop {
    std::uint32_t id = 0;       // catalog id, in the sticker's link
    std::uint32_t brandId = 0;  // a brand of this catalog
    QString label;              // where the sticker is, for staff; may be empty
    bool operator==(const Pop &) const = default;
};

// One colour and size of a product, as it hangs in the store. Restock tokens carry its id.
struct Variant {
    std::uint32_t id = 0;       // catalog id, unique across all products of the catalog
    QString colorJa;
    QString colorEn;
    QString size;               // as printed on the tag: "M", "26.5", "FREE"
    QString gtin;               // JAN/EAN-13, EAN-8, UPC-A or GTIN-14 digits as printed; may be empty
    bool inStock = true;        // in this catalog's store
    bool operator==(const Variant &) const = default;
};

struct Product {
    std::uint32_t id = 0;       // catalog id
    std::uint32_t brandId = 0;  // a brand of this catalog
    QString nameJa;
    QString nameEn;
    QString image;              // file name of the product image (SVG or PNG); may be empty
    int priceYen = 0;           // tax included; 0 when not shown
    QList<Variant> variants;    // in display order: colours as they should be listed, sizes small to large
    bool operator==(const Product &) const = default;
};

// Where the variant with each code is, so that a scan does not read every variant of a large
// catalog. Derived from a catalog's products, so never part of its equality. It keeps a shared
// copy of the list it was built for: any change to the catalog's list detaches that list from
// the copy, and from then on the index no longer describes it and is not used.
class VariantCodeIndex
{
public:
    VariantCodeIndex() = default;
    explicit VariantCodeIndex(const QList<Product> &products);

    bool describes(const QList<Product> &products) const;
    // The positions (product, variant) of the first variant whose code, as GTIN-14, is the
    // number `gtin14`; {-1, -1} when there is none.
    std::pair<qsizetype, qsizetype> find(quint64 gtin14) const;
    bool operator==(const VariantCodeIndex &) const { return true; } // derived data, not content

private:
    struct Entry {
        quint64 gtin14;
        quint32 product;
        quint32 variant;
    };
    QList<Product> m_products; // shares the catalog's list while it is unchanged
    QList<Entry> m_entries;    // sorted by gtin14; implicitly shared, so catalogs copy cheaply
};

// A variant together with the product it belongs to.
struct VariantRef {
    const Product *product = nullptr;
    const Variant *variant = nullptr;
    explicit operator bool() const { return variant != nullptr; }
};

struct LinkSettings {
    QString liffId;
    QString basicId;        // LINE Official Account basic id, e.g. @poptap-demo
    QString linkTemplate;   // liff | oamessage | friend | a template (see DeepLinkTemplate)
    bool operator==(const LinkSettings &) const = default;
};

struct Catalog {
    static constexpr int kSchemaVersion = 1;
    static constexpr int kMaxBrands = 10000;
    static constexpr int kMaxPops = 10000;
    static constexpr int kMaxProducts = 20000;
    static constexpr int kMaxVariantsPerProduct = 200;
    static constexpr int kMaxPriceYen = 10'000'000;

    QString version;        // opaque, from the seed or the delivery service
    StoreInfo store;
    LinkSettings link;
    QList<Brand> brands;    // as received
    QList<Pop> pops;        // as received; optional in the JSON
    QList<Product> products; // as received; optional in the JSON (no restock requests without them)
    // Built by parseCatalogJson and CatalogCache::load; without it, or once `products` was
    // touched through a non-const access (which detaches the list, even to read it), variantByCode
    // reads every variant. Read `products` through a const Catalog; call indexCodes() after
    // building or changing a catalog by hand.
    VariantCodeIndex codeIndex;

    // Enabled brands in display order: what a shopper sees.
    QList<Brand> visibleBrands() const;
    const Brand *brand(std::uint32_t id) const;
    const Pop *pop(std::uint32_t id) const;
    const Product *product(std::uint32_t id) const;
    VariantRef variant(std::uint32_t id) const;
    // The variant whose code is `code` (any of the GTIN forms gtin.h accepts, compared as
    // GTIN-14), or none. Codes with a wrong check digit find nothing.
    VariantRef variantByCode(QStringView code) const;
    // (Re)builds codeIndex for the products as they are now.
    void indexCodes() { codeIndex = VariantCodeIndex(products); }
    // Products of a brand, in catalog order, whether the brand is shown or not (the UI decides).
    QList<const Product *> productsOf(std::uint32_t brandId) const;
    bool operator==(const Catalog &) const = default;
};

struct CatalogParse {
    Catalog catalog;
    QStringList errors;     // empty when the catalog is usable; nothing is half-applied
};

// Parses and validates catalog JSON from the seed file or the delivery service.
CatalogParse parseCatalogJson(const QByteArray &json);

} // namespace poptap
