import QtQuick
import QtTest
import PopTap.Kiosk
import PopTap.Ui

// The permanent-lock switch asks, it does not decide: turning it on only requests the lock,
// and the confirmation (which says it cannot be undone) answers. StaffMode, which holds
// the state, is tested in staffmodetest; this is the component's side of the contract.
TestCase {
    id: testCase
    name: "PermanentLockSwitch"
    when: windowShown
    visible: true
    width: 1080
    height: 1200

    Component {
        id: switchComponent
        PermanentLockSwitch { width: 900 }
    }
    Component {
        id: spyComponent
        SignalSpy {}
    }

    function spyOn(target, signalName) {
        return createTemporaryObject(spyComponent, testCase, {target: target, signalName: signalName})
    }

    function test_turningItOnOnlyAsks() {
        const control = createTemporaryObject(switchComponent, testCase)
        const toggle = findChild(control, "lockToggle")
        const requested = spyOn(control, "requested")
        const dialog = findChild(control, "lockConfirmation")
        verify(!dialog.visible)

        mouseClick(toggle)
        compare(requested.count, 1)
        verify(!toggle.checked, "the switch turned itself on")

        // StaffMode asks for confirmation: the dialog shows, the switch is still off.
        control.confirming = true
        tryVerify(() => dialog.opened)
        verify(!toggle.checked)
    }

    function test_theDialogSaysItCannotBeUndoneAndAnswers() {
        const control = createTemporaryObject(switchComponent, testCase, {confirming: true})
        const dialog = findChild(control, "lockConfirmation")
        tryVerify(() => dialog.opened)
        const confirmed = spyOn(control, "confirmed")
        const declined = spyOn(control, "declined")
        const texts = []
        const children = dialog.contentItem.children
        for (let i = 0; i < children.length; ++i)
            if (children[i].text !== undefined)
                texts.push(children[i].text)
        verify(texts.some(t => t.indexOf("取り消せません") >= 0), texts.join(" | "))

        mouseClick(findChild(dialog.contentItem, "keepUnlocked"))
        compare(declined.count, 1)
        compare(confirmed.count, 0)
        mouseClick(findChild(dialog.contentItem, "lockPermanently"))
        compare(confirmed.count, 1)

        // StaffMode confirms: the dialog goes, the switch shows the lock.
        control.confirming = false
        control.locked = true
        tryVerify(() => !dialog.visible)
        verify(findChild(control, "lockToggle").checked)
    }

    function test_turningItOffClearsAtOnce() {
        const control = createTemporaryObject(switchComponent, testCase, {locked: true})
        const cleared = spyOn(control, "cleared")
        const requested = spyOn(control, "requested")
        mouseClick(findChild(control, "lockToggle"))
        compare(cleared.count, 1)
        compare(requested.count, 0)
        verify(!findChild(control, "lockConfirmation").visible) // no question for the safe way
    }

    function test_isALargeTouchTarget() {
        const toggle = findChild(createTemporaryObject(switchComponent, testCase), "lockToggle")
        verify(toggle.width >= 140, "width " + toggle.width)
        verify(toggle.height >= 96, "height " + toggle.height)
    }
}
