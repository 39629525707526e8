import QtQuick
import QtQuick.Layouts
import PopTap.Kiosk

// Find the item instead of scanning it: first its brand.
Item {
    objectName: "restockBrandsScreen"

    ColumnLayout {
        anchors.fill: parent
        anchors.margins: Theme.margin
        anchors.topMargin: 160
        spacing: 32

        Text {
            Layout.fillWidth: true
            text: qsTr("Which brand is it?")
            font.pixelSize: Theme.headline
            font.bold: true
            color: Theme.ink
        }
        GridView {
            id: grid
            objectName: "restockBrandGrid"
            Layout.fillWidth: true
            Layout.fillHeight: true
            clip: true
            cellWidth: Math.floor(width / 3)
            cellHeight: 320
            model: KioskSession.restockBrands
            delegate: BrandTile {
                width: grid.cellWidth - 24
                height: grid.cellHeight - 24
                onChosen: (brandId) => KioskSession.openBrandProducts(brandId)
            }
        }
        BigButton {
            Layout.alignment: Qt.AlignLeft
            primary: false
            text: qsTr("Back")
            onClicked: KioskSession.goBack()
        }
    }
}
