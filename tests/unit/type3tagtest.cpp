// The emulated NFC Forum Type 3 tag (FeliCa), read the way T3T readers read it, and fed the
// frames a confused or hostile reader might send.
#include "type3tag.h"

#include <QTest>

using poptap::nfc::Type3Tag;

namespace {

const QByteArray kIdm = QByteArray::fromHex("02FE0102030405AA");

QByteArray hex(const char *text)
{
    return QByteArray::fromHex(text);
}

// LEN (counting itself), command code, IDm, parameters: the frame as the PN532 hands it over.
QByteArray frame(quint8 code, const QByteArray &params, const QByteArray &idm = kIdm)
{
    QByteArray out;
    out.append(char(2 + idm.size() + params.size()));
    out.append(char(code));
    out += idm + params;
    return out;
}

QByteArray twoByteElement(int block)
{
    return QByteArray(1, char(0x80)) + QByteArray(1, char(block));
}

// Check of `elements` on the NDEF service (0B 00 on the air: little-endian 000B).
QByteArray check(const QList<QByteArray> &elements, const QByteArray &services = hex("010B00"))
{
    QByteArray params = services;
    params.append(char(elements.size()));
    for (const QByteArray &e : elements)
        params += e;
    return frame(0x06, params);
}

QByteArray checkBlocks(int first, int count)
{
    QList<QByteArray> elements;
    for (int b = first; b < first + count; ++b)
        elements.append(twoByteElement(b));
    return check(elements);
}

// A Check answer that failed: LEN 0C, 07, IDm, the two status flags.
QByteArray checkError(quint8 flag1, quint8 flag2)
{
    return frame(0x07, QByteArray(1, char(flag1)) + QByteArray(1, char(flag2)));
}

// The 16-byte blocks of a successful Check answer, after checking its framing.
QByteArray blocksOf(const QByteArray &answer)
{
    if (answer.size() < 13 || quint8(answer[0]) != answer.size() || answer[1] != 0x07 || answer.mid(2, 8) != kIdm
        || answer[10] != 0 || answer[11] != 0 || answer.size() != 13 + 16 * quint8(answer[12]))
        return {};
    return answer.mid(13);
}

struct Attribute {
    int version, nbr, nbw, nmaxb, writeF, rwFlag, ln;
    bool checksumOk;
};

Attribute parseAttribute(const QByteArray &block)
{
    const auto u8 = [&](int i) { return int(quint8(block[i])); };
    int sum = 0;
    for (int i = 0; i < 14; ++i)
        sum += u8(i);
    return Attribute{u8(0), u8(1), u8(2), u8(3) << 8 | u8(4), u8(9), u8(10),
                     u8(11) << 16 | u8(12) << 8 | u8(13), sum == (u8(14) << 8 | u8(15))};
}

const QByteArray kLinkMessage = hex("D1013D5504") // one URI record, "https://" abbreviated (61-byte payload)
    + QByteArray("liff.line.me/2001234567-PopTapDm/r/EZjqTKwAAQAAAAEAAAAHawKRZ");

} // namespace

