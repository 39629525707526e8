// The emulated NFC Forum Type 4 tag, driven the way a phone's reader drives it (T4T "NDEF
// Detection" and "NDEF Read" procedures), then the way a confused or hostile one might.
#include "type4tag.h"

#include <QNdefMessage>
#include <QNdefNfcUriRecord>
#include <QTest>

using poptap::nfc::Type4Tag;

namespace {

QByteArray hex(const char *text)
{
    return QByteArray::fromHex(text);
}

QByteArray statusOf(const QByteArray &response)
{
    return response.right(2);
}

QByteArray dataOf(const QByteArray &response)
{
    return response.chopped(2);
}

QByteArray readBinary(int offset, int le)
{
    QByteArray apdu = hex("00B0");
    apdu.append(char(offset >> 8));
    apdu.append(char(offset & 0xFF));
    apdu.append(char(le & 0xFF));
    return apdu;
}

// A real NDEF message: one well-known URI record, as Qt NFC encodes it.
QByteArray uriMessage(const QString &link)
{
    QNdefNfcUriRecord record;
    record.setUri(QUrl(link));
    return QNdefMessage(record).toByteArray();
}

// A URI message of exactly `size` bytes (sizes just above the short-record limit cannot
// be reached: the record header grows by 3 bytes there).
QByteArray uriMessageOfSize(int size)
{
    for (int path = 0; path < size; ++path) {
        const QByteArray message = uriMessage(QStringLiteral("https://liff.line.me/2001234567-PopTapDm/r/")
                                              + QString(path, QLatin1Char('a')));
        if (message.size() == size)
            return message;
    }
    return {};
}

const QString kLink = QStringLiteral("https://liff.line.me/2001234567-PopTapDm/r/EZjqTKwAAQAAAAEAAAAHawKRZBipNkj5Ir8uv-El");

// The CC as a reader parses it (T4T, Capability Container).
struct ParsedCc {
    int length = 0, version = 0, mle = 0, mlc = 0, fileId = 0, maxFileSize = 0, readAccess = -1, writeAccess = -1;
};

ParsedCc parseCc(const QByteArray &cc)
{
    const auto u8 = [&](int i) { return int(quint8(cc.at(i))); };
    const auto u16 = [&](int i) { return u8(i) << 8 | u8(i + 1); };
    ParsedCc p;
    p.length = u16(0);
    p.version = u8(2);
    p.mle = u16(3);
    p.mlc = u16(5);
    if (u8(7) == 0x04 && u8(8) == 0x06) {
        p.fileId = u16(9);
        p.maxFileSize = u16(11);
        p.readAccess = u8(13);
        p.writeAccess = u8(14);
    }
    return p;
}

struct PhoneRead {
    QByteArray message;
    ParsedCc cc;
    QString failure;
    int apdus = 0;
    bool fullyReadBeforeLastRead = true;
};

// What a T4T reader does: select the application (2.0 first or 1.0 only), select and read
// the CC, select the NDEF file named there, read NLEN, read the message in MLe chunks.
PhoneRead readLikeAPhone(Type4Tag &tag, bool mapping20)
{
    PhoneRead r;
    const auto fail = [&r](const QString &why) {
        r.failure = why;
        return r;
    };
    const auto exchange = [&](const QByteArray &apdu) {
        ++r.apdus;
        return tag.respond(apdu);
    };
    const QByteArray select = mapping20 ? hex("00A4040007D276000085010100") : hex("00A4040007D2760000850100");
    if (statusOf(exchange(select)) != hex("9000"))
        return fail(QStringLiteral("application select"));
    const QByteArray fileSelect = mapping20 ? hex("00A4000C02") : hex("00A4000002");
    if (statusOf(exchange(fileSelect + hex("E103"))) != hex("9000"))
        return fail(QStringLiteral("CC select"));
    const QByteArray ccLength = exchange(readBinary(0, 2));
    if (statusOf(ccLength) != hex("9000") || ccLength.size() != 4)
        return fail(QStringLiteral("CCLEN read"));
    const int cclen = quint8(ccLength[0]) << 8 | quint8(ccLength[1]);
    const QByteArray ccResponse = exchange(readBinary(0, cclen));
    if (statusOf(ccResponse) != hex("9000") || dataOf(ccResponse).size() != cclen)
        return fail(QStringLiteral("CC read"));
    r.cc = parseCc(dataOf(ccResponse));
    if (r.cc.readAccess != 0x00 || r.cc.mle < 0x0F)
        return fail(QStringLiteral("CC not readable"));

    QByteArray ndefSelect = fileSelect;
    ndefSelect.append(char(r.cc.fileId >> 8));
    ndefSelect.append(char(r.cc.fileId & 0xFF));
    if (statusOf(exchange(ndefSelect)) != hex("9000"))
        return fail(QStringLiteral("NDEF select"));
    r.fullyReadBeforeLastRead = tag.messageFullyRead(); // for an empty message, NLEN is the last read
    const QByteArray nlenResponse = exchange(readBinary(0, 2));
    if (statusOf(nlenResponse) != hex("9000"))
        return fail(QStringLiteral("NLEN read"));
    const int nlen = quint8(nlenResponse[0]) << 8 | quint8(nlenResponse[1]);
    if (nlen > r.cc.maxFileSize - 2)
        return fail(QStringLiteral("NLEN beyond the file"));
    int offset = 2;
    while (offset < 2 + nlen) {
        r.fullyReadBeforeLastRead = tag.messageFullyRead();
        const int chunk = std::min(r.cc.mle, 2 + nlen - offset);
        const QByteArray response = exchange(readBinary(offset, chunk));
        if (statusOf(response) != hex("9000") || dataOf(response).size() != chunk)
            return fail(QStringLiteral("read at %1").arg(offset));
        r.message += dataOf(response);
        offset += chunk;
    }
    return r;
}

} // namespace

