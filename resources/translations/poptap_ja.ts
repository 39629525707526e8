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
    <message>
        <source>New arrivals from a brand</source>
        <translation>ブランドの新着を受け取る</translation>
    </message>
    <message>
        <source>Tell me when my size is back</source>
        <translation>サイズの再入荷を知らせてほしい</translation>
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
    <name>CodeKeypad</name>
    <message>
        <source>Delete</source>
        <translation>1文字消す</translation>
    </message>
    <message>
        <source>Clear</source>
        <translation>すべて消す</translation>
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
    <message>
        <source>when it is back in this store</source>
        <translation>この店舗に再入荷したらお知らせ</translation>
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
    <message>
        <source>Tap “Allow” in LINE and we will tell you there when %1 (%2) is back in this store.</source>
        <translation>LINEで「許可する」をタップすると、%1（%2）がこの店舗に再入荷したときにLINEでお知らせします。</translation>
    </message>
</context>
<context>
    <name>EnrollmentPanel</name>
    <message>
        <source>This kiosk works alone: no delivery service is configured (service-url in kiosk.conf).</source>
        <translation>この端末は単独で動作しています。配信サービスが設定されていません（kiosk.conf の service-url）。</translation>
    </message>
    <message>
        <source>This kiosk is enrolled with the delivery service.</source>
        <translation>この端末は配信サービスに登録済みです。</translation>
    </message>
    <message>
        <source>That is not an enrollment code: it has 16 letters and digits, like 7KQ2-M9XD-4PRT-W3HF.</source>
        <translation>登録コードではありません。登録コードは 7KQ2-M9XD-4PRT-W3HF のような16文字の英数字です。</translation>
    </message>
    <message>
        <source>Sending the code to the delivery service…</source>
        <translation>配信サービスにコードを送信しています…</translation>
    </message>
    <message>
        <source>Enrolled. Registrations now reach the delivery service.</source>
        <translation>登録しました。登録情報が配信サービスに届くようになりました。</translation>
    </message>
    <message>
        <source>The delivery service refused the code: %1</source>
        <translation>配信サービスがコードを受け付けませんでした：%1</translation>
    </message>
    <message>
        <source>Enter the enrollment code from “poptap-deliveryctl enrollment create”.</source>
        <translation>「poptap-deliveryctl enrollment create」で発行した登録コードを入力してください。</translation>
    </message>
    <message>
        <source>Enroll this kiosk</source>
        <translation>この端末を登録する</translation>
    </message>
    <message>
        <source>Or hold the code&apos;s QR code up to the camera.</source>
        <translation>またはコードのQRコードをカメラにかざしてください。</translation>
    </message>
</context>
<context>
    <name>InStockScreen</name>
    <message>
        <source>Good news: it is in stock in this store</source>
        <translation>この店舗に在庫があります</translation>
    </message>
    <message>
        <source>Please look on the shelf or ask a staff member.</source>
        <translation>売り場をご覧になるか、スタッフにお声がけください。</translation>
    </message>
    <message>
        <source>Choose another size</source>
        <translation>ほかのサイズを選ぶ</translation>
    </message>
    <message>
        <source>Done</source>
        <translation>完了</translation>
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
    <name>NotFoundScreen</name>
    <message>
        <source>We could not find this item</source>
        <translation>この商品が見つかりませんでした</translation>
    </message>
    <message>
        <source>Some items cannot be found by their barcode. You can find it by brand instead.</source>
        <translation>バーコードで見つからない商品もあります。ブランドから探すこともできます。</translation>
    </message>
    <message>
        <source>Find it by brand</source>
        <translation>ブランドから探す</translation>
    </message>
    <message>
        <source>Scan again</source>
        <translation>もう一度読み取る</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>キャンセル</translation>
    </message>
