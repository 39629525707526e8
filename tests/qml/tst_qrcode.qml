import QtQuick
import QtTest
import PopTap.Kiosk

TestCase {
    id: testCase
    name: "QrCode"
    when: windowShown
    visible: true // TestCase is hidden by default; the components under test must render
    width: 800
    height: 800

    readonly property string liffLink: "https://liff.line.me/2001234567-PopTapDm/r/EZjqTKwAAQAAAAEAAAAHawKRZBipNkj5Ir8uv-El"

    Component {
        id: qrComponent
        QrCode { width: 400; height: 400 }
    }

    function test_encodesALinkAsVersion5() {
        const qr = createTemporaryObject(qrComponent, testCase, { text: liffLink })
        verify(qr.valid)
        compare(qr.errorString, "")
        compare(qr.version, 5)
        compare(qr.moduleCount, 37)
    }

    function test_moduleSizeIsAWholeNumberOfPixels() {
        const qr = createTemporaryObject(qrComponent, testCase, { text: liffLink })
        // 37 modules + 2 × 4 quiet-zone modules = 45; floor(400 / 45) = 8
        compare(qr.modulePixels, 8)
        qr.width = 451; qr.height = 451
        compare(qr.modulePixels, 10)
        qr.width = 44; qr.height = 44
        compare(qr.modulePixels, 0) // too small to be crisp: draws nothing rather than a blur
    }

    function test_drawsSharpModulesWithAQuietZone() {
        const qr = createTemporaryObject(qrComponent, testCase, { text: liffLink, width: 450, height: 450 })
        waitForRendering(qr)
        const image = grabImage(qr)
        // 10 px modules, code centred: the quiet zone is the first 40 px, all light.
        for (let p = 0; p < 40; p += 3) {
            compare(image.pixel(p, 225), Qt.rgba(1, 1, 1, 1), "quiet zone at x=" + p)
            compare(image.pixel(225, p), Qt.rgba(1, 1, 1, 1), "quiet zone at y=" + p)
        }
        // The top-left finder pattern: a dark 7×7 ring from (40,40), light ring inside, dark 3×3 core.
        compare(image.pixel(40, 40), Qt.rgba(0, 0, 0, 1))
        compare(image.pixel(109, 109), Qt.rgba(0, 0, 0, 1))
        compare(image.pixel(55, 55), Qt.rgba(1, 1, 1, 1))
        compare(image.pixel(75, 75), Qt.rgba(0, 0, 0, 1))
        // A module is a uniform block: no anti-aliased grey at its edges.
        for (let x = 40; x < 110; ++x)
            compare(image.pixel(x, 44), Qt.rgba(0, 0, 0, 1), "edge pixel " + x)
        compare(image.pixel(110, 44), Qt.rgba(1, 1, 1, 1), "separator right after the finder")
    }

    function test_overLongLinkIsAnErrorState() {
        const qr = createTemporaryObject(qrComponent, testCase, { text: "https://liff.line.me/" + "a".repeat(400) })
        verify(!qr.valid)
        verify(qr.errorString.indexOf("too long") >= 0, qr.errorString)
        compare(qr.moduleCount, 0)
    }

    function test_emptyTextDrawsNothing() {
        const qr = createTemporaryObject(qrComponent, testCase, { text: "" })
        verify(!qr.valid)
        compare(qr.modulePixels, 0)
    }

    function test_changingTextReencodes() {
        const qr = createTemporaryObject(qrComponent, testCase, { text: "https://line.me/R/ti/p/%40poptap-demo" })
        const small = qr.moduleCount
        qr.text = liffLink
        verify(qr.moduleCount > small)
    }
}
