import QtQuick
import QtQuick.Layouts
import PopTap.Kiosk

// A code the store's catalog does not know: no blame, and the way on.
Item {
    objectName: "notFoundScreen"

    ColumnLayout {
        anchors.centerIn: parent
        width: parent.width - 2 * Theme.margin
        spacing: 40

        Text {
            objectName: "notFoundTitle"
            Layout.fillWidth: true
            text: qsTr("We could not find this item")
            font.pixelSize: Theme.headline
            font.bold: true
            color: Theme.ink
            wrapMode: Text.WordWrap
            horizontalAlignment: Text.AlignHCenter
        }
        Text {
            Layout.fillWidth: true
            text: qsTr("Some items cannot be found by their barcode. You can find it by brand instead.")
            font.pixelSize: Theme.body
            color: Theme.ink
            wrapMode: Text.WordWrap
            horizontalAlignment: Text.AlignHCenter
        }
        BigButton {
            objectName: "browseButton"
            Layout.alignment: Qt.AlignHCenter
            Layout.preferredWidth: 760
            text: qsTr("Find it by brand")
            onClicked: KioskSession.browseProducts()
        }
        BigButton {
            Layout.alignment: Qt.AlignHCenter
            Layout.preferredWidth: 760
            primary: false
            text: qsTr("Scan again")
            onClicked: KioskSession.startRestock()
        }
        BigButton {
            Layout.alignment: Qt.AlignHCenter
            Layout.preferredWidth: 760
            primary: false
            text: qsTr("Cancel")
            onClicked: KioskSession.backToAttract()
        }
    }
}
