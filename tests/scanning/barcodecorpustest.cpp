// The barcode regression corpus (shared/barcode-corpus, ZXing-C++ 1.4's own test pictures)
// through the camera's pipeline: picture → video frame → ImageSource's sink → BarcodeScanner →
// decode worker → scanned(). Per folder at least as many pictures read as ZXing 1.4 reads with
// try-harder at 0° (README.md), every text exactly the expected one, nothing at all in the
// pictures of things that are no barcodes.
#include "barcodescanner.h"
#include "imagesource.h"

#include <QDir>
#include <QTest>

using namespace poptap;

namespace {

const QString kCorpus = QStringLiteral(POPTAP_SHARED_DIR "/barcode-corpus");

// Pictures that hold a second, real symbol beside the one their .txt names.
const QMultiHash<QString, QString> kSecondSymbols{
    // The book's price code, which 23.png and 28.png name.
    {QStringLiteral("ean13-2/14.png"), QStringLiteral("1920081045006")},
    // A "double QR": the outer code around the inner one that 16.txt names.
    {QStringLiteral("qrcode-2/16.png"),
     QStringLiteral("[\u5916\u5074QR\u30b3\u30fc\u30c9]\r\n \r\n*\uff80\uff9e\uff8c\uff9e\uff99QR*\r\nhttp://d-qr.net/ex/")},
};

QString expectedText(const QFileInfo &picture)
{
    const QString base = picture.dir().filePath(picture.completeBaseName());
    QFile text(base + QStringLiteral(".txt"));
    if (text.open(QIODevice::ReadOnly))
        return QString::fromUtf8(text.readAll());
    QFile binary(base + QStringLiteral(".bin"));
    if (binary.open(QIODevice::ReadOnly))
        return QString::fromLatin1(binary.readAll());
    return {};
}

} // namespace

class BarcodeCorpusTest : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY2(QDir(kCorpus).exists(), qPrintable(kCorpus));
    }

    void folder_data()
    {
        QTest::addColumn<QString>("folder");
        QTest::addColumn<int>("pictures");
        QTest::addColumn<int>("mustRead"); // ZXing-C++ 1.4, try-harder, 0° (README.md)
        QTest::newRow("ean13-2") << QStringLiteral("ean13-2") << 24 << 13;
        QTest::newRow("ean8-1") << QStringLiteral("ean8-1") << 8 << 8;
        QTest::newRow("qrcode-2") << QStringLiteral("qrcode-2") << 46 << 44;
        QTest::newRow("qrcode-3") << QStringLiteral("qrcode-3") << 28 << 25;
        QTest::newRow("falsepositives-2") << QStringLiteral("falsepositives-2") << 25 << 0;
    }

    void folder()
    {
        QFETCH(QString, folder);
        QFETCH(int, pictures);
        QFETCH(int, mustRead);

        // fps 0: a frame only when a picture is shown, so each picture is decoded exactly once.
        auto source = std::make_unique<ImageSource>(QString(), 0);
        ImageSource *images = source.get();
        BarcodeScanner scanner(std::move(source));
        QList<ScannedCode> scanned;
        connect(&scanner, &BarcodeScanner::scanned, this, [&](const ScannedCode &code) { scanned.append(code); });
        int framesDone = 0;
        // Queued behind the scanner's own queued codeScanned: when this runs, the frame's codes are in.
        connect(scanner.worker(), &DecodeWorker::frameDecoded, this, [&] { ++framesDone; }, Qt::QueuedConnection);
        scanner.start();

        const QDir dir(kCorpus + QLatin1Char('/') + folder);
        const QFileInfoList files = dir.entryInfoList({QStringLiteral("*.png"), QStringLiteral("*.jpg")}, QDir::Files, QDir::Name);
        QCOMPARE(files.size(), pictures);
        int read = 0;
        int anything = 0;
        QStringList unread;
        for (const QFileInfo &file : files) {
            const QImage picture(file.filePath());
            QVERIFY2(!picture.isNull(), qPrintable(file.filePath()));
            scanned.clear();
            scanner.worker()->resetRepeats(); // the same code in the next picture counts again
            const int before = framesDone;
            QVERIFY(images->show(picture));
            QVERIFY(QTest::qWaitFor([&] { return framesDone > before; }, 30000));

            const QString name = folder + QLatin1Char('/') + file.fileName();
            const QString expected = expectedText(file);
            bool found = false;
            for (const ScannedCode &code : std::as_const(scanned)) {
                const bool isExpected = !expected.isEmpty() && code.text == expected;
                QVERIFY2(isExpected || kSecondSymbols.contains(name, code.text),
                         qPrintable(QStringLiteral("%1 misread as %2 '%3'").arg(name, toString(code.format), code.text)));
                found = found || isExpected;
            }
            anything += int(scanned.size());
            if (found)
                ++read;
            else
                unread.append(file.fileName());
        }
        QCOMPARE(scanner.worker()->framesDropped(), 0); // one frame per picture, none lost
        qInfo().noquote() << QStringLiteral("%1: %2 of %3 pictures read (ZXing 1.4 try-harder: %4); not read: %5")
                                 .arg(folder)
                                 .arg(read)
                                 .arg(pictures)
                                 .arg(mustRead)
                                 .arg(unread.isEmpty() ? QStringLiteral("none") : unread.join(QLatin1Char(' ')));
        if (mustRead == 0)
            QCOMPARE(anything, 0);
        QVERIFY(read >= mustRead);
    }
};

QTEST_MAIN(BarcodeCorpusTest)
#include "barcodecorpustest.moc"