</context>
<context>
    <name>PermanentLockSwitch</name>
    <message>
        <source>Lock stickers permanently</source>
        <translation>ステッカーを永久にロックする</translation>
    </message>
    <message>
        <source>On: nobody can change these stickers afterwards.</source>
        <translation>オン：書き込んだステッカーは以後だれも変更できません。</translation>
    </message>
    <message>
        <source>Off: the sticker can be written again later.</source>
        <translation>オフ：ステッカーは後から書き直せます。</translation>
    </message>
    <message>
        <source>Lock stickers permanently?</source>
        <translation>永久にロックしますか？</translation>
    </message>
    <message>
        <source>A locked sticker can never be written again, not even by staff. This cannot be undone.</source>
        <translation>ロックしたステッカーは、スタッフでも二度と書き換えられません。この操作は取り消せません。</translation>
    </message>
    <message>
        <source>Keep unlocked</source>
        <translation>ロックしない</translation>
    </message>
    <message>
        <source>Lock permanently</source>
        <translation>永久にロックする</translation>
    </message>
</context>
<context>
    <name>PopStickerList</name>
    <message>
        <source>POP stickers cannot be written on this kiosk: its links do not use LIFF, and a sticker&apos;s link only works through the LIFF page. Set link-template to liff.</source>
        <translation>この端末ではPOPステッカーを書き込めません。ステッカーのリンクはLIFFページ経由でのみ動作しますが、この端末のリンクはLIFFを使っていません。link-template を liff にしてください。</translation>
    </message>
    <message>
        <source>POP stickers cannot be written: the catalog has no valid LIFF id.</source>
        <translation>POPステッカーを書き込めません：カタログに有効なLIFF IDがありません。</translation>
    </message>
    <message>
        <source>The catalog lists no POP stickers for this store.</source>
        <translation>カタログにこの店舗のPOPステッカーがありません。</translation>
    </message>
    <message>
        <source>No place given</source>
        <translation>設置場所の記載なし</translation>
    </message>
    <message>
        <source>POP %1</source>
        <translation>POP %1</translation>
    </message>
    <message>
        <source>Write</source>
        <translation>書き込む</translation>
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
    <message>
        <source>That did not work. Please choose the size again.</source>
        <translation>うまくいきませんでした。もう一度サイズを選んでください。</translation>
    </message>
</context>
<context>
    <name>ProductScreen</name>
    <message>
        <source>¥%L1 (tax incl.)</source>
        <translation>¥%L1（税込）</translation>
    </message>
    <message>
        <source>Colour</source>
        <translation>カラー</translation>
    </message>
    <message>
        <source>Size</source>
        <translation>サイズ</translation>
    </message>
    <message>
        <source>Touch a sold-out size and we will tell you on LINE when it is back in this store.</source>
        <translation>売り切れのサイズをタッチすると、この店舗に再入荷したときにLINEでお知らせします。</translation>
    </message>
    <message>
        <source>Back</source>
        <translation>戻る</translation>
    </message>
</context>
<context>
    <name>ProductsScreen</name>
    <message>
        <source>Which item is it?</source>
        <translation>どの商品ですか？</translation>
    </message>
    <message>
        <source>¥%L1 (tax incl.)</source>
        <translation>¥%L1（税込）</translation>
    </message>
    <message numerus="yes">
        <source>%n size(s) sold out</source>
        <translation>
            <numerusform>%n サイズが売り切れ</numerusform>
        </translation>
    </message>
    <message>
        <source>Back</source>
        <translation>戻る</translation>
    </message>
</context>
<context>
    <name>RestockBrandsScreen</name>
    <message>
        <source>Which brand is it?</source>
        <translation>どのブランドですか？</translation>
    </message>
    <message>
        <source>Back</source>
        <translation>戻る</translation>
    </message>
