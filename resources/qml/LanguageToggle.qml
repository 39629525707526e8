import QtQuick
import QtQuick.Controls
import PopTap.Kiosk

// Switches between Japanese and English; shows the name of the other language.
BigButton {
    primary: false
    implicitWidth: 300
    implicitHeight: 104
    font.pixelSize: Theme.caption
    //: Label of the language toggle: the name of the OTHER language, written in that language.
    text: qsTr("Language")
    onClicked: Language.toggle()
}
