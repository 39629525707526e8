import QtQuick
import QtQuick.Layouts
import PopTap.Kiosk

// "Tell me when it's back": hold the price tag's barcode up to the camera, or browse instead.
Item {
    objectName: "scanScreen"

    ColumnLayout {
        anchors.fill: parent
        anchors.margins: Theme.margin
        anchors.topMargin: 160
        spacing: 32

        Text {
            Layout.fillWidth: true
            text: qsTr("Is your size sold out?")
            font.pixelSize: Theme.headline
            font.bold: true
            color: Theme.ink
            wrapMode: Text.WordWrap
        }
        Text {
            Layout.fillWidth: true
            text: KioskSession.cameraAvailable
                  ? qsTr("Hold the barcode on the price tag inside the frame. We will tell you on LINE when it is back in this store.")
                  : qsTr("Scan the barcode on the price tag with the scanner, or find the item below. We will tell you on LINE when it is back in this store.")
            font.pixelSize: Theme.body
            color: Theme.ink
            wrapMode: Text.WordWrap
        }

        Rectangle {
            Layout.fillWidth: true
            Layout.preferredHeight: width * 9 / 16
            visible: KioskSession.cameraAvailable
            radius: Theme.radius
            color: "black"
            clip: true

            Viewfinder {
                objectName: "viewfinder"
                anchors.fill: parent
                videoSink: KioskSession.videoSink
            }
            // The guide box: where a barcode reads best, wide like a price tag's.
            Rectangle {
                objectName: "guideBox"
                anchors.centerIn: parent
                width: parent.width * 0.7
                height: parent.height * 0.45
                color: "transparent"
                radius: 16
                border.color: Theme.lineGreen
                border.width: 8
            }
        }
        ScannerHint {
            Layout.fillWidth: true
            visible: !KioskSession.cameraAvailable
        }

        Item { Layout.fillHeight: true }

        BigButton {
            objectName: "browseButton"
            Layout.fillWidth: true
            text: qsTr("Find it by brand instead")
            onClicked: KioskSession.browseProducts()
        }
        BigButton {
            Layout.alignment: Qt.AlignLeft
            primary: false
            text: qsTr("Back")
            onClicked: KioskSession.goBack()
        }
    }
}