class Type3TagTest : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void readProcedure_data()
    {
        QTest::addColumn<QByteArray>("message");
        QTest::newRow("link") << kLinkMessage;
        QTest::newRow("empty") << QByteArray();
        QTest::newRow("one block exactly") << QByteArray(16, 'a');
        QTest::newRow("one byte into the second block") << QByteArray(17, 'b');
        QTest::newRow("300 bytes") << QByteArray(300, 'c');
    }

    void readProcedure()
    {
        // T3T NDEF read: Check block 0, verify it, then Check the data blocks, Nbr at a time.
        QFETCH(QByteArray, message);
        Type3Tag tag(message, kIdm);
        const QByteArray block0 = blocksOf(tag.respond(checkBlocks(0, 1)));
        QCOMPARE(block0.size(), 16);
        const Attribute a = parseAttribute(block0);
        QVERIFY(a.checksumOk);
        QCOMPARE(a.version, 0x10);
        QCOMPARE(a.nbr, Type3Tag::kBlocksPerCheck);
        QVERIFY(a.nbw >= 1);
        QCOMPARE(a.writeF, 0x00);
        QCOMPARE(a.rwFlag, 0x00); // read-only
        QCOMPARE(a.ln, message.size());
        QVERIFY(a.nmaxb * 16 >= a.ln);

        const int blocks = (a.ln + 15) / 16;
        QCOMPARE(tag.messageFullyRead(), blocks == 0);
        QByteArray data;
        for (int first = 1; first <= blocks; first += a.nbr) {
            QVERIFY(!tag.messageFullyRead());
            const QByteArray answer = tag.respond(checkBlocks(first, std::min(a.nbr, blocks - first + 1)));
            const QByteArray got = blocksOf(answer);
            QVERIFY2(!got.isEmpty(), answer.toHex().constData());
            data += got;
        }
        QVERIFY(tag.messageFullyRead());
        QCOMPARE(data.left(a.ln), message);
        QCOMPARE(data.mid(a.ln), QByteArray(data.size() - a.ln, '\0')); // padding is zeros
    }

    void attributeBlockBytes()
    {
        Type3Tag tag(kLinkMessage, kIdm);
        // Ver 10, Nbr 04, Nbw 01, NmaxB 0005, unused, WriteF 00, RWFlag 00, Ln 000041, and the
        // checksum 10 + 04 + 01 + 05 + 41 = 005B.
        const QByteArray expected = hex("1004010005000000000000000041") + hex("005B");
        QCOMPARE(kLinkMessage.size(), 0x41);
        QCOMPARE(tag.respond(checkBlocks(0, 1)), hex("1D07") + kIdm + hex("000001") + expected);
    }

    void threeByteElementsAreLittleEndian()
    {
        Type3Tag tag(QByteArray(40, 'x') + QByteArray(16, 'y'), kIdm);
        // 3-byte element: 00, then block 0003 as 03 00.
        QCOMPARE(blocksOf(tag.respond(check({hex("000300")}))), QByteArray(8, 'x') + QByteArray(8, 'y'));
        QCOMPARE(blocksOf(tag.respond(check({hex("000100")}))), QByteArray(16, 'x'));
        QCOMPARE(tag.respond(check({hex("000001")})), checkError(0x01, 0xA8)); // block 256 does not exist
    }

    void fifteenBlocksInOneCheck()
    {
        Type3Tag tag(QByteArray(15 * 16, 'z'), kIdm);
        const QByteArray answer = tag.respond(checkBlocks(1, 15));
        QCOMPARE(answer.size(), 13 + 15 * 16);
        QCOMPARE(quint8(answer[0]), 253);
        QCOMPARE(blocksOf(answer), QByteArray(15 * 16, 'z'));
        QCOMPARE(tag.respond(checkBlocks(0, 16)), checkError(0xFF, 0xA2));
    }

    void updateIsRefused()
    {
        Type3Tag tag(kLinkMessage, kIdm);
        const QByteArray update = frame(0x08, hex("010B00018001") + QByteArray(16, 'E'));
        QCOMPARE(tag.respond(update), frame(0x09, hex("FFA6")));
        const QByteArray updateRw = frame(0x08, hex("010900018001") + QByteArray(16, 'E'));
        QCOMPARE(tag.respond(updateRw), frame(0x09, hex("FFA6")));
        QCOMPARE(blocksOf(tag.respond(checkBlocks(1, 1))), kLinkMessage.left(16)); // unchanged
    }

    void framesNotForThisTagGetNoAnswer_data()
    {
        QTest::addColumn<QByteArray>("command");
        QTest::newRow("other IDm") << frame(0x06, hex("010B00018000"), hex("02FE0102030405AB"));
        QTest::newRow("LEN too small") << hex("0F") + check({twoByteElement(0)}).mid(1);
        QTest::newRow("LEN too large") << hex("20") + check({twoByteElement(0)}).mid(1);
        QTest::newRow("LEN does not count itself") << hex("0F") + check({twoByteElement(0)}).mid(1, 15);
        QTest::newRow("empty") << QByteArray();
        QTest::newRow("LEN only") << hex("01");
        QTest::newRow("IDm cut short") << hex("0606") + kIdm.left(4);
        QTest::newRow("polling") << hex("0600FFFF0100");
        QTest::newRow("polling for 12FC") << hex("060012FC0100");
        QTest::newRow("unknown command 0A") << frame(0x0A, QByteArray());
        QTest::newRow("authentication 10") << frame(0x10, QByteArray(16, '\0'));
        QTest::newRow("request response with junk") << frame(0x04, hex("00"));
        QTest::newRow("request system code with junk") << frame(0x0C, hex("00"));
        QTest::newRow("request service, no count") << frame(0x02, QByteArray());
        QTest::newRow("request service, count 0") << frame(0x02, hex("00"));
        QTest::newRow("request service, cut short") << frame(0x02, hex("020B00"));
        QTest::newRow("request service, 33 nodes") << frame(0x02, hex("21") + QByteArray(66, '\0'));
    }

    void framesNotForThisTagGetNoAnswer()
    {
        QFETCH(QByteArray, command);
        Type3Tag tag(kLinkMessage, kIdm);
        QCOMPARE(tag.respond(command), QByteArray());
    }

    void malformedChecksGetStatusFlags_data()
    {
        QTest::addColumn<QByteArray>("command");
        QTest::addColumn<QByteArray>("expected");
        const QByteArray block0 = twoByteElement(0);
        QTest::newRow("no parameters") << frame(0x06, QByteArray()) << checkError(0xFF, 0xA1);
        QTest::newRow("zero services") << check({block0}, hex("00")) << checkError(0xFF, 0xA1);
        QTest::newRow("17 services") << check({block0}, hex("11") + QByteArray(34, '\0')) << checkError(0xFF, 0xA1);
        QTest::newRow("service list cut short") << frame(0x06, hex("020B00")) << checkError(0xFF, 0xA1);
        QTest::newRow("read/write service 0009") << check({block0}, hex("010900")) << checkError(0xFF, 0xA6);
        QTest::newRow("big-endian 000B") << check({block0}, hex("01000B")) << checkError(0xFF, 0xA6);
        QTest::newRow("second service unknown") << check({block0}, hex("020B001000")) << checkError(0xFF, 0xA6);
        QTest::newRow("no block count") << frame(0x06, hex("010B00")) << checkError(0xFF, 0xA2);
        QTest::newRow("zero blocks") << check({}) << checkError(0xFF, 0xA2);
        QTest::newRow("block list cut short") << frame(0x06, hex("010B00028000")) << checkError(0xFF, 0xA2);
        QTest::newRow("3-byte element cut short") << frame(0x06, hex("010B00010001")) << checkError(0xFF, 0xA2);
        QTest::newRow("bytes after the block list") << frame(0x06, hex("010B0001800000")) << checkError(0xFF, 0xA2);
        QTest::newRow("service order past the list") << check({hex("8100")}) << checkError(0x01, 0xA3);
        QTest::newRow("access mode 1") << check({hex("9000")}) << checkError(0x01, 0xA7);
        QTest::newRow("block past NmaxB") << check({twoByteElement(6)}) << checkError(0x01, 0xA8);
        QTest::newRow("second element past NmaxB") << check({block0, twoByteElement(200)}) << checkError(0x02, 0xA8);
        QList<QByteArray> nine(8, block0);
        nine.append(twoByteElement(99));
        QTest::newRow("ninth element past NmaxB") << check(nine) << checkError(0x01, 0xA8);
    }

    void malformedChecksGetStatusFlags()
    {
        QFETCH(QByteArray, command);
        QFETCH(QByteArray, expected);
        Type3Tag tag(kLinkMessage, kIdm); // 65 bytes: NmaxB = 5
        QCOMPARE(tag.respond(command), expected);
        QVERIFY(!tag.messageFullyRead());
        QCOMPARE(blocksOf(tag.respond(checkBlocks(0, 1))).size(), 16); // the session goes on
    }

    void twoServiceEntriesForTheSameService()
    {
        Type3Tag tag(kLinkMessage, kIdm);
        const QByteArray answer = tag.respond(check({hex("8000"), hex("8101")}, hex("020B000B00")));
        QCOMPARE(blocksOf(answer).mid(16), kLinkMessage.left(16));
    }

    void requestCommands()
    {
        Type3Tag tag(kLinkMessage, kIdm);
        QCOMPARE(tag.respond(frame(0x04, QByteArray())), frame(0x05, hex("00")));
        QCOMPARE(tag.respond(frame(0x0C, QByteArray())), frame(0x0D, hex("0112FC")));
        QCOMPARE(tag.respond(frame(0x02, hex("030B0000000900"))), frame(0x03, hex("030000" "0000" "FFFF")));
    }

    void coverageNeedsEveryBlockAndResetClearsIt()
    {
        Type3Tag tag(QByteArray(40, 'q'), kIdm); // blocks 1..3
        tag.respond(check({twoByteElement(3), twoByteElement(1)}));
        QVERIFY(!tag.messageFullyRead());
        tag.respond(checkBlocks(0, 1));
        QVERIFY(!tag.messageFullyRead());
        tag.respond(checkBlocks(2, 1));
        QVERIFY(tag.messageFullyRead());
        tag.reset();
        QVERIFY(!tag.messageFullyRead());
        tag.respond(checkBlocks(0, 4));
        QVERIFY(tag.messageFullyRead());
    }

    void idmOfWrongSizeAnswersNothing()
    {
        Type3Tag tag(kLinkMessage, kIdm.left(7));
        QCOMPARE(tag.respond(frame(0x06, hex("010B00018000"), kIdm.left(7))), QByteArray());
        QCOMPARE(tag.respond(frame(0x04, QByteArray(), kIdm.left(7))), QByteArray());
    }

    void oversizedMessageIsNotServed()
    {
        Type3Tag tag(QByteArray(Type3Tag::kMaxMessageSize + 1, 'x'), kIdm);
        QVERIFY(tag.ndefMessage().isEmpty());
        QCOMPARE(parseAttribute(blocksOf(tag.respond(checkBlocks(0, 1)))).ln, 0);
        QVERIFY(tag.messageFullyRead());
    }
};

QTEST_GUILESS_MAIN(Type3TagTest)
#include "type3tagtest.moc"
