import QtQuick
import QtQuick.Layouts
import PopTap.Kiosk

// The phone has the link: the last step happens there.
Item {
    objectName: "doneScreen"

    ColumnLayout {
        anchors.centerIn: parent
        width: parent.width - 2 * Theme.margin
        spacing: 48

        Rectangle {
            Layout.alignment: Qt.AlignHCenter
            implicitWidth: 260; implicitHeight: 260
            radius: 130
            color: Theme.lineGreen
            Text { anchors.centerIn: parent; text: "✓"; color: "white"; font.pixelSize: 160; font.bold: true }
        }
        Text {
            Layout.fillWidth: true
            text: qsTr("Check your phone")
            font.pixelSize: Theme.headline
            font.bold: true
            color: Theme.ink
            horizontalAlignment: Text.AlignHCenter
        }
        Text {
            Layout.fillWidth: true
            text: KioskSession.restockCode
                  ? qsTr("Tap “Allow” in LINE and we will tell you there when %1 (%2) is back in this store.")
                    .arg(Language.japanese ? KioskSession.variantProductJa : KioskSession.variantProductEn)
                    .arg(Language.japanese ? KioskSession.variantLabelJa : KioskSession.variantLabelEn)
                  : qsTr("Tap “Allow” in LINE and new arrivals from %1 will reach you there.")
                    .arg(Language.japanese ? KioskSession.selectedBrandNameJa : KioskSession.selectedBrandNameEn)
            font.pixelSize: Theme.body
            color: Theme.ink
            wrapMode: Text.WordWrap
            horizontalAlignment: Text.AlignHCenter
        }
        BigButton {
            Layout.alignment: Qt.AlignHCenter
            text: qsTr("Done")
            onClicked: KioskSession.backToAttract()
        }
    }
}
