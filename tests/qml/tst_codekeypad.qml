import QtQuick
import QtTest
import PopTap.Ui

// The enrollment keypad types exactly the code alphabet, in keys staff can hit.
TestCase {
    id: testCase
    name: "CodeKeypad"
    when: windowShown
    visible: true
    width: 1080
    height: 700

    Component {
        id: keypadComponent
        CodeKeypad {}
    }
    Component {
        id: spyComponent
        SignalSpy {}
    }

    function test_hasTheCrockfordAlphabetOnly() {
        const keypad = createTemporaryObject(keypadComponent, testCase)
        compare(keypad.keys.length, 32)
        for (const missing of ["I", "L", "O", "U"])
            verify(findChild(keypad, "key" + missing) === null, missing + " is not in the alphabet")
        for (const present of ["0", "9", "A", "H", "Z"])
            verify(findChild(keypad, "key" + present) !== null, present)
    }

    function test_keysTypeEraseAndClear() {
        const keypad = createTemporaryObject(keypadComponent, testCase)
        const typed = createTemporaryObject(spyComponent, testCase, {target: keypad, signalName: "typed"})
        const erased = createTemporaryObject(spyComponent, testCase, {target: keypad, signalName: "erased"})
        const cleared = createTemporaryObject(spyComponent, testCase, {target: keypad, signalName: "cleared"})
        mouseClick(findChild(keypad, "key7"))
        mouseClick(findChild(keypad, "keyK"))
        compare(typed.count, 2)
        compare(typed.signalArguments[0][0], "7")
        compare(typed.signalArguments[1][0], "K")
        mouseClick(findChild(keypad, "keyErase"))
        compare(erased.count, 1)
        mouseClick(findChild(keypad, "keyClear"))
        compare(cleared.count, 1)
        compare(typed.count, 2)
    }

    function test_keysAreTouchTargetsThatFitThePortraitScreen() {
        const keypad = createTemporaryObject(keypadComponent, testCase)
        const key = findChild(keypad, "keyA")
        verify(key.width >= 100 && key.height >= 80, key.width + "x" + key.height)
        verify(keypad.implicitWidth <= 1080 - 2 * 48, "keypad " + keypad.implicitWidth + " px wide")
    }
}
