pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts

// The enrollment code's characters as keys, for a touch screen with no keyboard: Crockford
// base 32 (no I, L, O or U), the alphabet poptap-deliveryctl prints codes in.
ColumnLayout {
    id: keypad
    objectName: "codeKeypad"
    signal typed(string character)
    signal erased()
    signal cleared()

    readonly property var keys: "0123456789ABCDEFGHJKMNPQRSTVWXYZ".split("")
    property int keyWidth: 114
    property int keyHeight: 88

    spacing: 10

    component Key: Button {
        id: key
        focusPolicy: Qt.NoFocus // the code field keeps the focus, and with it the cursor
        font.pixelSize: Theme.body
        font.bold: true
        contentItem: Text {
            text: key.text
            font: key.font
            color: Theme.ink
            horizontalAlignment: Text.AlignHCenter
            verticalAlignment: Text.AlignVCenter
        }
        background: Rectangle {
            radius: 16
            color: key.down ? Theme.divider : Theme.surface
            border.color: Theme.ink
            border.width: 2
        }
    }

    Grid {
        columns: 8
        spacing: keypad.spacing
        Repeater {
            model: keypad.keys
            delegate: Key {
                id: letter
                required property string modelData
                implicitWidth: keypad.keyWidth
                implicitHeight: keypad.keyHeight
                objectName: "key" + letter.modelData
                text: letter.modelData
                onClicked: keypad.typed(letter.modelData)
            }
        }
    }
    RowLayout {
        Layout.fillWidth: true
        spacing: keypad.spacing
        Key {
            objectName: "keyErase"
            Layout.fillWidth: true
            implicitHeight: keypad.keyHeight
            text: qsTr("Delete")
            onClicked: keypad.erased()
        }
        Key {
            objectName: "keyClear"
            Layout.fillWidth: true
            implicitHeight: keypad.keyHeight
            text: qsTr("Clear")
            onClicked: keypad.cleared()
        }
    }
}
