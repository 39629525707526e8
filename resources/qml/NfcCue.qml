import QtQuick
import PopTap.Kiosk

// "Tap here": a phone with pulsing radio waves, above the reader's mark.
Column {
    id: cue
    spacing: 16

    Item {
        width: 300
        height: 300
        anchors.horizontalCenter: parent.horizontalCenter

        Repeater {
            model: 3
            delegate: Rectangle {
                required property int index
                anchors.centerIn: parent
                width: 170 + index * 60
                height: width
                radius: width / 2
                color: "transparent"
                border.color: Theme.lineGreen
                border.width: 6
                SequentialAnimation on opacity {
                    loops: Animation.Infinite
                    PauseAnimation { duration: index * 250 }
                    NumberAnimation { from: 1; to: 0.15; duration: 900 }
                    NumberAnimation { from: 0.15; to: 1; duration: 350 }
                }
            }
        }
        Rectangle {
            width: 110
            height: 190
            anchors.centerIn: parent
            radius: 18
            color: Theme.ink
            Rectangle { anchors.fill: parent; anchors.margins: 10; anchors.bottomMargin: 26; radius: 8; color: "white" }
        }
    }
    Text {
        anchors.horizontalCenter: parent.horizontalCenter
        text: qsTr("Tap your phone here")
        font.pixelSize: Theme.body
        font.bold: true
        color: Theme.ink
    }
}
