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
    <message>
        <source>New arrivals from a brand</source>
        <translation>New arrivals from a brand</translation>
    </message>
    <message>
        <source>Tell me when my size is back</source>
        <translation>Tell me when my size is back</translation>
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
    <name>CodeKeypad</name>
    <message>
        <source>Delete</source>
        <translation>Delete</translation>
    </message>
    <message>
        <source>Clear</source>
        <translation>Clear</translation>
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
    <message>
        <source>when it is back in this store</source>
        <translation>when it is back in this store</translation>
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
    <message>
        <source>Tap “Allow” in LINE and we will tell you there when %1 (%2) is back in this store.</source>
        <translation>Tap “Allow” in LINE and we will tell you there when %1 (%2) is back in this store.</translation>
    </message>
</context>
<context>
    <name>EnrollmentPanel</name>
    <message>
        <source>This kiosk works alone: no delivery service is configured (service-url in kiosk.conf).</source>
        <translation>This kiosk works alone: no delivery service is configured (service-url in kiosk.conf).</translation>
    </message>
    <message>
        <source>This kiosk is enrolled with the delivery service.</source>
        <translation>This kiosk is enrolled with the delivery service.</translation>
    </message>
    <message>
        <source>That is not an enrollment code: it has 16 letters and digits, like 7KQ2-M9XD-4PRT-W3HF.</source>
        <translation>That is not an enrollment code: it has 16 letters and digits, like 7KQ2-M9XD-4PRT-W3HF.</translation>
    </message>
    <message>
        <source>Sending the code to the delivery service…</source>
        <translation>Sending the code to the delivery service…</translation>
    </message>
    <message>
        <source>Enrolled. Registrations now reach the delivery service.</source>
        <translation>Enrolled. Registrations now reach the delivery service.</translation>
    </message>
    <message>
        <source>The delivery service refused the code: %1</source>
        <translation>The delivery service refused the code: %1</translation>
    </message>
    <message>
        <source>Enter the enrollment code from “poptap-deliveryctl enrollment create”.</source>
        <translation>Enter the enrollment code from “poptap-deliveryctl enrollment create”.</translation>
    </message>
    <message>
        <source>Enroll this kiosk</source>
        <translation>Enroll this kiosk</translation>
    </message>
    <message>
        <source>Or hold the code&apos;s QR code up to the camera.</source>
        <translation>Or hold the code&apos;s QR code up to the camera.</translation>
    </message>
</context>
<context>
    <name>InStockScreen</name>
    <message>
        <source>Good news: it is in stock in this store</source>
        <translation>Good news: it is in stock in this store</translation>
    </message>
    <message>
        <source>Please look on the shelf or ask a staff member.</source>
        <translation>Please look on the shelf or ask a staff member.</translation>
    </message>
    <message>
        <source>Choose another size</source>
        <translation>Choose another size</translation>
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
    <name>NotFoundScreen</name>
    <message>
        <source>We could not find this item</source>
        <translation>We could not find this item</translation>
    </message>
    <message>
        <source>Some items cannot be found by their barcode. You can find it by brand instead.</source>
        <translation>Some items cannot be found by their barcode. You can find it by brand instead.</translation>
    </message>
    <message>
        <source>Find it by brand</source>
        <translation>Find it by brand</translation>
    </message>
    <message>
        <source>Scan again</source>
        <translation>Scan again</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Cancel</translation>
    </message>
</context>
<context>
    <name>PermanentLockSwitch</name>
    <message>
        <source>Lock stickers permanently</source>
        <translation>Lock stickers permanently</translation>
    </message>
    <message>
        <source>On: nobody can change these stickers afterwards.</source>
        <translation>On: nobody can change these stickers afterwards.</translation>
    </message>
    <message>
        <source>Off: the sticker can be written again later.</source>
        <translation>Off: the sticker can be written again later.</translation>
    </message>
    <message>
        <source>Lock stickers permanently?</source>
        <translation>Lock stickers permanently?</translation>
    </message>
    <message>
        <source>A locked sticker can never be written again, not even by staff. This cannot be undone.</source>
        <translation>A locked sticker can never be written again, not even by staff. This cannot be undone.</translation>
    </message>
    <message>
        <source>Keep unlocked</source>
        <translation>Keep unlocked</translation>
    </message>
    <message>
        <source>Lock permanently</source>
        <translation>Lock permanently</translation>
    </message>
</context>
<context>
    <name>PopStickerList</name>
    <message>
        <source>POP stickers cannot be written on this kiosk: its links do not use LIFF, and a sticker&apos;s link only works through the LIFF page. Set link-template to liff.</source>
        <translation>POP stickers cannot be written on this kiosk: its links do not use LIFF, and a sticker&apos;s link only works through the LIFF page. Set link-template to liff.</translation>
    </message>
    <message>
        <source>POP stickers cannot be written: the catalog has no valid LIFF id.</source>
        <translation>POP stickers cannot be written: the catalog has no valid LIFF id.</translation>
    </message>
    <message>
        <source>The catalog lists no POP stickers for this store.</source>
        <translation>The catalog lists no POP stickers for this store.</translation>
    </message>
    <message>
        <source>No place given</source>
        <translation>No place given</translation>
    </message>
    <message>
        <source>POP %1</source>
        <translation>POP %1</translation>
    </message>
    <message>
        <source>Write</source>
        <translation>Write</translation>
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
    <message>
        <source>That did not work. Please choose the size again.</source>
        <translation>That did not work. Please choose the size again.</translation>
    </message>
