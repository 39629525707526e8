import QtQuick
import PopTap.Kiosk

// A small mark for staff: does the delivery service hold every registration yet? Calm for
// shoppers: muted, in a corner, never a dialog. The automation "state" has the details.
Row {
    id: mark
    objectName: "syncMark"
    // The corner mark is small and muted; the staff screen shows it large.
    property int pixelSize: Theme.small
    property int dotSize: 18
    property bool muted: true

    spacing: Math.round(dotSize * 0.55)
    opacity: muted ? 0.75 : 1

    readonly property string label: {
        const n = SyncIndicator.unsynced
        switch (SyncIndicator.state) {
        case "synced": return qsTr("Synced")
        case "syncing": return n > 0 ? qsTr("Sending %n", "registrations being sent", n) : qsTr("Syncing")
        case "retrying": return n > 0 ? qsTr("%n waiting to send", "registrations kept on the kiosk", n)
                                      : qsTr("Reconnecting")
        case "enrolling": return qsTr("Enrolling")
        case "not-enrolled": return qsTr("Enrollment code needed")
        case "enrollment-refused": return qsTr("Enrollment refused")
        case "reenrollment-needed": return qsTr("Re-enrollment needed")
        default: return qsTr("Standalone")
        }
    }
    Accessible.role: Accessible.StaticText
    Accessible.name: label

    Rectangle {
        objectName: "syncDot"
        width: mark.dotSize
        height: width
        radius: width / 2
        anchors.verticalCenter: parent.verticalCenter
        color: {
            switch (SyncIndicator.level) {
            case SyncIndicator.Ok: return Theme.lineGreen
            case SyncIndicator.Busy: return Theme.caution
            case SyncIndicator.Attention: return Theme.warning
            default: return Theme.divider
            }
        }
    }
    Text {
        objectName: "syncLabel"
        text: mark.label
        font.pixelSize: mark.pixelSize
        color: mark.muted ? Theme.inkMuted : Theme.ink
    }
}
