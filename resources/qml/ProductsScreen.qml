import QtQuick
import QtQuick.Layouts
import PopTap.Kiosk

// The brand's products: picture, name and price, and how many sizes are sold out.
Item {
    objectName: "productsScreen"

    ColumnLayout {
        anchors.fill: parent
        anchors.margins: Theme.margin
        anchors.topMargin: 160
        spacing: 32

        Text {
            Layout.fillWidth: true
            text: qsTr("Which item is it?")
            font.pixelSize: Theme.headline
            font.bold: true
            color: Theme.ink
        }
        ListView {
            id: list
            objectName: "productList"
            Layout.fillWidth: true
            Layout.fillHeight: true
            clip: true
            spacing: 24
            model: KioskSession.products
            delegate: Rectangle {
                id: row
                required property int productId
                required property string nameJa
                required property string nameEn
                required property url image
                required property int priceYen
                required property int soldOutCount
                width: list.width
                height: 260
                radius: Theme.radius
                color: tap.pressed ? Theme.divider : Theme.surface
                border.color: Theme.divider
                border.width: 2

                RowLayout {
                    anchors.fill: parent
                    anchors.margins: 20
                    spacing: 32
                    ProductImage { side: 220; source: row.image }
                    ColumnLayout {
                        Layout.fillWidth: true
                        spacing: 12
                        Text {
                            Layout.fillWidth: true
                            text: Language.japanese ? row.nameJa : row.nameEn
                            font.pixelSize: Theme.body
                            font.bold: true
                            color: Theme.ink
                            wrapMode: Text.WordWrap
                            maximumLineCount: 2
                            elide: Text.ElideRight
                        }
                        Text {
                            visible: row.priceYen > 0
                            text: qsTr("¥%L1 (tax incl.)").arg(row.priceYen)
                            font.pixelSize: Theme.caption
                            color: Theme.inkMuted
                        }
                        Text {
                            visible: row.soldOutCount > 0
                            text: qsTr("%n size(s) sold out", "", row.soldOutCount)
                            font.pixelSize: Theme.caption
                            color: Theme.warning
                        }
                    }
                }
                TapHandler {
                    id: tap
                    onTapped: KioskSession.openProduct(row.productId)
                }
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