class Type4TagTest : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void readProcedure_data()
    {
        QTest::addColumn<QByteArray>("message");
        QTest::addColumn<bool>("mapping20");
        const QByteArray link = uriMessage(kLink);
        const QByteArray oneChunk = uriMessageOfSize(Type4Tag::kMaxResponseData - 2); // NLEN + message = MLe
        const QByteArray chunks = uriMessageOfSize(700);
        QVERIFY(!oneChunk.isEmpty() && !chunks.isEmpty());
        for (const bool v2 : {false, true}) {
            const char *version = v2 ? "2.0" : "1.0";
            QTest::addRow("%s link", version) << link << v2;
            QTest::addRow("%s file of exactly MLe", version) << oneChunk << v2;
            QTest::addRow("%s 700 bytes", version) << chunks << v2;
            QTest::addRow("%s empty message", version) << QByteArray() << v2;
        }
    }

    void readProcedure()
    {
        QFETCH(QByteArray, message);
        QFETCH(bool, mapping20);
        Type4Tag tag(message);
        QVERIFY(!tag.messageFullyRead());
        const PhoneRead read = readLikeAPhone(tag, mapping20);
        QVERIFY2(read.failure.isEmpty(), qPrintable(read.failure));
        QCOMPARE(read.message, message);
        QCOMPARE(read.cc.length, 0x0F);
        QCOMPARE(read.cc.version, mapping20 ? 0x20 : 0x10);
        QCOMPARE(read.cc.mle, Type4Tag::kMaxResponseData);
        QCOMPARE(read.cc.mlc, Type4Tag::kMaxCommandData);
        QCOMPARE(read.cc.fileId, 0xE104);
        QCOMPARE(read.cc.maxFileSize, std::max(5, 2 + int(message.size())));
        QCOMPARE(read.cc.writeAccess, 0xFF); // read-only
        // The flag flips with the read that carries the last byte, not before.
        QVERIFY(!read.fullyReadBeforeLastRead);
        QVERIFY(tag.messageFullyRead());
    }

    void capabilityContainerBytes()
    {
        Type4Tag tag(uriMessage(kLink));
        const int fileSize = 2 + int(uriMessage(kLink).size());
        QCOMPARE(tag.respond(hex("00A4040007D276000085010100")), hex("9000"));
        QCOMPARE(tag.respond(hex("00A4000C02E103")), hex("9000"));
        QByteArray expected = hex("000F2000FF00FF0406E104");
        expected.append(char(fileSize >> 8));
        expected.append(char(fileSize & 0xFF));
        expected += hex("00FF9000");
        QCOMPARE(tag.respond(readBinary(0, 15)), expected);
        // The 1.0 application reports mapping version 1.0 from the same file.
        QCOMPARE(tag.respond(hex("00A4040007D2760000850100")), hex("9000"));
        QCOMPARE(tag.respond(hex("00A4000002E103")), hex("9000"));
        QCOMPARE(tag.respond(readBinary(2, 1)), hex("109000"));
    }

    void selectVariants_data()
    {
        QTest::addColumn<QByteArray>("apdu");
        QTest::addColumn<QByteArray>("expected");
        QTest::newRow("2.0 AID with Le") << hex("00A4040007D276000085010100") << hex("9000");
        QTest::newRow("2.0 AID without Le") << hex("00A4040007D2760000850101") << hex("9000");
        QTest::newRow("1.0 AID with Le") << hex("00A4040007D276000085010000") << hex("9000");
        QTest::newRow("1.0 AID without Le") << hex("00A4040007D2760000850100") << hex("9000");
        QTest::newRow("AID, P2 0C") << hex("00A4040C07D2760000850101") << hex("9000");
        QTest::newRow("PPSE") << hex("00A404000E325041592E5359532E444446303100") << hex("6A82");
        QTest::newRow("unknown NDEF version") << hex("00A4040007D2760000850102") << hex("6A82");
        QTest::newRow("truncated AID") << hex("00A4040006D27600008501") << hex("6A82");
        QTest::newRow("AID plus a byte") << hex("00A4040008D276000085010100") << hex("6A82");
        QTest::newRow("bad P2") << hex("00A4040407D2760000850101") << hex("6A86");
        QTest::newRow("select by path") << hex("00A4080C02E103") << hex("6A86");
        QTest::newRow("no data") << hex("00A40400") << hex("6700");
        QTest::newRow("only Le") << hex("00A4040000") << hex("6700");
    }

    void selectVariants()
    {
        QFETCH(QByteArray, apdu);
        QFETCH(QByteArray, expected);
        Type4Tag tag(uriMessage(kLink));
        QCOMPARE(tag.respond(apdu), expected);
    }

    void fileSelection_data()
    {
        QTest::addColumn<QByteArray>("apdu");
        QTest::addColumn<QByteArray>("expected");
        QTest::newRow("CC, P2 0C") << hex("00A4000C02E103") << hex("9000");
        QTest::newRow("CC, P2 00") << hex("00A4000002E103") << hex("9000");
        QTest::newRow("NDEF with Le") << hex("00A4000C02E10400") << hex("9000");
        QTest::newRow("unknown file") << hex("00A4000C02E105") << hex("6A82");
        QTest::newRow("master file") << hex("00A4000C023F00") << hex("6A82");
        QTest::newRow("one-byte id") << hex("00A4000C01E1") << hex("6700");
        QTest::newRow("three-byte id") << hex("00A4000C03E10300") << hex("6700");
    }

    void fileSelection()
    {
        QFETCH(QByteArray, apdu);
        QFETCH(QByteArray, expected);
        Type4Tag tag(uriMessage(kLink));
        QCOMPARE(tag.respond(hex("00A4040007D276000085010100")), hex("9000"));
        QCOMPARE(tag.respond(apdu), expected);
    }

    void fileSelectBeforeApplicationIsNotFound()
    {
        // The current DF is still the master file, which holds neither E103 nor E104.
        Type4Tag tag(uriMessage(kLink));
        QCOMPARE(tag.respond(hex("00A4000C02E103")), hex("6A82"));
        QCOMPARE(tag.respond(hex("00A4000C02E104")), hex("6A82"));
        QCOMPARE(tag.respond(readBinary(0, 2)), hex("6986"));
    }

    void failedSelectKeepsTheCurrentFile()
    {
        Type4Tag tag(uriMessage(kLink));
        tag.respond(hex("00A4040007D276000085010100"));
        tag.respond(hex("00A4000C02E104"));
        QCOMPARE(tag.respond(hex("00A4000C02E199")), hex("6A82"));
        QCOMPARE(statusOf(tag.respond(readBinary(0, 2))), hex("9000"));
        // A new application select leaves no file selected.
        tag.respond(hex("00A4040007D276000085010100"));
        QCOMPARE(tag.respond(readBinary(0, 2)), hex("6986"));
    }

    void oddLeValues()
    {
        const QByteArray message = uriMessage(kLink);
        const int fileSize = 2 + int(message.size());
        QByteArray file;
        file.append(char(message.size() >> 8));
        file.append(char(message.size() & 0xFF));
        file += message;

        Type4Tag tag(message);
        tag.respond(hex("00A4040007D276000085010100"));
        tag.respond(hex("00A4000C02E104"));
        // NLEN byte by byte, as some readers do.
        QCOMPARE(tag.respond(readBinary(0, 1)), file.mid(0, 1) + hex("9000"));
        QCOMPARE(tag.respond(readBinary(1, 1)), file.mid(1, 1) + hex("9000"));
        QCOMPARE(tag.respond(readBinary(0, 2)), file.mid(0, 2) + hex("9000"));
        // Le = 00: everything up to the end of the file (within 256): complete, 9000.
        QCOMPARE(tag.respond(readBinary(0, 0)), file + hex("9000"));
        QCOMPARE(tag.respond(readBinary(fileSize - 3, 0)), file.right(3) + hex("9000"));
        // An explicit Le past the end: what there is, and 9000 (not the warning 6282, which
        // phone readers take for a failed read).
        QCOMPARE(tag.respond(readBinary(fileSize - 3, 10)), file.right(3) + hex("9000"));
        QCOMPARE(tag.respond(readBinary(0, 255)), file + hex("9000"));
        // The last byte on its own.
        QCOMPARE(tag.respond(readBinary(fileSize - 1, 1)), file.right(1) + hex("9000"));
        QVERIFY(tag.messageFullyRead());
    }

    void leOf256IsCappedAtMle()
    {
        const QByteArray message = uriMessageOfSize(600);
        Type4Tag tag(message);
        tag.respond(hex("00A4040007D276000085010100"));
        tag.respond(hex("00A4000C02E104"));
        const QByteArray response = tag.respond(readBinary(0, 0));
        QCOMPARE(dataOf(response).size(), Type4Tag::kMaxResponseData);
        QCOMPARE(statusOf(response), hex("9000"));
        QCOMPARE(dataOf(response).mid(2), message.left(Type4Tag::kMaxResponseData - 2));
    }

    void hostileCommands_data()
    {
        QTest::addColumn<bool>("selectNdefFirst");
        QTest::addColumn<QByteArray>("apdu");
        QTest::addColumn<QByteArray>("expected");
        QTest::newRow("empty") << true << QByteArray() << hex("6700");
        QTest::newRow("1 byte") << true << hex("00") << hex("6700");
        QTest::newRow("3 bytes") << true << hex("00B000") << hex("6700");
        QTest::newRow("read before select") << false << readBinary(0, 2) << hex("6986");
        QTest::newRow("offset past the end") << true << readBinary(0x7000, 2) << hex("6B00");
        QTest::newRow("offset at the end") << true << readBinary(2 + int(uriMessage(kLink).size()), 1) << hex("6B00");
        QTest::newRow("P1 high bit (short EF id)") << true << hex("00B0810002") << hex("6B00");
        QTest::newRow("UPDATE BINARY") << true << hex("00D6000002000A") << hex("6982");
        QTest::newRow("UPDATE BINARY, nothing selected") << false << hex("00D6000002000A") << hex("6982");
        QTest::newRow("UPDATE BINARY, no data") << true << hex("00D60000") << hex("6982");
        QTest::newRow("CLA 80") << true << hex("80B0000002") << hex("6E00");
        QTest::newRow("CLA FF") << true << hex("FFB0000002") << hex("6E00");
        QTest::newRow("CLA 90 (DESFire)") << true << hex("905A00000300000000") << hex("6E00");
        QTest::newRow("GET RESPONSE") << true << hex("00C0000010") << hex("6D00");
        QTest::newRow("READ BINARY with ODO") << true << hex("00B10000055403000000") << hex("6D00");
        QTest::newRow("GET DATA") << true << hex("00CA9F7F00") << hex("6D00");
        QTest::newRow("READ BINARY without Le") << true << hex("00B00000") << hex("6700");
        QTest::newRow("READ BINARY with data") << true << hex("00B000000100") << hex("6700");
        QTest::newRow("READ BINARY with data and Le") << true << hex("00B00000010002") << hex("6700");
        QTest::newRow("Lc longer than the data") << true << hex("00A4000C05E104") << hex("6700");
        QTest::newRow("Lc shorter than the data") << true << hex("00A4000C01E10400AA") << hex("6700");
        QTest::newRow("extended Le") << true << hex("00B00000000100") << hex("6700");
        QTest::newRow("extended Lc") << true << hex("00A4000C000002E104") << hex("6700");
        QTest::newRow("extended Lc and Le") << true << hex("00A4000C000002E1040000") << hex("6700");
        QTest::newRow("zero then one byte") << true << hex("00B0000000FF") << hex("6700");
        QByteArray junk(4000, char(0xA5));
        junk[0] = 0;
        junk[1] = char(0xB0);
        QTest::newRow("4000 bytes of junk") << true << junk << hex("6700");
        QTest::newRow("4000 bytes, bad CLA") << true << QByteArray(4000, char(0xA5)) << hex("6E00");
    }

    void hostileCommands()
    {
        QFETCH(bool, selectNdefFirst);
        QFETCH(QByteArray, apdu);
        QFETCH(QByteArray, expected);
        Type4Tag tag(uriMessage(kLink));
        if (selectNdefFirst) {
            QCOMPARE(tag.respond(hex("00A4040007D276000085010100")), hex("9000"));
            QCOMPARE(tag.respond(hex("00A4000C02E104")), hex("9000"));
        }
        QCOMPARE(tag.respond(apdu), expected);
        // Whatever came before, the session goes on: a full read still works.
        tag.reset();
        const PhoneRead read = readLikeAPhone(tag, true);
        QVERIFY2(read.failure.isEmpty(), qPrintable(read.failure));
        QCOMPARE(read.message, uriMessage(kLink));
    }

    void coverageCountsOnlyMessageBytesInAnyOrder()
    {
        const QByteArray message = uriMessageOfSize(600);
        Type4Tag tag(message);
        tag.respond(hex("00A4040007D276000085010100"));
        tag.respond(hex("00A4000C02E103"));
        tag.respond(readBinary(0, 15)); // the CC is not the message
        QVERIFY(!tag.messageFullyRead());
        tag.respond(hex("00A4000C02E104"));
        // Backwards, overlapping, NLEN last.
        tag.respond(readBinary(400, 202));
        tag.respond(readBinary(200, 250));
        tag.respond(readBinary(2, 200));
        QVERIFY(!tag.messageFullyRead());
        tag.respond(readBinary(1, 1));
        QVERIFY(!tag.messageFullyRead());
        tag.respond(readBinary(0, 1));
        QVERIFY(tag.messageFullyRead());
    }

    void failedReadsDoNotCount()
    {
        Type4Tag tag(hex("D1010455046162")); // 7-byte message: a URI record "https://ab"
        tag.respond(hex("00A4040007D276000085010100"));
        tag.respond(hex("00A4000C02E104"));
        tag.respond(hex("00B0800009")); // refused: P1 high bit
        tag.respond(hex("00B000000900")); // refused: Lc on READ BINARY
        QVERIFY(!tag.messageFullyRead());
        QCOMPARE(tag.respond(readBinary(0, 9)), hex("0007D10104550461629000"));
        QVERIFY(tag.messageFullyRead());
    }

    void resetBetweenPhones()
    {
        const QByteArray message = uriMessage(kLink);
        Type4Tag tag(message);
        QCOMPARE(readLikeAPhone(tag, true).message, message);
        QVERIFY(tag.messageFullyRead());
        tag.reset();
        QVERIFY(!tag.messageFullyRead());
        QCOMPARE(tag.respond(readBinary(0, 2)), hex("6986")); // nothing selected any more
        QCOMPARE(tag.respond(hex("00A4000C02E104")), hex("6A82")); // nor the application
        // The second phone reads it with mapping 1.0; the flag follows this phone's reads.
        const PhoneRead second = readLikeAPhone(tag, false);
        QCOMPARE(second.message, message);
        QVERIFY(!second.fullyReadBeforeLastRead);
        QVERIFY(tag.messageFullyRead());
    }

    void oversizedMessageIsNotServed()
    {
        Type4Tag tag(QByteArray(Type4Tag::kMaxMessageSize + 1, 'x'));
        QVERIFY(tag.ndefMessage().isEmpty());
        const PhoneRead read = readLikeAPhone(tag, true);
        QVERIFY2(read.failure.isEmpty(), qPrintable(read.failure));
        QVERIFY(read.message.isEmpty());
        QCOMPARE(read.cc.maxFileSize, 5);

        const QByteArray largest(Type4Tag::kMaxMessageSize, 'y');
        Type4Tag full(largest);
        QCOMPARE(full.ndefMessage(), largest);
        QCOMPARE(readLikeAPhone(full, true).message, largest); // the last byte sits at offset 7FFE
    }
};

QTEST_GUILESS_MAIN(Type4TagTest)
#include "type4tagtest.moc"
