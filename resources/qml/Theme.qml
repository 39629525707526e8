pragma Singleton
import QtQuick

// Colours and sizes in one place: high contrast, touch targets of at least 120 px.
QtObject {
    readonly property color background: "#fafaf7"
    readonly property color surface: "#ffffff"
    readonly property color ink: "#1a1a1a"
    readonly property color inkMuted: "#555555"
    readonly property color lineGreen: "#06c755"
    readonly property color lineGreenDark: "#04a144"
    readonly property color warning: "#b3261e"
    readonly property color caution: "#b7791f"
    readonly property color divider: "#dddddd"
    // Staff mode's band: no shopper screen uses it, so staff (and tests) see at a glance
    // which side of the kiosk is showing.
    readonly property color staffBand: "#23395d"
    readonly property color staffSurface: "#eef1f6"

    readonly property int margin: 48
    readonly property int radius: 28
    readonly property int touchTarget: 128

    readonly property int headline: 68
    readonly property int title: 52
    readonly property int body: 38
    readonly property int caption: 30
    readonly property int small: 22   // staff-only marks, not meant for shoppers
}
