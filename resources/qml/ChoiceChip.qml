import QtQuick
import QtQuick.Controls
import PopTap.Kiosk

// One of a few choices (a colour): outlined, filled when chosen.
Button {
    id: control
    property bool chosen: false
    implicitHeight: Theme.touchTarget
    implicitWidth: Math.max(200, contentItem.implicitWidth + Theme.margin)
    font.pixelSize: Theme.body
    contentItem: Text {
        text: control.text
        font: control.font
        color: control.chosen ? "white" : Theme.ink
        horizontalAlignment: Text.AlignHCenter
        verticalAlignment: Text.AlignVCenter
    }
    background: Rectangle {
        radius: height / 2
        color: control.chosen ? Theme.ink : (control.down ? Theme.divider : Theme.surface)
        border.width: 3
        border.color: Theme.ink
    }
}
