import QtQuick
import QtQuick.Window
import PopTap.Kiosk

// The kiosk window: one screen at a time, chosen by KioskSession; staff mode, opened by a
// staff card over the attract screen, hides the shopper's screens while it is open.
Window {
    id: window
    width: 1080
    height: 1920
    visible: true
    color: Theme.background
    title: qsTr("PopTap kiosk")

    Loader {
        id: screenLoader
        objectName: "screenLoader"
        anchors.fill: parent
        sourceComponent: {
            if (StaffMode.active)
                return staff
            switch (KioskSession.screen) {
            case KioskSession.BrandGrid: return brandGrid
            case KioskSession.Code: return code
            case KioskSession.Done: return done
            case KioskSession.Scan: return scan
            case KioskSession.RestockBrands: return restockBrands
            case KioskSession.Products: return products
            case KioskSession.Product: return product
            case KioskSession.InStock: return inStock
            case KioskSession.NotFound: return notFound
            default: return attract
            }
        }
    }
    Component { id: attract; AttractScreen {} }
    Component { id: brandGrid; BrandGridScreen {} }
    Component { id: code; CodeScreen {} }
    Component { id: done; DoneScreen {} }
    Component { id: staff; StaffScreen {} }
    Component { id: scan; ScanScreen {} }
    Component { id: restockBrands; RestockBrandsScreen {} }
    Component { id: products; ProductsScreen {} }
    Component { id: product; ProductScreen {} }
    Component { id: inStock; InStockScreen {} }
    Component { id: notFound; NotFoundScreen {} }

    SyncMark {
        visible: !StaffMode.active // the staff screen shows the full sync status
        anchors.left: parent.left
        anchors.bottom: parent.bottom
        anchors.margins: Theme.margin / 2
    }

    LanguageToggle {
        anchors.top: parent.top
        anchors.right: parent.right
        anchors.margins: Theme.margin
    }
}
