import QtQuick
import QtQuick.Controls

// A large, high-contrast button a shopper can hit without looking twice.
Button {
    id: control
    property bool primary: true
    // A primary button's colours: LINE green for shoppers; staff screens pass their own.
    property color fill: Theme.lineGreen
    property color fillDown: Theme.lineGreenDark

    implicitHeight: Theme.touchTarget
    implicitWidth: Math.max(420, contentItem.implicitWidth + 2 * Theme.margin)
    font.pixelSize: Theme.body
    font.bold: true

    contentItem: Text {
        text: control.text
        font: control.font
        color: control.primary ? "white" : Theme.ink
        horizontalAlignment: Text.AlignHCenter
        verticalAlignment: Text.AlignVCenter
    }
    background: Rectangle {
        radius: height / 2
        color: control.primary ? (control.down ? control.fillDown : control.fill)
                               : (control.down ? Theme.divider : Theme.surface)
        opacity: control.enabled ? 1 : 0.4
        border.width: control.primary ? 0 : 3
        border.color: Theme.ink
    }
}