</context>
<context>
    <name>ProductScreen</name>
    <message>
        <source>¥%L1 (tax incl.)</source>
        <translation>¥%L1 (tax incl.)</translation>
    </message>
    <message>
        <source>Colour</source>
        <translation>Colour</translation>
    </message>
    <message>
        <source>Size</source>
        <translation>Size</translation>
    </message>
    <message>
        <source>Touch a sold-out size and we will tell you on LINE when it is back in this store.</source>
        <translation>Touch a sold-out size and we will tell you on LINE when it is back in this store.</translation>
    </message>
    <message>
        <source>Back</source>
        <translation>Back</translation>
    </message>
</context>
<context>
    <name>ProductsScreen</name>
    <message>
        <source>Which item is it?</source>
        <translation>Which item is it?</translation>
    </message>
    <message>
        <source>¥%L1 (tax incl.)</source>
        <translation>¥%L1 (tax incl.)</translation>
    </message>
    <message numerus="yes">
        <source>%n size(s) sold out</source>
        <translation>
            <numerusform>%n size sold out</numerusform>
            <numerusform>%n sizes sold out</numerusform>
        </translation>
    </message>
    <message>
        <source>Back</source>
        <translation>Back</translation>
    </message>
</context>
<context>
    <name>RestockBrandsScreen</name>
    <message>
        <source>Which brand is it?</source>
        <translation>Which brand is it?</translation>
    </message>
    <message>
        <source>Back</source>
        <translation>Back</translation>
    </message>
</context>
<context>
    <name>ScanScreen</name>
    <message>
        <source>Is your size sold out?</source>
        <translation>Is your size sold out?</translation>
    </message>
    <message>
        <source>Hold the barcode on the price tag inside the frame. We will tell you on LINE when it is back in this store.</source>
        <translation>Hold the barcode on the price tag inside the frame. We will tell you on LINE when it is back in this store.</translation>
    </message>
    <message>
        <source>Scan the barcode on the price tag with the scanner, or find the item below. We will tell you on LINE when it is back in this store.</source>
        <translation>Scan the barcode on the price tag with the scanner, or find the item below. We will tell you on LINE when it is back in this store.</translation>
    </message>
    <message>
        <source>Find it by brand instead</source>
        <translation>Find it by brand instead</translation>
    </message>
    <message>
        <source>Back</source>
        <translation>Back</translation>
    </message>
</context>
<context>
    <name>ScannerHint</name>
    <message>
        <source>The barcode is on the price tag, usually under the price.</source>
        <translation>The barcode is on the price tag, usually under the price.</translation>
    </message>
</context>
<context>
    <name>SizeButton</name>
    <message>
        <source>In stock</source>
        <translation>In stock</translation>
    </message>
    <message>
        <source>Sold out</source>
        <translation>Sold out</translation>
    </message>
</context>
<context>
    <name>StaffScreen</name>
    <message>
        <source>Staff mode</source>
        <translation>Staff mode</translation>
    </message>
    <message>
        <source>POP stickers</source>
        <translation>POP stickers</translation>
    </message>
    <message>
        <source>Enrollment</source>
        <translation>Enrollment</translation>
    </message>
    <message>
        <source>Exit staff mode</source>
        <translation>Exit staff mode</translation>
    </message>
</context>
<context>
    <name>StaffStatusPanel</name>
    <message>
        <source>No reader connected</source>
        <translation>No reader connected</translation>
    </message>
    <message>
        <source>Ready</source>
        <translation>Ready</translation>
    </message>
    <message>
        <source>Serving the code on screen</source>
        <translation>Serving the code on screen</translation>
    </message>
    <message>
        <source>Ready, reading cards</source>
        <translation>Ready, reading cards</translation>
    </message>
    <message>
        <source>Waiting for a sticker</source>
        <translation>Waiting for a sticker</translation>
    </message>
    <message>
        <source>Error</source>
        <translation>Error</translation>
    </message>
    <message>
        <source>NFC reader</source>
        <translation>NFC reader</translation>
    </message>
    <message>
        <source>Delivery service</source>
        <translation>Delivery service</translation>
    </message>
    <message>
        <source>Software</source>
        <translation>Software</translation>
    </message>
    <message>
        <source>Kiosk %1, catalog %2</source>
        <translation>Kiosk %1, catalog %2</translation>
    </message>
</context>
<context>
    <name>StickerWritePanel</name>
    <message>
        <source>Hold a blank sticker to the reader</source>
        <translation>Hold a blank sticker to the reader</translation>
    </message>
    <message>
        <source>Sticker written</source>
        <translation>Sticker written</translation>
    </message>
    <message>
        <source>The sticker was not written</source>
        <translation>The sticker was not written</translation>
    </message>
    <message>
        <source>POP %1</source>
        <translation>POP %1</translation>
    </message>
    <message>
        <source>The sticker will be locked permanently after writing.</source>
        <translation>The sticker will be locked permanently after writing.</translation>
    </message>
    <message>
        <source>Keep it still on the reader until this screen says it is written.</source>
        <translation>Keep it still on the reader until this screen says it is written.</translation>
    </message>
    <message>
        <source>%1, locked permanently</source>
        <translation>%1, locked permanently</translation>
    </message>
    <message>
        <source>%1, not locked</source>
        <translation>%1, not locked</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <source>Try again</source>
        <translation>Try again</translation>
    </message>
    <message>
        <source>Back to the list</source>
        <translation>Back to the list</translation>
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
