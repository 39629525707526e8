import QtQuick
import QtQuick.Layouts
import PopTap.Kiosk

// Good news instead of a subscription: the item is here. No code, nothing to register.
Item {
    objectName: "inStockScreen"

    ColumnLayout {
        anchors.centerIn: parent
        width: parent.width - 2 * Theme.margin
        spacing: 40

        ProductImage { Layout.alignment: Qt.AlignHCenter; side: 360; source: KioskSession.variantImage }
        Text {
            objectName: "inStockTitle"
            Layout.fillWidth: true
            text: qsTr("Good news: it is in stock in this store")
            font.pixelSize: Theme.headline
            font.bold: true
            color: Theme.lineGreenDark
            wrapMode: Text.WordWrap
            horizontalAlignment: Text.AlignHCenter
        }
        Text {
            Layout.fillWidth: true
            text: (Language.japanese ? KioskSession.variantProductJa : KioskSession.variantProductEn)
                  + "\n" + (Language.japanese ? KioskSession.variantLabelJa : KioskSession.variantLabelEn)
            font.pixelSize: Theme.title
            color: Theme.ink
            wrapMode: Text.WordWrap
            horizontalAlignment: Text.AlignHCenter
        }
        Text {
            Layout.fillWidth: true
            text: qsTr("Please look on the shelf or ask a staff member.")
            font.pixelSize: Theme.body
            color: Theme.ink
            wrapMode: Text.WordWrap
            horizontalAlignment: Text.AlignHCenter
        }
        BigButton {
            Layout.alignment: Qt.AlignHCenter
            primary: false
            text: qsTr("Choose another size")
            onClicked: KioskSession.goBack()
        }
        BigButton {
            Layout.alignment: Qt.AlignHCenter
            text: qsTr("Done")
            onClicked: KioskSession.backToAttract()
        }
    }
}
