import QtQuick
import QtTest
import PopTap.Kiosk
import PopTap.Ui

TestCase {
    id: testCase
    name: "LanguageToggle"
    when: windowShown
    visible: true // TestCase is hidden by default; the components under test must render
    width: 600
    height: 300

    Component {
        id: toggleComponent
        LanguageToggle {}
    }

    function cleanup() { Language.current = "ja" }

    function test_showsTheOtherLanguageAndSwitches() {
        const toggle = createTemporaryObject(toggleComponent, testCase)
        compare(Language.current, "ja")
        compare(toggle.text, "English")
        mouseClick(toggle)
        compare(Language.current, "en")
        compare(toggle.text, "日本語")
        mouseClick(toggle)
        compare(Language.current, "ja")
    }

    function test_isALargeTouchTarget() {
        const toggle = createTemporaryObject(toggleComponent, testCase)
        verify(toggle.height >= 96, "height " + toggle.height)
        verify(toggle.width >= 240, "width " + toggle.width)
    }

    function test_unknownLanguageIsRefused() {
        ignoreWarning(/no translation built in for "fr"/)
        verify(!Language.setCurrent("fr"))
        compare(Language.current, "ja")
    }
}
