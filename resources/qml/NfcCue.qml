import QtQuick
import PopTap.Kiosk

// "Tap here": a phone with radio waves, pulsing towards the reader below the screen.
Item {
    id: cue
    implicitWidth: 300
    implicitHeight: 300

    Rectangle {
        id: phone
        width: 110; height: 190
        anchors.centerIn: parent
        radius: 18
        color: Theme.ink
        Rectangle { anchors.fill: parent; anchors.margins: 10; anchors.bottomMargin: 26; radius: 8; color: "white" }
    }
    Repeater {
        model: 3
        delegate: Rectangle {
            required property int index
            anchors.centerIn: parent
            width: 170 + index * 50; height: width
            radius: width / 2
            color: "transparent"
            border.color: Theme.lineGreen
            border.width: 6
            SequentialAnimation on opacity {
                loops: Animation.Infinite
                PauseAnimation { duration: index * 250 }
                NumberAnimation { from: 1; to: 0.1; duration: 900 }
                NumberAnimation { from: 0.1; to: 1; duration: 350 }
            }
        }
    }
    Text {
        anchors.top: parent.bottom
        anchors.horizontalCenter: parent.horizontalCenter
        text: qsTr("Tap your phone here")
        font.pixelSize: Theme.body
        font.bold: true
        color: Theme.ink
    }
}