</context>
<context>
    <name>ScanScreen</name>
    <message>
        <source>Is your size sold out?</source>
        <translation>お探しのサイズが売り切れですか？</translation>
    </message>
    <message>
        <source>Hold the barcode on the price tag inside the frame. We will tell you on LINE when it is back in this store.</source>
        <translation>値札のバーコードを枠の中にかざしてください。この店舗に再入荷したらLINEでお知らせします。</translation>
    </message>
    <message>
        <source>Scan the barcode on the price tag with the scanner, or find the item below. We will tell you on LINE when it is back in this store.</source>
        <translation>値札のバーコードをスキャナーで読み取るか、下から商品を探してください。この店舗に再入荷したらLINEでお知らせします。</translation>
    </message>
    <message>
        <source>Find it by brand instead</source>
        <translation>ブランドから探す</translation>
    </message>
    <message>
        <source>Back</source>
        <translation>戻る</translation>
    </message>
</context>
<context>
    <name>ScannerHint</name>
    <message>
        <source>The barcode is on the price tag, usually under the price.</source>
        <translation>バーコードは値札に印刷されています（多くは価格の下）。</translation>
    </message>
</context>
<context>
    <name>SizeButton</name>
    <message>
        <source>In stock</source>
        <translation>在庫あり</translation>
    </message>
    <message>
        <source>Sold out</source>
        <translation>売り切れ</translation>
    </message>
</context>
<context>
    <name>StaffScreen</name>
    <message>
        <source>Staff mode</source>
        <translation>スタッフモード</translation>
    </message>
    <message>
        <source>POP stickers</source>
        <translation>POPステッカー</translation>
    </message>
    <message>
        <source>Enrollment</source>
        <translation>端末登録</translation>
    </message>
    <message>
        <source>Exit staff mode</source>
        <translation>スタッフモードを終了</translation>
    </message>
</context>
<context>
    <name>StaffStatusPanel</name>
    <message>
        <source>No reader connected</source>
        <translation>リーダーが接続されていません</translation>
    </message>
    <message>
        <source>Ready</source>
        <translation>準備完了</translation>
    </message>
    <message>
        <source>Serving the code on screen</source>
        <translation>画面のコードを送信中</translation>
    </message>
    <message>
        <source>Ready, reading cards</source>
        <translation>準備完了（カード読み取り中）</translation>
    </message>
    <message>
        <source>Waiting for a sticker</source>
        <translation>ステッカー待ち</translation>
    </message>
    <message>
        <source>Error</source>
        <translation>エラー</translation>
    </message>
    <message>
        <source>NFC reader</source>
        <translation>NFCリーダー</translation>
    </message>
    <message>
        <source>Delivery service</source>
        <translation>配信サービス</translation>
    </message>
    <message>
        <source>Software</source>
        <translation>ソフトウェア</translation>
    </message>
    <message>
        <source>Kiosk %1, catalog %2</source>
        <translation>端末 %1、カタログ %2</translation>
    </message>
</context>
<context>
    <name>StickerWritePanel</name>
    <message>
        <source>Hold a blank sticker to the reader</source>
        <translation>未使用のステッカーをリーダーにかざしてください</translation>
    </message>
    <message>
        <source>Sticker written</source>
        <translation>ステッカーに書き込みました</translation>
    </message>
    <message>
        <source>The sticker was not written</source>
        <translation>ステッカーに書き込めませんでした</translation>
    </message>
    <message>
        <source>POP %1</source>
        <translation>POP %1</translation>
    </message>
    <message>
        <source>The sticker will be locked permanently after writing.</source>
        <translation>書き込み後、ステッカーは永久にロックされます。</translation>
    </message>
    <message>
        <source>Keep it still on the reader until this screen says it is written.</source>
        <translation>書き込み完了と表示されるまで、リーダーから動かさないでください。</translation>
    </message>
    <message>
        <source>%1, locked permanently</source>
        <translation>%1、永久ロック済み</translation>
    </message>
    <message>
        <source>%1, not locked</source>
        <translation>%1、ロックなし</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>キャンセル</translation>
    </message>
    <message>
        <source>Try again</source>
        <translation>もう一度書き込む</translation>
    </message>
    <message>
        <source>Back to the list</source>
        <translation>一覧にもどる</translation>
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
