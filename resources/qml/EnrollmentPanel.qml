import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import PopTap.Kiosk

// Staff enroll the kiosk with the delivery service: the one-time code typed on the keypad,
// on a keyboard, by a barcode scanner that types it (and presses Enter), or held up to the
// kiosk's camera as a QR code. The sync engine
// answers; the status below follows it until the kiosk is enrolled or the code is refused.
ColumnLayout {
    id: panel
    objectName: "enrollmentPanel"
    spacing: 16

    function submit() {
        if (StaffMode.submitEnrollmentCode(field.text))
            field.clear()
    }
    // Put the cursor in the field when the panel shows, so a scanner's keystrokes land there.
    onVisibleChanged: if (visible && field.visible) field.forceActiveFocus()

    Text {
        Layout.fillWidth: true
        visible: !StaffMode.serviceConfigured
        text: qsTr("This kiosk works alone: no delivery service is configured (service-url in kiosk.conf).")
        font.pixelSize: Theme.body
        color: Theme.ink
        wrapMode: Text.WordWrap
    }
    Text {
        Layout.fillWidth: true
        visible: StaffMode.serviceConfigured && !StaffMode.canEnroll && StaffMode.enrollmentState === StaffMode.Idle
        text: qsTr("This kiosk is enrolled with the delivery service.")
        font.pixelSize: Theme.body
        font.bold: true
        color: Theme.ink
        wrapMode: Text.WordWrap
    }

    // What happened to the last code, where staff look after typing it; else what to type.
    Text {
        objectName: "enrollmentMessage"
        Layout.fillWidth: true
        visible: StaffMode.canEnroll || StaffMode.enrollmentState !== StaffMode.Idle
        text: {
            switch (StaffMode.enrollmentState) {
            case StaffMode.Malformed:
                return qsTr("That is not an enrollment code: it has 16 letters and digits, like 7KQ2-M9XD-4PRT-W3HF.")
            case StaffMode.Submitted: return qsTr("Sending the code to the delivery service…")
            case StaffMode.Enrolled: return qsTr("Enrolled. Registrations now reach the delivery service.")
            case StaffMode.Refused: return qsTr("The delivery service refused the code: %1").arg(StaffMode.enrollmentReason)
            default: return qsTr("Enter the enrollment code from “poptap-deliveryctl enrollment create”.")
            }
        }
        font.pixelSize: StaffMode.enrollmentState === StaffMode.Idle ? Theme.caption : Theme.body
        font.bold: StaffMode.enrollmentState !== StaffMode.Idle
        color: {
            switch (StaffMode.enrollmentState) {
            case StaffMode.Enrolled: return Theme.lineGreenDark
            case StaffMode.Malformed:
            case StaffMode.Refused: return Theme.warning
            default: return Theme.ink
            }
        }
        wrapMode: Text.WordWrap
        maximumLineCount: 4
        elide: Text.ElideRight
    }

    ColumnLayout {
        Layout.fillWidth: true
        visible: StaffMode.canEnroll
        spacing: 16

        TextField {
            id: field
            objectName: "enrollmentField"
            Layout.fillWidth: true
            implicitHeight: Theme.touchTarget
            font.pixelSize: Theme.title
            font.letterSpacing: 4
            font.capitalization: Font.AllUppercase
            horizontalAlignment: TextInput.AlignHCenter
            placeholderText: "XXXX-XXXX-XXXX-XXXX"
            maximumLength: 32
            // Letters and digits in upper case, nothing to predict or correct: a code, not a word.
            inputMethodHints: Qt.ImhPreferUppercase | Qt.ImhNoPredictiveText | Qt.ImhNoAutoUppercase
                              | Qt.ImhSensitiveData
            onAccepted: panel.submit()
            onTextEdited: StaffMode.noteActivity()
        }
        RowLayout {
            Layout.fillWidth: true
            visible: KioskSession.cameraAvailable
            spacing: 24
            Viewfinder {
                objectName: "enrollmentViewfinder"
                implicitWidth: 320
                implicitHeight: 180
                videoSink: visible ? KioskSession.videoSink : null
            }
            Text {
                Layout.fillWidth: true
                text: qsTr("Or hold the code's QR code up to the camera.")
                font.pixelSize: Theme.caption
                color: Theme.ink
                wrapMode: Text.WordWrap
            }
        }
        CodeKeypad {
            Layout.alignment: Qt.AlignHCenter
            onTyped: (character) => field.insert(field.cursorPosition, character)
            onErased: if (field.cursorPosition > 0) field.remove(field.cursorPosition - 1, field.cursorPosition)
            onCleared: field.clear()
        }
        BigButton {
            objectName: "enrollButton"
            Layout.fillWidth: true
            fill: Theme.staffBand
            fillDown: Qt.darker(Theme.staffBand, 1.3)
            enabled: field.text.length > 0 && StaffMode.enrollmentState !== StaffMode.Submitted
            text: qsTr("Enroll this kiosk")
            onClicked: panel.submit()
        }
    }
    Item { Layout.fillHeight: true }
}
