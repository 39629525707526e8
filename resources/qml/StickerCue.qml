pragma ComponentBehavior: Bound
import QtQuick
import PopTap.Kiosk

// "Hold it here": a sticker over the reader's mark, with pulsing rings, while a write waits.
Item {
    id: cue
    implicitWidth: 360
    implicitHeight: 360

    Repeater {
        model: 3
        delegate: Rectangle {
            id: ring
            required property int index
            anchors.centerIn: parent
            width: 200 + ring.index * 70
            height: width
            radius: width / 2
            color: "transparent"
            border.color: Theme.staffBand
            border.width: 6
            SequentialAnimation on opacity {
                loops: Animation.Infinite
                PauseAnimation { duration: ring.index * 250 }
                NumberAnimation { from: 1; to: 0.15; duration: 900 }
                NumberAnimation { from: 0.15; to: 1; duration: 350 }
            }
        }
    }
    Rectangle {
        anchors.centerIn: parent
        width: 150
        height: 150
        radius: 24
        color: "white"
        border.color: Theme.ink
        border.width: 4
        Text {
            anchors.centerIn: parent
            text: "POP"
            font.pixelSize: Theme.title
            font.bold: true
            color: Theme.staffBand
        }
    }
}
