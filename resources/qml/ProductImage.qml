import QtQuick
import PopTap.Kiosk

// A product's picture on a soft tile; an empty tile when the catalog has none.
Rectangle {
    property alias source: picture.source
    property int side: 220
    implicitWidth: side
    implicitHeight: side
    radius: Theme.radius / 2
    color: Theme.background
    border.color: Theme.divider
    border.width: 2
    Image {
        id: picture
        anchors.fill: parent
        anchors.margins: parent.side / 12
        sourceSize.width: width
        sourceSize.height: height
        fillMode: Image.PreserveAspectFit
        smooth: true
    }
}
