import QtQuick
import QtQuick.Layouts
import PopTap.Kiosk

// One product: pick the colour, then the size. Sold-out sizes are marked; touching one asks
// for the "it's back" message, touching one in stock says where it is.
Item {
    objectName: "productScreen"
    readonly property var picker: KioskSession.picker

    ColumnLayout {
        anchors.fill: parent
        anchors.margins: Theme.margin
        anchors.topMargin: 160
        spacing: 32

        RowLayout {
            Layout.fillWidth: true
            spacing: 32
            ProductImage { side: 280; source: picker.image }
            ColumnLayout {
                Layout.fillWidth: true
                spacing: 12
                Text {
                    Layout.fillWidth: true
                    text: Language.japanese ? picker.nameJa : picker.nameEn
                    font.pixelSize: Theme.title
                    font.bold: true
                    color: Theme.ink
                    wrapMode: Text.WordWrap
                }
                Text {
                    visible: picker.priceYen > 0
                    text: qsTr("¥%L1 (tax incl.)").arg(picker.priceYen)
                    font.pixelSize: Theme.body
                    color: Theme.inkMuted
                }
            }
        }
        ProblemBanner { Layout.fillWidth: true }

        Text {
            text: qsTr("Colour")
            font.pixelSize: Theme.body
            font.bold: true
            color: Theme.ink
            visible: picker.colors.length > 1
        }
        Flow {
            objectName: "colorChoices"
            Layout.fillWidth: true
            spacing: 20
            visible: picker.colors.length > 1
            Repeater {
                model: picker.colors
                delegate: ChoiceChip {
                    required property var modelData
                    required property int index
                    text: Language.japanese ? modelData.nameJa : modelData.nameEn
                    chosen: index === picker.colorIndex
                    onClicked: picker.colorIndex = index
                }
            }
        }

        Text {
            text: qsTr("Size")
            font.pixelSize: Theme.body
            font.bold: true
            color: Theme.ink
        }
        Flow {
            objectName: "sizeChoices"
            Layout.fillWidth: true
            spacing: 20
            Repeater {
                model: picker.sizes
                delegate: SizeButton {
                    required property var modelData
                    size: modelData.size
                    inStock: modelData.inStock
                    enabled: !KioskSession.busy
                    onClicked: KioskSession.chooseVariant(modelData.variantId)
                }
            }
        }
        Text {
            Layout.fillWidth: true
            text: qsTr("Touch a sold-out size and we will tell you on LINE when it is back in this store.")
            font.pixelSize: Theme.caption
            color: Theme.inkMuted
            wrapMode: Text.WordWrap
        }

        Item { Layout.fillHeight: true }

        BigButton {
            Layout.alignment: Qt.AlignLeft
            primary: false
            text: qsTr("Back")
            onClicked: KioskSession.goBack()
        }
    }
}
