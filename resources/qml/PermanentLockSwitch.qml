import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import PopTap.Kiosk

// The permanent lock for POP stickers, asked for twice: the switch asks, then a dialog says
// that it cannot be undone. The component owns no state: `locked` and `confirming` come
// from StaffMode, and the signals go back to it.
Item {
    id: control
    objectName: "permanentLockSwitch"
    property bool locked: false
    property bool confirming: false
    signal requested()
    signal confirmed()
    signal declined()
    signal cleared()

    implicitWidth: row.implicitWidth
    implicitHeight: Math.max(Theme.touchTarget, row.implicitHeight)

    RowLayout {
        id: row
        anchors.fill: parent
        spacing: 28

        Switch {
            id: toggle
            objectName: "lockToggle"
            checked: control.locked
            focusPolicy: Qt.NoFocus
            // The style sizes a switch for its own small indicator; this one is a touch target.
            implicitWidth: 140 + leftPadding + rightPadding
            implicitHeight: Theme.touchTarget
            // The switch only asks: StaffMode decides, and `checked` follows it back.
            onToggled: {
                if (checked)
                    control.requested()
                else
                    control.cleared()
                checked = Qt.binding(() => control.locked)
            }
            contentItem: Item {}
            indicator: Rectangle {
                implicitWidth: 140
                implicitHeight: 76
                x: toggle.leftPadding
                y: (toggle.height - height) / 2
                radius: height / 2
                color: toggle.checked ? Theme.warning : Theme.divider
                border.color: Theme.ink
                border.width: 3
                Rectangle {
                    width: parent.height - 16
                    height: width
                    radius: width / 2
                    x: toggle.checked ? parent.width - width - 8 : 8
                    anchors.verticalCenter: parent.verticalCenter
                    color: "white"
                    border.color: Theme.ink
                    border.width: 2
                }
            }
        }
        ColumnLayout {
            Layout.fillWidth: true
            spacing: 4
            Text {
                Layout.fillWidth: true
                text: qsTr("Lock stickers permanently")
                font.pixelSize: Theme.body
                font.bold: true
                color: Theme.ink
                wrapMode: Text.WordWrap
            }
            Text {
                Layout.fillWidth: true
                text: control.locked ? qsTr("On: nobody can change these stickers afterwards.")
                                     : qsTr("Off: the sticker can be written again later.")
                font.pixelSize: Theme.caption
                color: control.locked ? Theme.warning : Theme.inkMuted
                wrapMode: Text.WordWrap
            }
        }
    }

    Popup {
        id: confirmation
        objectName: "lockConfirmation"
        parent: Overlay.overlay
        anchors.centerIn: parent
        width: parent ? Math.min(940, parent.width - 2 * Theme.margin) : 940
        modal: true
        closePolicy: Popup.NoAutoClose
        visible: control.confirming
        padding: Theme.margin
        background: Rectangle {
            radius: Theme.radius
            color: Theme.surface
            border.color: Theme.warning
            border.width: 6
        }
        contentItem: ColumnLayout {
            spacing: 32
            Text {
                Layout.fillWidth: true
                text: qsTr("Lock stickers permanently?")
                font.pixelSize: Theme.title
                font.bold: true
                color: Theme.warning
                wrapMode: Text.WordWrap
            }
            Text {
                Layout.fillWidth: true
                text: qsTr("A locked sticker can never be written again, not even by staff. This cannot be undone.")
                font.pixelSize: Theme.body
                color: Theme.ink
                wrapMode: Text.WordWrap
            }
            RowLayout {
                Layout.fillWidth: true
                spacing: 24
                BigButton {
                    objectName: "keepUnlocked"
                    Layout.fillWidth: true
                    implicitWidth: 200
                    primary: false
                    text: qsTr("Keep unlocked")
                    onClicked: control.declined()
                }
                BigButton {
                    objectName: "lockPermanently"
                    Layout.fillWidth: true
                    implicitWidth: 200
                    fill: Theme.warning
                    fillDown: Qt.darker(Theme.warning, 1.3)
                    text: qsTr("Lock permanently")
                    onClicked: control.confirmed()
                }
            }
        }
    }
}
