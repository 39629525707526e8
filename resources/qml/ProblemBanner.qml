import QtQuick
import PopTap.Kiosk

// Tells the shopper, plainly, why nothing happened and what to do.
Rectangle {
    id: banner
    property int problem: KioskSession.problem

    visible: problem !== KioskSession.None
    implicitHeight: message.implicitHeight + 2 * Theme.margin
    radius: Theme.radius
    color: Theme.warning

    Text {
        id: message
        objectName: "problemText"
        anchors.fill: parent
        anchors.margins: Theme.margin
        color: "white"
        font.pixelSize: Theme.body
        wrapMode: Text.WordWrap
        verticalAlignment: Text.AlignVCenter
        text: banner.problem === KioskSession.StorageFull
              ? qsTr("Registration is paused because the kiosk's storage is full. Please ask a staff member.")
              : KioskSession.screen === KioskSession.Product
                ? qsTr("That did not work. Please choose the size again.")
                : qsTr("That did not work. Please choose the brand again.")
    }
}
