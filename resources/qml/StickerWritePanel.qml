import QtQuick
import QtQuick.Layouts
import PopTap.Kiosk

// One sticker being written: "hold a blank sticker to the reader", then what happened.
// Covers the staff screen below the band while a write is waiting or its result is shown.
Rectangle {
    id: panel
    objectName: "stickerWritePanel"
    visible: StaffMode.writeState !== StaffMode.Idle
    color: Theme.background

    readonly property string popName: {
        const brand = Language.japanese ? StaffMode.writingBrandNameJa : StaffMode.writingBrandNameEn
        return StaffMode.writingPopLabel.length > 0 ? brand + " · " + StaffMode.writingPopLabel : brand
    }

    MouseArea { anchors.fill: parent } // nothing behind it takes a touch meanwhile

    ColumnLayout {
        anchors.fill: parent
        anchors.margins: Theme.margin
        spacing: 32

        Text {
            objectName: "writeTitle"
            Layout.fillWidth: true
            text: {
                switch (StaffMode.writeState) {
                case StaffMode.Waiting: return qsTr("Hold a blank sticker to the reader")
                case StaffMode.Written: return qsTr("Sticker written")
                default: return qsTr("The sticker was not written")
                }
            }
            font.pixelSize: Theme.headline
            font.bold: true
            color: StaffMode.writeState === StaffMode.Failed ? Theme.warning
                 : StaffMode.writeState === StaffMode.Written ? Theme.lineGreenDark : Theme.ink
            wrapMode: Text.WordWrap
        }
        Text {
            Layout.fillWidth: true
            text: panel.popName + "\n" + qsTr("POP %1").arg(StaffMode.writingPopId)
            font.pixelSize: Theme.body
            color: Theme.ink
            wrapMode: Text.WordWrap
        }

        // Waiting: what will happen to the sticker.
        Text {
            Layout.fillWidth: true
            visible: StaffMode.writeState === StaffMode.Waiting
            text: StaffMode.writingLocks
                  ? qsTr("The sticker will be locked permanently after writing.")
                  : qsTr("Keep it still on the reader until this screen says it is written.")
            font.pixelSize: Theme.body
            font.bold: StaffMode.writingLocks
            color: StaffMode.writingLocks ? Theme.warning : Theme.ink
            wrapMode: Text.WordWrap
        }
        // Written: what is on it now.
        Text {
            objectName: "writtenTag"
            Layout.fillWidth: true
            visible: StaffMode.writeState === StaffMode.Written
            text: StaffMode.lastWrittenLocked ? qsTr("%1, locked permanently").arg(StaffMode.lastWrittenTagType)
                                              : qsTr("%1, not locked").arg(StaffMode.lastWrittenTagType)
            font.pixelSize: Theme.body
            color: Theme.ink
        }
        // Failed: why, in the reader's words.
        Text {
            objectName: "writeReason"
            Layout.fillWidth: true
            visible: StaffMode.writeState === StaffMode.Failed
            text: StaffMode.writeReason
            font.pixelSize: Theme.body
            color: Theme.warning
            wrapMode: Text.WordWrap
        }
        Text {
            objectName: "writeLink"
            Layout.fillWidth: true
            text: StaffMode.writeState === StaffMode.Written ? StaffMode.lastWrittenLink : StaffMode.writingLink
            font.pixelSize: Theme.caption
            font.family: "monospace"
            color: Theme.inkMuted
            wrapMode: Text.WrapAnywhere
        }

        Item {
            Layout.fillWidth: true
            Layout.fillHeight: true
            StickerCue {
                anchors.centerIn: parent
                visible: StaffMode.writeState === StaffMode.Waiting
            }
        }

        RowLayout {
            Layout.fillWidth: true
            spacing: 24
            BigButton {
                objectName: "cancelWrite"
                Layout.fillWidth: true
                visible: StaffMode.writeState === StaffMode.Waiting
                primary: false
                text: qsTr("Cancel")
                onClicked: StaffMode.cancelWrite()
            }
            BigButton {
                objectName: "retryWrite"
                Layout.fillWidth: true
                visible: StaffMode.writeState === StaffMode.Failed
                fill: Theme.staffBand
                fillDown: Qt.darker(Theme.staffBand, 1.3)
                text: qsTr("Try again")
                onClicked: StaffMode.writePop(StaffMode.writingPopId)
            }
            BigButton {
                objectName: "dismissWrite"
                Layout.fillWidth: true
                visible: StaffMode.writeState === StaffMode.Written || StaffMode.writeState === StaffMode.Failed
                primary: StaffMode.writeState === StaffMode.Written
                fill: Theme.staffBand
                fillDown: Qt.darker(Theme.staffBand, 1.3)
                text: qsTr("Back to the list")
                onClicked: StaffMode.dismissWriteResult()
            }
        }
    }
}
