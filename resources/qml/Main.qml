import QtQuick
import QtQuick.Window
import PopTap.Kiosk

// The kiosk window: one screen at a time, chosen by KioskSession.
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
            switch (KioskSession.screen) {
            case KioskSession.BrandGrid: return brandGrid
            case KioskSession.Code: return code
            case KioskSession.Done: return done
            default: return attract
            }
        }
    }
    Component { id: attract; AttractScreen {} }
    Component { id: brandGrid; BrandGridScreen {} }
    Component { id: code; CodeScreen {} }
    Component { id: done; DoneScreen {} }

    SyncMark {
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
