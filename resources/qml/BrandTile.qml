import QtQuick
import PopTap.Kiosk

// One brand in the grid: its logo and its name, one large touch target.
Rectangle {
    id: tile
    required property int brandId
    required property string nameJa
    required property string nameEn
    required property url logo
    signal chosen(int brandId)

    radius: Theme.radius
    color: tap.pressed ? Theme.divider : Theme.surface
    border.color: Theme.divider
    border.width: 2

    Column {
        anchors.centerIn: parent
        spacing: 12
        BrandLogo { anchors.horizontalCenter: parent.horizontalCenter; side: 200; source: tile.logo }
        Text {
            width: tile.width - 24
            text: Language.japanese ? tile.nameJa : tile.nameEn
            font.pixelSize: Theme.caption
            color: Theme.ink
            horizontalAlignment: Text.AlignHCenter
            elide: Text.ElideRight
        }
    }
    TapHandler {
        id: tap
        onTapped: tile.chosen(tile.brandId)
    }
}
