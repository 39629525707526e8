import QtQuick
import QtQuick.Layouts
import PopTap.Kiosk

// Choose a brand: every enabled brand as a large tile, in the staff's order.
Item {
    objectName: "brandGridScreen"

    ColumnLayout {
        anchors.fill: parent
        anchors.margins: Theme.margin
        anchors.topMargin: 160
        spacing: 32

        Text {
            Layout.fillWidth: true
            text: qsTr("Choose a brand")
            font.pixelSize: Theme.headline
            font.bold: true
            color: Theme.ink
        }
        Text {
            Layout.fillWidth: true
            text: qsTr("We will send you its new arrivals on LINE.")
            font.pixelSize: Theme.body
            color: Theme.inkMuted
            wrapMode: Text.WordWrap
        }
        ProblemBanner { Layout.fillWidth: true }

        GridView {
            id: grid
            objectName: "brandGrid"
            Layout.fillWidth: true
            Layout.fillHeight: true
            clip: true
            cellWidth: Math.floor(width / 3)
            cellHeight: 320
            model: KioskSession.brands
            interactive: !KioskSession.busy
            delegate: BrandTile {
                width: grid.cellWidth - 24
                height: grid.cellHeight - 24
                onChosen: (brandId) => KioskSession.selectBrand(brandId)
            }
        }

        BigButton {
            Layout.alignment: Qt.AlignLeft
            primary: false
            text: qsTr("Back")
            onClicked: KioskSession.backToAttract()
        }
    }
}
