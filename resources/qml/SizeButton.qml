import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import PopTap.Kiosk

// A size: large, with "sold out" under it in the warning colour when it is.
Button {
    id: control
    property string size
    property bool inStock: true
    implicitWidth: 220
    implicitHeight: 180
    contentItem: ColumnLayout {
        spacing: 4
        Text {
            Layout.alignment: Qt.AlignHCenter
            text: control.size
            font.pixelSize: Theme.title
            font.bold: true
            color: Theme.ink
        }
        Text {
            Layout.alignment: Qt.AlignHCenter
            text: control.inStock ? qsTr("In stock") : qsTr("Sold out")
            font.pixelSize: Theme.caption
            font.bold: !control.inStock
            color: control.inStock ? Theme.inkMuted : Theme.warning
        }
    }
    background: Rectangle {
        radius: Theme.radius
        color: control.down ? Theme.divider : Theme.surface
        opacity: control.enabled ? 1 : 0.4
        border.width: control.inStock ? 2 : 5
        border.color: control.inStock ? Theme.divider : Theme.warning
    }
}
