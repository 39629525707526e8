import QtQuick
import QtQuick.Layouts
import PopTap.Kiosk

// The store's POP stickers by brand: choose one and hold a blank sticker to the reader.
ColumnLayout {
    id: panel
    objectName: "popStickerList"
    spacing: 20

    readonly property bool writable: StaffMode.popLinkProblem === StaffMode.None

    Rectangle {
        objectName: "popLinkProblem"
        Layout.fillWidth: true
        visible: !panel.writable
        implicitHeight: problem.implicitHeight + 2 * 32
        radius: Theme.radius
        color: Theme.warning
        Text {
            id: problem
            anchors.fill: parent
            anchors.margins: 32
            text: StaffMode.popLinkProblem === StaffMode.NotLiff
                  ? qsTr("POP stickers cannot be written on this kiosk: its links do not use LIFF, and a sticker's link only works through the LIFF page. Set link-template to liff.")
                  : qsTr("POP stickers cannot be written: the catalog has no valid LIFF id.")
            font.pixelSize: Theme.caption
            font.bold: true
            color: "white"
            wrapMode: Text.WordWrap
        }
    }

    PermanentLockSwitch {
        Layout.fillWidth: true
        visible: panel.writable
        locked: StaffMode.permanentLock
        confirming: StaffMode.lockConfirmationPending
        onRequested: StaffMode.requestPermanentLock()
        onConfirmed: StaffMode.confirmPermanentLock()
        onDeclined: StaffMode.declinePermanentLock()
        onCleared: StaffMode.clearPermanentLock()
    }

    Text {
        Layout.fillWidth: true
        visible: list.count === 0
        text: qsTr("The catalog lists no POP stickers for this store.")
        font.pixelSize: Theme.body
        color: Theme.inkMuted
        wrapMode: Text.WordWrap
    }

    ListView {
        id: list
        objectName: "popList"
        Layout.fillWidth: true
        Layout.fillHeight: true
        clip: true
        spacing: 12
        model: StaffMode.pops
        section.property: Language.japanese ? "brandNameJa" : "brandNameEn"
        section.delegate: Text {
            required property string section
            width: ListView.view.width
            topPadding: 20
            bottomPadding: 8
            text: section
            font.pixelSize: Theme.body
            font.bold: true
            color: Theme.staffBand
            elide: Text.ElideRight
        }
        delegate: Rectangle {
            id: row
            required property int popId
            required property string label
            width: ListView.view.width
            height: Theme.touchTarget + 16
            radius: Theme.radius
            color: Theme.surface
            border.color: Theme.divider
            border.width: 2

            RowLayout {
                anchors.fill: parent
                anchors.leftMargin: 32
                anchors.rightMargin: 8
                spacing: 24
                ColumnLayout {
                    Layout.fillWidth: true
                    spacing: 2
                    Text {
                        Layout.fillWidth: true
                        text: row.label.length > 0 ? row.label : qsTr("No place given")
                        font.pixelSize: Theme.body
                        color: row.label.length > 0 ? Theme.ink : Theme.inkMuted
                        elide: Text.ElideRight
                    }
                    Text {
                        text: qsTr("POP %1").arg(row.popId)
                        font.pixelSize: Theme.caption
                        color: Theme.inkMuted
                    }
                }
                BigButton {
                    objectName: "write" + row.popId
                    implicitWidth: 300
                    fill: Theme.staffBand
                    fillDown: Qt.darker(Theme.staffBand, 1.3)
                    enabled: StaffMode.popLinkProblem === StaffMode.None
                    text: qsTr("Write")
                    onClicked: StaffMode.writePop(row.popId)
                }
            }
        }
    }
}
