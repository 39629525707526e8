import QtQuick
import QtQuick.Layouts
import PopTap.Kiosk

// Is the kiosk healthy? The reader, the link to the delivery service, the software: what
// staff check first, and what support asks for on the phone.
Rectangle {
    id: panel
    objectName: "staffStatusPanel"
    implicitHeight: grid.implicitHeight + 2 * 32
    radius: Theme.radius
    color: Theme.staffSurface

    readonly property string readerText: {
        switch (StaffMode.nfcStatus) {
        case "absent": return qsTr("No reader connected")
        case "ready": return qsTr("Ready")
        case "serving": return qsTr("Serving the code on screen")
        case "reading": return qsTr("Ready, reading cards")
        case "writing": return qsTr("Waiting for a sticker")
        case "error": return qsTr("Error")
        default: return StaffMode.nfcStatus
        }
    }
    readonly property bool readerProblem: StaffMode.nfcStatus === "absent" || StaffMode.nfcStatus === "error"

    GridLayout {
        id: grid
        anchors.fill: parent
        anchors.margins: 32
        columns: 2
        columnSpacing: 32
        rowSpacing: 16

        Text {
            text: qsTr("NFC reader")
            font.pixelSize: Theme.caption
            color: Theme.inkMuted
        }
        Text {
            objectName: "readerStatus"
            Layout.fillWidth: true
            text: StaffMode.nfcReason.length > 0 ? panel.readerText + " (" + StaffMode.nfcReason + ")" : panel.readerText
            font.pixelSize: Theme.caption
            font.bold: true
            color: panel.readerProblem ? Theme.warning : Theme.ink
            wrapMode: Text.WordWrap
        }

        Text {
            text: qsTr("Delivery service")
            font.pixelSize: Theme.caption
            color: Theme.inkMuted
        }
        ColumnLayout {
            Layout.fillWidth: true
            spacing: 4
            SyncMark {
                pixelSize: Theme.caption
                dotSize: 26
                muted: false
            }
            Text {
                objectName: "syncDetail"
                Layout.fillWidth: true
                // The engine's own words (a refusal, a network error) for support; the label
                // above already says all there is to "not enrolled yet".
                visible: text.length > 0 && SyncIndicator.state !== "not-enrolled"
                text: SyncIndicator.detail
                font.pixelSize: Theme.small
                color: Theme.inkMuted
                wrapMode: Text.WordWrap
                maximumLineCount: 3
                elide: Text.ElideRight
            }
        }

        Text {
            text: qsTr("Software")
            font.pixelSize: Theme.caption
            color: Theme.inkMuted
        }
        Text {
            objectName: "versions"
            Layout.fillWidth: true
            text: qsTr("Kiosk %1, catalog %2").arg(StaffMode.version).arg(StaffMode.catalogVersion)
            font.pixelSize: Theme.caption
            color: Theme.ink
            wrapMode: Text.WordWrap
        }
    }
}
