import QtQuick

// Time left to use the code, as a bar that empties.
Rectangle {
    property real fraction: 1

    implicitHeight: 20
    radius: height / 2
    color: Theme.divider
    Rectangle {
        width: parent.width * Math.max(0, Math.min(1, parent.fraction))
        height: parent.height
        radius: parent.radius
        color: Theme.lineGreen
        Behavior on width { NumberAnimation { duration: 300 } }
    }
}
