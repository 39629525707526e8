<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ja_JP" sourcelanguage="en">
<context>
    <name>AttractScreen</name>
    <message>
        <source>Get new arrivals from your favourite brands on LINE</source>
        <translation>お気に入りブランドの新着を LINEでお知らせ</translation>
    </message>
    <message>
        <source>No membership, no sign-up. Two touches and you are done.</source>
        <translation>会員登録は不要。2タッチで完了します。</translation>
    </message>
    <message>
        <source>Touch to start</source>
        <translation>タッチしてはじめる</translation>
    </message>
</context>
<context>
    <name>BrandGridScreen</name>
    <message>
        <source>Choose a brand</source>
        <translation>ブランドを選んでください</translation>
    </message>
    <message>
        <source>We will send you its new arrivals on LINE.</source>
        <translation>選んだブランドの新着をLINEでお届けします。</translation>
    </message>
    <message>
        <source>Back</source>
        <translation>もどる</translation>
    </message>
</context>
<context>
    <name>CodeScreen</name>
    <message>
        <source>Scan the code with your phone&apos;s camera, or tap your phone on the mark below.</source>
        <translation>スマートフォンのカメラでQRコードを読み取るか、下のマークにスマートフォンをかざしてください。</translation>
    </message>
    <message>
        <source>This code cannot be shown. Please ask a staff member.</source>
        <translation>コードを表示できません。スタッフにお声がけください。</translation>
    </message>
    <message>
        <source>Then tap “Allow” in LINE. That&apos;s all.</source>
        <translation>LINEが開いたら「許可する」をタップ。これで完了です。</translation>
    </message>
    <message numerus="yes">
        <source>%n second(s) left</source>
        <translation>
            <numerusform>残り %n 秒</numerusform>
        </translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>キャンセル</translation>
    </message>
</context>
<context>
    <name>DoneScreen</name>
    <message>
        <source>Check your phone</source>
        <translation>スマートフォンをご確認ください</translation>
    </message>
    <message>
        <source>Tap “Allow” in LINE and new arrivals from %1 will reach you there.</source>
        <translation>LINEで「許可する」をタップすると、%1 の新着がLINEに届きます。</translation>
    </message>
    <message>
        <source>Done</source>
        <translation>とじる</translation>
    </message>
</context>
<context>
    <name>LanguageToggle</name>
    <message>
        <source>Language</source>
        <extracomment>Label of the language toggle: the name of the OTHER language, written in that language.</extracomment>
        <translation>English</translation>
    </message>
</context>
<context>
    <name>Main</name>
    <message>
        <source>PopTap kiosk</source>
        <translation>PopTap キオスク</translation>
    </message>
</context>
<context>
    <name>NfcCue</name>
    <message>
        <source>Tap your phone here</source>
        <translation>ここにスマホをタッチ</translation>
    </message>
</context>
<context>
    <name>ProblemBanner</name>
    <message>
        <source>Registration is paused because the kiosk&apos;s storage is full. Please ask a staff member.</source>
        <translation>保存容量がいっぱいのため、ただいま登録を受け付けられません。スタッフにお声がけください。</translation>
    </message>
    <message>
        <source>That did not work. Please choose the brand again.</source>
        <translation>うまくいきませんでした。もう一度ブランドを選んでください。</translation>
    </message>
</context>
<context>
    <name>SyncMark</name>
    <message>
        <source>Synced</source>
        <translation>同期済み</translation>
    </message>
    <message numerus="yes">
        <source>Sending %n</source>
        <comment>registrations being sent</comment>
        <translation>
            <numerusform>送信中 %n件</numerusform>
        </translation>
    </message>
    <message>
        <source>Syncing</source>
        <translation>同期中</translation>
    </message>
    <message numerus="yes">
        <source>%n waiting to send</source>
        <comment>registrations kept on the kiosk</comment>
        <translation>
            <numerusform>未送信 %n件</numerusform>
        </translation>
    </message>
    <message>
        <source>Reconnecting</source>
        <translation>再接続中</translation>
    </message>
    <message>
        <source>Enrolling</source>
        <translation>登録処理中</translation>
    </message>
    <message>
        <source>Enrollment code needed</source>
        <translation>登録コードが必要です</translation>
    </message>
    <message>
        <source>Enrollment refused</source>
        <translation>登録できませんでした</translation>
    </message>
    <message>
        <source>Re-enrollment needed</source>
        <translation>再登録が必要です</translation>
    </message>
    <message>
        <source>Standalone</source>
        <translation>単独動作</translation>
    </message>
</context>
</TS>
