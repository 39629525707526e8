import QtQuick
import QtQuick.Layouts
import PopTap.Kiosk

// The registration link, as a QR code and over NFC, with the time left to use it.
Item {
    objectName: "codeScreen"

    ColumnLayout {
        anchors.fill: parent
        anchors.margins: Theme.margin
        anchors.topMargin: 160
        spacing: 28

        RowLayout {
            Layout.fillWidth: true
            spacing: 28
            visible: !KioskSession.restockCode
            BrandLogo { side: 140; source: KioskSession.selectedBrandLogo }
            Text {
                Layout.fillWidth: true
                text: Language.japanese ? KioskSession.selectedBrandNameJa : KioskSession.selectedBrandNameEn
                font.pixelSize: Theme.title
                font.bold: true
                color: Theme.ink
                elide: Text.ElideRight
            }
        }
        RowLayout {
            Layout.fillWidth: true
            spacing: 28
            visible: KioskSession.restockCode
            ProductImage { side: 140; source: KioskSession.variantImage }
            ColumnLayout {
                Layout.fillWidth: true
                spacing: 4
                Text {
                    Layout.fillWidth: true
                    text: Language.japanese ? KioskSession.variantProductJa : KioskSession.variantProductEn
                    font.pixelSize: Theme.body
                    font.bold: true
                    color: Theme.ink
                    elide: Text.ElideRight
                }
                Text {
                    objectName: "variantLabel"
                    Layout.fillWidth: true
                    text: (Language.japanese ? KioskSession.variantLabelJa : KioskSession.variantLabelEn)
                          + " · " + qsTr("when it is back in this store")
                    font.pixelSize: Theme.caption
                    color: Theme.inkMuted
                    elide: Text.ElideRight
                }
            }
        }
        Text {
            Layout.fillWidth: true
            text: qsTr("Scan the code with your phone's camera, or tap your phone on the mark below.")
            font.pixelSize: Theme.body
            color: Theme.ink
            wrapMode: Text.WordWrap
        }

        QrCode {
            id: qr
            objectName: "qrCode"
            Layout.alignment: Qt.AlignHCenter
            Layout.preferredWidth: 760
            Layout.preferredHeight: 760
            text: KioskSession.link
            visible: valid
        }
        Text {
            Layout.fillWidth: true
            Layout.preferredHeight: 760
            visible: !qr.valid
            text: qsTr("This code cannot be shown. Please ask a staff member.")
            font.pixelSize: Theme.body
            color: Theme.warning
            wrapMode: Text.WordWrap
            horizontalAlignment: Text.AlignHCenter
            verticalAlignment: Text.AlignVCenter
        }
        Text {
            Layout.fillWidth: true
            text: qsTr("Then tap “Allow” in LINE. That's all.")
            font.pixelSize: Theme.body
            color: Theme.inkMuted
            wrapMode: Text.WordWrap
            horizontalAlignment: Text.AlignHCenter
        }

        RowLayout {
            Layout.fillWidth: true
            Layout.fillHeight: true
            spacing: Theme.margin
            NfcCue {
                Layout.alignment: Qt.AlignVCenter
                visible: KioskSession.nfcAvailable
            }
            ColumnLayout {
                Layout.fillWidth: true
                spacing: 20
                Text {
                    objectName: "countdown"
                    Layout.alignment: Qt.AlignRight
                    text: qsTr("%n second(s) left", "", KioskSession.secondsLeft)
                    font.pixelSize: Theme.body
                    color: Theme.inkMuted
                }
                CountdownBar {
                    Layout.fillWidth: true
                    fraction: KioskSession.secondsLeft / KioskSession.codeTimeoutSeconds
                }
                BigButton {
                    Layout.alignment: Qt.AlignRight
                    primary: false
                    text: qsTr("Cancel")
                    onClicked: KioskSession.cancel()
                }
            }
        }
    }
}
