import QtQuick
import QtQuick.Layouts
import PopTap.Kiosk

// Staff mode: the kiosk's health, POP stickers to write, the enrollment code. Under a band
// in the staff colour, so nobody takes it for a shopper screen.
Rectangle {
    id: screen
    objectName: "staffScreen"
    color: Theme.background

    // Which panel shows; it opens on enrollment when the kiosk still needs a code.
    property int panel: 0
    Component.onCompleted: panel = StaffMode.canEnroll ? 1 : 0

    Rectangle {
        id: band
        objectName: "staffBand"
        anchors.left: parent.left
        anchors.right: parent.right
        height: 184 // room for the language toggle, which Main.qml keeps on top
        color: Theme.staffBand
        Text {
            anchors.left: parent.left
            anchors.verticalCenter: parent.verticalCenter
            anchors.leftMargin: Theme.margin
            text: qsTr("Staff mode")
            font.pixelSize: Theme.headline
            font.bold: true
            color: "white"
        }
    }

    ColumnLayout {
        anchors.top: band.bottom
        anchors.left: parent.left
        anchors.right: parent.right
        anchors.bottom: parent.bottom
        anchors.margins: Theme.margin
        anchors.topMargin: 32
        spacing: 20

        StaffStatusPanel { Layout.fillWidth: true }

        RowLayout {
            Layout.fillWidth: true
            spacing: 24
            BigButton {
                objectName: "popTab"
                Layout.fillWidth: true
                implicitWidth: 200
                primary: screen.panel === 0
                fill: Theme.staffBand
                fillDown: Qt.darker(Theme.staffBand, 1.3)
                text: qsTr("POP stickers")
                onClicked: screen.panel = 0
            }
            BigButton {
                objectName: "enrollmentTab"
                Layout.fillWidth: true
                implicitWidth: 200
                primary: screen.panel === 1
                fill: Theme.staffBand
                fillDown: Qt.darker(Theme.staffBand, 1.3)
                text: qsTr("Enrollment")
                onClicked: screen.panel = 1
            }
        }

        StackLayout {
            Layout.fillWidth: true
            Layout.fillHeight: true
            currentIndex: screen.panel
            PopStickerList {}
            EnrollmentPanel {}
        }

        BigButton {
            objectName: "exitStaffMode"
            Layout.fillWidth: true
            primary: false
            text: qsTr("Exit staff mode")
            onClicked: StaffMode.exit()
        }
    }

    StickerWritePanel {
        anchors.top: band.bottom
        anchors.left: parent.left
        anchors.right: parent.right
        anchors.bottom: parent.bottom
    }
}
