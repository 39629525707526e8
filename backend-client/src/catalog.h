#pragma once

#include <QByteArray>
#include <QList>
#include <QString>
#include <QStringList>

#include <cstdint>

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

    QString version;        // opaque, from the seed or the delivery service
    StoreInfo store;
    LinkSettings link;
    QList<Brand> brands;    // as received
    QList<Pop> pops;        // as received; optional in the JSON

    // Enabled brands in display order: what a shopper sees.
    QList<Brand> visibleBrands() const;
    const Brand *brand(std::uint32_t id) const;
    const Pop *pop(std::uint32_t id) const;
    bool operator==(const Catalog &) const = default;
};

struct CatalogParse {
    Catalog catalog;
    QStringList errors;     // empty when the catalog is usable; nothing is half-applied
};

// Parses and validates catalog JSON from the seed file or the delivery service.
CatalogParse parseCatalogJson(const QByteArray &json);

} // namespace poptap
