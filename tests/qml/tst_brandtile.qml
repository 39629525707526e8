import QtQuick
import QtTest
import PopTap.Kiosk
import PopTap.Ui

TestCase {
    id: testCase
    name: "BrandTile"
    when: windowShown
    visible: true // TestCase is hidden by default; the components under test must render
    width: 400
    height: 400

    Component {
        id: tileComponent
        BrandTile {
            width: 320; height: 300
            brandId: 7
            nameJa: "ヤマビコ マウンテン"
            nameEn: "Yamabiko Mountain"
            logo: "qrc:/qt/qml/PopTap/Ui/catalog/logos/yamabiko-mountain.svg"
        }
    }
    SignalSpy { id: chosenSpy; signalName: "chosen" }

    function cleanup() { Language.current = "ja" }

    function findText(item, text) {
        if (item.text === text)
            return item
        for (let i = 0; i < item.children.length; ++i) {
            const found = findText(item.children[i], text)
            if (found)
                return found
        }
        return null
    }

    function test_tapChoosesTheBrand() {
        const tile = createTemporaryObject(tileComponent, testCase)
        chosenSpy.target = tile
        chosenSpy.clear()
        mouseClick(tile)
        compare(chosenSpy.count, 1)
        compare(chosenSpy.signalArguments[0][0], 7)
    }

    function test_nameFollowsTheLanguage() {
        const tile = createTemporaryObject(tileComponent, testCase)
        verify(findText(tile, "ヤマビコ マウンテン") !== null)
        Language.current = "en"
        verify(findText(tile, "Yamabiko Mountain") !== null)
    }

    function test_logoIsLoadedFromTheBuiltInCatalog() {
        const tile = createTemporaryObject(tileComponent, testCase)
        waitForRendering(tile)
        const image = grabImage(tile)
        // The logo (200 px, centred above the name) has a navy background square:
        // its corners are dark, where the tile itself is white.
        const logoTop = (tile.height - (200 + 12 + 40)) / 2
        for (const [x, y] of [[66, logoTop + 6], [254, logoTop + 6], [66, logoTop + 194]]) {
            const c = image.pixel(x, y)
            verify(c.r < 0.4 && c.g < 0.4 && c.b < 0.6, "logo pixel at " + x + "," + y + " is " + c)
        }
        compare(image.pixel(10, 10), Qt.rgba(1, 1, 1, 1), "tile background")
    }
}
