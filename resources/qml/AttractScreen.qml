import QtQuick
import QtQuick.Layouts
import PopTap.Kiosk

// What a passing shopper sees: the promise, the brands, and what to do — one button, or two
// when the store's catalog lets shoppers ask for a sold-out size.
Item {
    id: screen
    objectName: "attractScreen"

    // With two choices a touch beside them must not pick one for the shopper.
    TapHandler { enabled: !KioskSession.restockAvailable; onTapped: KioskSession.start() }

    ColumnLayout {
        anchors.fill: parent
        anchors.margins: Theme.margin
        anchors.topMargin: 200
        spacing: 56

        Rectangle {
            Layout.alignment: Qt.AlignHCenter
            implicitWidth: 240
            implicitHeight: 240
            radius: 60
            color: Theme.lineGreen
            Text {
                anchors.centerIn: parent
                text: "LINE"
                color: "white"
                font.pixelSize: 72
                font.bold: true
            }
        }
        Text {
            Layout.fillWidth: true
            text: qsTr("Get new arrivals from your favourite brands on LINE")
            font.pixelSize: Theme.headline
            font.bold: true
            color: Theme.ink
            wrapMode: Text.WordWrap
            horizontalAlignment: Text.AlignHCenter
        }
        Text {
            Layout.fillWidth: true
            text: qsTr("No membership, no sign-up. Two touches and you are done.")
            font.pixelSize: Theme.body
            color: Theme.inkMuted
            wrapMode: Text.WordWrap
            horizontalAlignment: Text.AlignHCenter
        }

        PathView {
            id: carousel
            Layout.fillWidth: true
            Layout.preferredHeight: 280
            model: KioskSession.brands
            pathItemCount: 5
            interactive: false
            path: Path {
                startX: -140; startY: 140
                PathLine { x: carousel.width + 140; y: 140 }
            }
            delegate: Rectangle {
                required property url logo
                width: 240
                height: 240
                radius: Theme.radius
                color: Theme.surface
                border.color: Theme.divider
                border.width: 2
                BrandLogo { anchors.centerIn: parent; side: 200; source: parent.logo }
            }
            NumberAnimation on offset {
                from: 0; to: carousel.count
                duration: Math.max(1, carousel.count) * 2500
                loops: Animation.Infinite
                running: carousel.count > 0
            }
        }

        Item { Layout.fillHeight: true }

        BigButton {
            objectName: "startButton"
            Layout.alignment: Qt.AlignHCenter
            Layout.preferredWidth: 880
            Layout.preferredHeight: 160
            font.pixelSize: Theme.title
            text: KioskSession.restockAvailable ? qsTr("New arrivals from a brand") : qsTr("Touch to start")
            onClicked: KioskSession.start()
        }
        BigButton {
            objectName: "restockButton"
            visible: KioskSession.restockAvailable
            Layout.alignment: Qt.AlignHCenter
            Layout.preferredWidth: 880
            Layout.preferredHeight: 160
            font.pixelSize: Theme.title
            primary: false
            text: qsTr("Tell me when my size is back")
            onClicked: KioskSession.startRestock()
        }
        Text {
            Layout.fillWidth: true
            Layout.bottomMargin: 80
            text: Language.japanese ? KioskSession.storeNameJa : KioskSession.storeNameEn
            font.pixelSize: Theme.caption
            color: Theme.inkMuted
            horizontalAlignment: Text.AlignHCenter
        }
    }
}
