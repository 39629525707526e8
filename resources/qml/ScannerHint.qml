import QtQuick
import QtQuick.Layouts
import PopTap.Kiosk

// A picture of a price tag and its barcode: what to scan, without words to read first.
RowLayout {
    spacing: 32

    Rectangle {
        implicitWidth: 260
        implicitHeight: 180
        radius: 16
        color: Theme.surface
        border.color: Theme.ink
        border.width: 4
        Row {
            anchors.centerIn: parent
            spacing: 5
            Repeater {
                model: [6, 3, 3, 9, 3, 6, 3, 3, 9, 6, 3, 6, 3, 9, 3, 3, 6]
                delegate: Rectangle {
                    required property int modelData
                    width: modelData
                    height: 110
                    color: Theme.ink
                }
            }
        }
    }
    Text {
        Layout.fillWidth: true
        text: qsTr("The barcode is on the price tag, usually under the price.")
        font.pixelSize: Theme.caption
        color: Theme.inkMuted
        wrapMode: Text.WordWrap
    }
}
