<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en_US" sourcelanguage="en">
<context>
    <name>AttractScreen</name>
    <message>
        <source>Get new arrivals from your favourite brands on LINE</source>
        <translation>Get new arrivals from your favourite brands on LINE</translation>
    </message>
    <message>
        <source>No membership, no sign-up. Two touches and you are done.</source>
        <translation>No membership, no sign-up. Two touches and you are done.</translation>
    </message>
    <message>
        <source>Touch to start</source>
        <translation>Touch to start</translation>
    </message>
</context>
<context>
    <name>BrandGridScreen</name>
    <message>
        <source>Choose a brand</source>
        <translation>Choose a brand</translation>
    </message>
    <message>
        <source>We will send you its new arrivals on LINE.</source>
        <translation>We will send you its new arrivals on LINE.</translation>
    </message>
    <message>
        <source>Back</source>
        <translation>Back</translation>
    </message>
</context>
<context>
    <name>CodeScreen</name>
    <message>
        <source>Scan the code with your phone&apos;s camera, or tap your phone on the mark below.</source>
        <translation>Scan the code with your phone&apos;s camera, or tap your phone on the mark below.</translation>
    </message>
    <message>
        <source>This code cannot be shown. Please ask a staff member.</source>
        <translation>This code cannot be shown. Please ask a staff member.</translation>
    </message>
    <message>
        <source>Then tap “Allow” in LINE. That&apos;s all.</source>
        <translation>Then tap “Allow” in LINE. That&apos;s all.</translation>
    </message>
    <message numerus="yes">
        <source>%n second(s) left</source>
        <translation>
            <numerusform>%n second left</numerusform>
            <numerusform>%n seconds left</numerusform>
        </translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Cancel</translation>
    </message>
</context>
<context>
    <name>DoneScreen</name>
    <message>
        <source>Check your phone</source>
        <translation>Check your phone</translation>
    </message>
    <message>
        <source>Tap “Allow” in LINE and new arrivals from %1 will reach you there.</source>
        <translation>Tap “Allow” in LINE and new arrivals from %1 will reach you there.</translation>
    </message>
    <message>
        <source>Done</source>
        <translation>Done</translation>
    </message>
</context>
<context>
    <name>LanguageToggle</name>
    <message>
        <source>Language</source>
        <extracomment>Label of the language toggle: the name of the OTHER language, written in that language.</extracomment>
        <translation>日本語</translation>
    </message>
</context>
<context>
    <name>Main</name>
    <message>
        <source>PopTap kiosk</source>
        <translation>PopTap kiosk</translation>
    </message>
</context>
<context>
    <name>NfcCue</name>
    <message>
        <source>Tap your phone here</source>
        <translation>Tap your phone here</translation>
    </message>
</context>
<context>
    <name>ProblemBanner</name>
    <message>
        <source>Registration is paused because the kiosk&apos;s storage is full. Please ask a staff member.</source>
        <translation>Registration is paused because the kiosk&apos;s storage is full. Please ask a staff member.</translation>
    </message>
    <message>
        <source>That did not work. Please choose the brand again.</source>
        <translation>That did not work. Please choose the brand again.</translation>
    </message>
</context>
<context>
    <name>SyncMark</name>
    <message>
        <source>Synced</source>
        <translation>Synced</translation>
    </message>
    <message numerus="yes">
        <source>Sending %n</source>
        <comment>registrations being sent</comment>
        <translation>
            <numerusform>Sending %n</numerusform>
            <numerusform>Sending %n</numerusform>
        </translation>
    </message>
    <message>
        <source>Syncing</source>
        <translation>Syncing</translation>
    </message>
    <message numerus="yes">
        <source>%n waiting to send</source>
        <comment>registrations kept on the kiosk</comment>
        <translation>
            <numerusform>%n waiting to send</numerusform>
            <numerusform>%n waiting to send</numerusform>
        </translation>
    </message>
    <message>
        <source>Reconnecting</source>
        <translation>Reconnecting</translation>
    </message>
    <message>
        <source>Enrolling</source>
        <translation>Enrolling</translation>
    </message>
    <message>
        <source>Enrollment code needed</source>
        <translation>Enrollment code needed</translation>
    </message>
    <message>
        <source>Enrollment refused</source>
        <translation>Enrollment refused</translation>
    </message>
    <message>
        <source>Re-enrollment needed</source>
        <translation>Re-enrollment needed</translation>
    </message>
    <message>
        <source>Standalone</source>
        <translation>Standalone</translation>
    </message>
</context>
</TS>
