// NTAG213/215/216 stickers: identification, the page writes that put the kiosk's link on
// them (applied to a model of the chip's memory, interrupted after every write), the
// permanent lock, and reading NDEF back out of Type 2 memory, hostile memory included.
#include "ntag21x.h"

#include <QTest>

using namespace poptap::nfc;

namespace {

QByteArray hex(const char *text)
{
    return QByteArray::fromHex(text);
}

// What the data sheet (§8.5.3, "Dynamic Lock Bytes") says about each type's dynamic lock
// bits, written as granularity rather than bytes: the model below derives from it which
// bits exist (every other bit is RFUI) and which pages they lock.
struct DynamicLockFacts {
    int pagesPerLockBit;
    int lockBits; // byte 0 b0..b7, then byte 1 from b0
    int blockLockBits; // byte 2 from b0
};

DynamicLockFacts dynamicLockFacts(NtagType type)
{
    switch (type) {
    case NtagType::Ntag213: return {2, 12, 6};
    case NtagType::Ntag215: return {16, 8, 4};
    case NtagType::Ntag216: return {16, 14, 7};
    }
    return {};
}

// NTAG21x memory as the chip keeps it: pages 0-1 and bytes 0-1 of page 2 are factory-locked,
// the lock bytes and the CC are one-time programmable (a WRITE ORs bits in), RFUI lock bits
// must be written 0, and locked pages refuse writes.
class NtagModel
{
public:
    NtagModel(NtagType type, const QByteArray &cc, const QByteArray &userArea = {})
        : m_type(type), m_layout(layoutOf(type)), m_memory(m_layout.totalPages * 4, '\0')
    {
        m_memory.replace(0, 9, hex("045A1CCA226B408102")); // UID and check bytes
        m_memory.replace(12, 4, cc);
        m_memory.replace(16, std::min<qsizetype>(userArea.size(), m_layout.userBytes), userArea);
        m_memory[m_layout.dynamicLockPage * 4 + 3] = char(0xBD); // RFUI, reads BDh
    }

    bool write(const PageWrite &w)
    {
        if (w.data.size() != 4 || w.page < 2 || w.page >= m_layout.totalPages || locked(w.page))
            return false;
        char *page = m_memory.data() + w.page * 4;
        if (w.page == 2) {
            page[2] = char(page[2] | w.data[2]);
            page[3] = char(page[3] | w.data[3]);
        } else if (w.page == 3) {
            for (int i = 0; i < 4; ++i)
                page[i] = char(page[i] | w.data[i]);
        } else if (w.page == m_layout.dynamicLockPage) {
            const DynamicLockFacts f = dynamicLockFacts(m_type);
            const quint32 valid = (1u << f.lockBits) - 1;
            const quint32 written = quint8(w.data[0]) | quint8(w.data[1]) << 8;
            if ((written & ~valid) || (quint8(w.data[2]) >> f.blockLockBits) || w.data[3] != 0)
                return false; // RFUI bits set
            for (int i = 0; i < 3; ++i)
                page[i] = char(page[i] | w.data[i]);
        } else {
            std::copy(w.data.begin(), w.data.end(), page);
        }
        return true;
    }

    int apply(const QList<PageWrite> &writes, qsizetype count)
    {
        int refused = 0;
        for (qsizetype i = 0; i < count; ++i)
            refused += write(writes.at(i)) ? 0 : 1;
        return refused;
    }

    bool locked(int page) const
    {
        const auto byte = [&](int at) { return quint8(m_memory[at]); };
        const quint16 staticBits = byte(10) | byte(11) << 8; // page 2 bytes 2-3: bit n locks page n
        if (page >= 3 && page <= 15)
            return staticBits & (1u << page);
        const DynamicLockFacts f = dynamicLockFacts(m_type);
        const int at = m_layout.dynamicLockPage * 4;
        const quint32 dynamicBits = byte(at) | byte(at + 1) << 8;
        const int lastUserPage = 3 + m_layout.userBytes / 4;
        if (page >= 16 && page <= lastUserPage)
            return dynamicBits & (1u << ((page - 16) / f.pagesPerLockBit));
        return false;
    }

    // Pages 0 .. end of the user area, as the kiosk reads a sticker back.
    QByteArray memory() const { return m_memory.left(16 + m_layout.userBytes); }
    QByteArray cc() const { return m_memory.mid(12, 4); }
    QByteArray page(int n) const { return m_memory.mid(n * 4, 4); }

private:
    NtagType m_type;
    NtagLayout m_layout;
    QByteArray m_memory;
};

// A recognisable message of `size` bytes ("abc…zab…").
QByteArray message(int size)
{
    QByteArray m(size, '\0');
    for (int i = 0; i < size; ++i)
        m[i] = char('a' + i % 26);
    return m;
}

// Memory from page 0 with `cc` and `data` from page 4, zero-filled to `total` bytes.
QByteArray memoryWith(const QByteArray &cc, const QByteArray &data, int total = 16 + 144)
{
    QByteArray m = hex("045A1CCA226B40810248000000000000");
    m.replace(12, 4, cc);
    m += data;
    if (m.size() < total)
        m.append(total - m.size(), '\0');
    return m;
}

const QList<NtagType> kTypes{NtagType::Ntag213, NtagType::Ntag215, NtagType::Ntag216};

} // namespace

Q_DECLARE_METATYPE(poptap::nfc::NtagType)
Q_DECLARE_METATYPE(QList<poptap::nfc::PageWrite>)

namespace poptap::nfc {
// Readable QCOMPARE failures: "page 4: 03 00 FE 00".
char *toString(const PageWrite &w)
{
    return qstrdup(QStringLiteral("page %1: %2").arg(w.page).arg(QString::fromLatin1(w.data.toHex(' '))).toLatin1().constData());
}
} // namespace poptap::nfc

class Ntag21xTest : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void layouts()
    {
        const NtagLayout n213 = layoutOf(NtagType::Ntag213);
        QCOMPARE(n213.totalPages, 45);
        QCOMPARE(n213.userBytes, 144);
        QCOMPARE(n213.dynamicLockPage, 0x28);
        QCOMPARE(n213.capabilityContainer, hex("E1101200"));
        const NtagLayout n215 = layoutOf(NtagType::Ntag215);
        QCOMPARE(n215.totalPages, 135);
        QCOMPARE(n215.userBytes, 504);
        QCOMPARE(n215.dynamicLockPage, 0x82);
        QCOMPARE(n215.capabilityContainer, hex("E1103E00"));
        const NtagLayout n216 = layoutOf(NtagType::Ntag216);
        QCOMPARE(n216.totalPages, 231);
        QCOMPARE(n216.userBytes, 888);
        QCOMPARE(n216.dynamicLockPage, 0xE2);
        QCOMPARE(n216.capabilityContainer, hex("E1106D00"));
        for (const NtagType type : kTypes) {
            // The dynamic lock page follows the user pages directly.
            QCOMPARE(layoutOf(type).dynamicLockPage, 4 + layoutOf(type).userBytes / 4);
        }
        QCOMPARE(toString(NtagType::Ntag213), QStringLiteral("NTAG213"));
        QCOMPARE(toString(NtagType::Ntag215), QStringLiteral("NTAG215"));
        QCOMPARE(toString(NtagType::Ntag216), QStringLiteral("NTAG216"));
        // CC area less 03 L .. FE, or 03 FF hi lo .. FE.
        QCOMPARE(maxNdefMessageSize(NtagType::Ntag213), 144 - 3);
        QCOMPARE(maxNdefMessageSize(NtagType::Ntag215), 496 - 5);
        QCOMPARE(maxNdefMessageSize(NtagType::Ntag216), 872 - 5);
    }

    void versions_data()
    {
        QTest::addColumn<QByteArray>("version");
        QTest::addColumn<int>("expected"); // -1: not an NTAG213/215/216
        QTest::newRow("NTAG213") << hex("0004040201000F03") << int(NtagType::Ntag213);
        QTest::newRow("NTAG215") << hex("0004040201001103") << int(NtagType::Ntag215);
        QTest::newRow("NTAG216") << hex("0004040201001303") << int(NtagType::Ntag216);
        QTest::newRow("NTAG210") << hex("0004040101000B03") << -1;
        QTest::newRow("MIFARE Ultralight EV1") << hex("0004030101000B03") << -1;
        QTest::newRow("other vendor") << hex("0005040201000F03") << -1;
        QTest::newRow("other protocol") << hex("0004040201000F04") << -1;
        QTest::newRow("unknown size") << hex("0004040201001503") << -1;
        QTest::newRow("7 bytes") << hex("0004040201000F") << -1;
        QTest::newRow("9 bytes") << hex("0004040201000F0300") << -1;
        QTest::newRow("empty") << QByteArray() << -1;
    }

    void versions()
    {
        QFETCH(QByteArray, version);
        QFETCH(int, expected);
        const std::optional<NtagType> type = ntagTypeFromVersion(version);
        QCOMPARE(type ? int(*type) : -1, expected);
    }

    void shortMessagePlan()
    {
        const QByteArray m = hex("D101055504") + QByteArray("a.jp"); // 9 bytes: 03 09, 9, FE = 3 pages
        QCOMPARE(m.size(), 9);
        const NtagWritePlan plan = planNdefWrite(NtagType::Ntag213, hex("E1101200"), m);
        QVERIFY2(plan.error.isEmpty(), qPrintable(plan.error));
        const QList<PageWrite> expected{
            {4, hex("0300FE00")},           // empty message first
            {5, m.mid(2, 4)},
            {6, m.mid(6, 3) + hex("FE")},   // last message byte, terminator
            {4, hex("0309") + m.left(2)},   // then the real TLV header
        };
        QCOMPARE(plan.writes, expected);
    }

    void threeByteLengthPlan()
    {
        const QByteArray m = message(300);
        const NtagWritePlan plan = planNdefWrite(NtagType::Ntag215, hex("00000000"), m);
        QVERIFY2(plan.error.isEmpty(), qPrintable(plan.error));
        // 03 FF 01 2C fills page 4; the message takes pages 5..79, the terminator page 80.
        QCOMPARE(plan.writes.size(), 1 + 1 + 75 + 1 + 1);
        QCOMPARE(plan.writes.at(0), (PageWrite{4, hex("0300FE00")}));
        QCOMPARE(plan.writes.at(1), (PageWrite{3, hex("E1103E00")}));
        for (int i = 0; i < 75; ++i)
            QCOMPARE(plan.writes.at(2 + i), (PageWrite{5 + i, m.mid(4 * i, 4)}));
        QCOMPARE(plan.writes.at(77), (PageWrite{80, hex("FE000000")}));
        QCOMPARE(plan.writes.last(), (PageWrite{4, hex("03FF012C")}));
    }

    void lengthFormBoundary()
    {
        // 254 is the longest one-byte TLV length; 255 takes FF 00 FF.
        const NtagWritePlan short254 = planNdefWrite(NtagType::Ntag215, hex("E1103E00"), message(254));
        QCOMPARE(short254.writes.last().data.left(3), hex("03FE") + message(1));
        const NtagWritePlan long255 = planNdefWrite(NtagType::Ntag215, hex("E1103E00"), message(255));
        QCOMPARE(long255.writes.last().data, hex("03FF00FF"));
    }

    void singlePageMessage()
    {
        // The whole TLV fits page 4: one atomic write; on a blank tag the CC comes after it.
        const NtagWritePlan formatted = planNdefWrite(NtagType::Ntag213, hex("E1101200"), hex("AA"));
        QCOMPARE(formatted.writes, (QList<PageWrite>{{4, hex("0301AAFE")}}));
        const NtagWritePlan blank = planNdefWrite(NtagType::Ntag213, hex("00000000"), hex("AA"));
        QCOMPARE(blank.writes, (QList<PageWrite>{{4, hex("0301AAFE")}, {3, hex("E1101200")}}));
    }

    void tooLargeMessagesAreRefused_data()
    {
        QTest::addColumn<NtagType>("type");
        QTest::addColumn<int>("size");
        QTest::addColumn<QString>("mentions");
        QTest::newRow("NTAG213 142") << NtagType::Ntag213 << 142 << QStringLiteral("at most 141");
        QTest::newRow("NTAG213 300") << NtagType::Ntag213 << 300 << QStringLiteral("300 bytes");
        QTest::newRow("NTAG215 492") << NtagType::Ntag215 << 492 << QStringLiteral("NTAG215 holds at most 491");
        QTest::newRow("NTAG216 868") << NtagType::Ntag216 << 868 << QStringLiteral("NDEF area has 872 bytes");
        QTest::newRow("NTAG216 70000") << NtagType::Ntag216 << 70000 << QStringLiteral("70000 bytes");
    }

    void tooLargeMessagesAreRefused()
    {
        QFETCH(NtagType, type);
        QFETCH(int, size);
        QFETCH(QString, mentions);
        const NtagWritePlan plan = planNdefWrite(type, layoutOf(type).capabilityContainer, message(size));
        QVERIFY(plan.writes.isEmpty());
        QVERIFY2(plan.error.contains(mentions), qPrintable(plan.error));
        QVERIFY(plan.error.contains(toString(type)));
        // One byte less fits.
        const NtagWritePlan fits = planNdefWrite(type, layoutOf(type).capabilityContainer,
                                                 message(maxNdefMessageSize(type)));
        QVERIFY2(fits.error.isEmpty(), qPrintable(fits.error));
    }

    void capabilityContainer_data()
    {
        QTest::addColumn<NtagType>("type");
        QTest::addColumn<QByteArray>("cc");
        QTest::addColumn<QString>("error"); // empty: accepted
        QTest::addColumn<bool>("writesCc");
        QTest::newRow("blank") << NtagType::Ntag213 << hex("00000000") << QString() << true;
        QTest::newRow("equal") << NtagType::Ntag216 << hex("E1106D00") << QString() << false;
        QTest::newRow("read-only") << NtagType::Ntag213 << hex("E110120F") << QStringLiteral("read-only") << false;
        QTest::newRow("NTAG215 CC on an NTAG213") << NtagType::Ntag213 << hex("E1103E00")
                                                  << QStringLiteral("496-byte NDEF area, but an NTAG213 has 144")
                                                  << false;
        QTest::newRow("version 2.0") << NtagType::Ntag215 << hex("E1203E00") << QStringLiteral("version 2.0") << false;
        QTest::newRow("not NFC Forum") << NtagType::Ntag215 << hex("0A0B0C0D")
                                       << QStringLiteral("0A 0B 0C 0D, not the NFC Forum container E1 10 3E 00")
                                       << false;
        QTest::newRow("half written") << NtagType::Ntag213 << hex("E1000000") << QStringLiteral("version 0.0") << false;
        QTest::newRow("read access restricted") << NtagType::Ntag213 << hex("E1101280")
                                                << QStringLiteral("restricts access") << false;
        QTest::newRow("3 bytes") << NtagType::Ntag213 << hex("E11012") << QStringLiteral("3 bytes") << false;
    }

    void capabilityContainer()
    {
        QFETCH(NtagType, type);
        QFETCH(QByteArray, cc);
        QFETCH(QString, error);
        QFETCH(bool, writesCc);
        const NtagWritePlan plan = planNdefWrite(type, cc, message(40));
        if (!error.isEmpty()) {
            QVERIFY2(plan.error.contains(error), qPrintable(plan.error));
            QVERIFY(plan.writes.isEmpty());
            return;
        }
        QVERIFY2(plan.error.isEmpty(), qPrintable(plan.error));
        const bool hasCc = std::any_of(plan.writes.begin(), plan.writes.end(), [](const PageWrite &w) {
            return w.page == 3;
        });
        QCOMPARE(hasCc, writesCc);
    }

    void writeAndReadBack_data()
    {
        QTest::addColumn<NtagType>("type");
        QTest::addColumn<QByteArray>("cc");
        QTest::addColumn<int>("size");
        for (const NtagType type : kTypes) {
            const QByteArray name = toString(type).toLatin1();
            for (const int size : {0, 1, 40, 254, 255, maxNdefMessageSize(type)}) {
                if (size > maxNdefMessageSize(type))
                    continue;
                QTest::addRow("%s blank %d", name.constData(), size) << type << hex("00000000") << size;
                QTest::addRow("%s formatted %d", name.constData(), size)
                    << type << layoutOf(type).capabilityContainer << size;
            }
        }
    }

    void writeAndReadBack()
    {
        QFETCH(NtagType, type);
        QFETCH(QByteArray, cc);
        QFETCH(int, size);
        // Stale bytes everywhere: the plan must not rely on a clean tag.
        NtagModel tag(type, cc, QByteArray(layoutOf(type).userBytes, char(0x5A)));
        const QByteArray m = message(size);
        const NtagWritePlan plan = planNdefWrite(type, tag.cc(), m);
        QVERIFY2(plan.error.isEmpty(), qPrintable(plan.error));
        for (const PageWrite &w : plan.writes) {
            QCOMPARE(w.data.size(), 4);
            QVERIFY(w.page >= 3 && w.page < 4 + layoutOf(type).userBytes / 4);
        }
        QCOMPARE(tag.apply(plan.writes, plan.writes.size()), 0);
        const NdefFromTag back = ndefFromType2Memory(tag.memory());
        QVERIFY2(back.error.isEmpty(), qPrintable(back.error));
        QCOMPARE(back.message, m);
        QCOMPARE(tag.cc(), layoutOf(type).capabilityContainer);
    }

    void interruptedWriteNeverLeavesACorruptMessage_data()
    {
        QTest::addColumn<NtagType>("type");
        QTest::addColumn<QByteArray>("cc");
        QTest::addColumn<QByteArray>("before"); // user area before the write
        QTest::addColumn<QByteArray>("oldMessage"); // what `before` holds
        QTest::addColumn<bool>("neverFormatted");
        QTest::addColumn<int>("size");
        for (const NtagType type : kTypes) {
            const QByteArray name = toString(type).toLatin1();
            const QByteArray cc = layoutOf(type).capabilityContainer;
            const int userBytes = layoutOf(type).userBytes;
            const QByteArray factory = hex("0300FE00") + QByteArray(userBytes - 4, '\0');
            QByteArray holdsOld = hex("0364") + QByteArray(100, 'Z') + hex("FE");
            holdsOld.append(userBytes - holdsOld.size(), char(0x77));
            const QByteArray garbage(userBytes, char(0xC3));
            for (const int size : {1, 30, 120, maxNdefMessageSize(type)}) {
                QTest::addRow("%s factory %d", name.constData(), size)
                    << type << cc << factory << QByteArray() << false << size;
                QTest::addRow("%s old message %d", name.constData(), size)
                    << type << cc << holdsOld << QByteArray(100, 'Z') << false << size;
                QTest::addRow("%s blank with garbage %d", name.constData(), size)
                    << type << hex("00000000") << garbage << QByteArray() << true << size;
            }
        }
    }

    void interruptedWriteNeverLeavesACorruptMessage()
    {
        QFETCH(NtagType, type);
        QFETCH(QByteArray, cc);
        QFETCH(QByteArray, before);
        QFETCH(QByteArray, oldMessage);
        QFETCH(bool, neverFormatted);
        QFETCH(int, size);
        const QByteArray m = message(size);
        const NtagWritePlan plan = planNdefWrite(type, cc, m);
        QVERIFY2(plan.error.isEmpty(), qPrintable(plan.error));
        for (qsizetype done = 0; done <= plan.writes.size(); ++done) {
            NtagModel tag(type, cc, before);
            QCOMPARE(tag.apply(plan.writes, done), 0);
            const NdefFromTag now = ndefFromType2Memory(tag.memory());
            const QString at = QStringLiteral("after %1 of %2 writes").arg(done).arg(plan.writes.size());
            if (done == plan.writes.size()) {
                QCOMPARE(now.message, m);
                continue;
            }
            if (!now.error.isEmpty()) {
                // Only a tag that was never formatted may still read as "not NDEF".
                QVERIFY2(neverFormatted && tag.cc() == hex("00000000"), qPrintable(at + QLatin1String(": ") + now.error));
                continue;
            }
            const bool acceptable = now.message.isEmpty() || now.message == m || (done == 0 && now.message == oldMessage);
            QVERIFY2(acceptable, qPrintable(at + QLatin1String(": ") + QString::fromLatin1(now.message.toHex())));
        }
    }

    void permanentLockPlan_data()
    {
        QTest::addColumn<NtagType>("type");
        QTest::addColumn<QList<PageWrite>>("expected");
        QTest::newRow("NTAG213") << NtagType::Ntag213
                                 << QList<PageWrite>{{3, hex("E110120F")}, {0x28, hex("FF0F3F00")}, {2, hex("0000FFFF")}};
        QTest::newRow("NTAG215") << NtagType::Ntag215
                                 << QList<PageWrite>{{3, hex("E1103E0F")}, {0x82, hex("FF000F00")}, {2, hex("0000FFFF")}};
        QTest::newRow("NTAG216") << NtagType::Ntag216
                                 << QList<PageWrite>{{3, hex("E1106D0F")}, {0xE2, hex("FF3F7F00")}, {2, hex("0000FFFF")}};
    }

    void permanentLockPlan()
    {
        QFETCH(NtagType, type);
        QFETCH(QList<PageWrite>, expected);
        QCOMPARE(planPermanentLock(type), expected);

        // On the model: every write is accepted (no RFUI bit), and afterwards the CC says
        // read-only, every page from the CC to the last user page is locked, and the
        // message is still there.
        NtagModel tag(type, layoutOf(type).capabilityContainer);
        const QByteArray m = message(60);
        const NtagWritePlan write = planNdefWrite(type, tag.cc(), m);
        QCOMPARE(tag.apply(write.writes, write.writes.size()), 0);
        const QList<PageWrite> lock = planPermanentLock(type);
        QCOMPARE(tag.apply(lock, lock.size()), 0);
        QCOMPARE(quint8(tag.cc().at(3)), 0x0F);
        const int lastUserPage = 3 + layoutOf(type).userBytes / 4;
        for (int page = 3; page <= lastUserPage; ++page)
            QVERIFY2(tag.locked(page), qPrintable(QStringLiteral("page %1").arg(page)));
        QVERIFY(!tag.write({4, hex("0300FE00")}));
        QCOMPARE(ndefFromType2Memory(tag.memory()).message, m);
        // A second write attempt is refused before anything is sent.
        const NtagWritePlan again = planNdefWrite(type, tag.cc(), m);
        QVERIFY(again.writes.isEmpty());
        QVERIFY2(again.error.contains(QLatin1String("read-only")), qPrintable(again.error));
    }

    void readsType2Memory_data()
    {
        QTest::addColumn<QByteArray>("memory");
        QTest::addColumn<QByteArray>("message");
        QTest::addColumn<QString>("error"); // a part of the expected error; empty: success
        const QByteArray cc = hex("E1101200");
        const QByteArray abc("abc");
        QTest::newRow("NDEF TLV") << memoryWith(cc, hex("0303") + abc + hex("FE")) << abc << QString();
        QTest::newRow("empty NDEF message") << memoryWith(cc, hex("0300FE")) << QByteArray() << QString();
        QTest::newRow("NULL TLVs first") << memoryWith(cc, hex("000000") + hex("0303") + abc) << abc << QString();
        QTest::newRow("no terminator after NDEF") << memoryWith(cc, hex("0303") + abc + hex("A5A5A5")) << abc << QString();
        QTest::newRow("3-byte length") << memoryWith(cc, hex("03FF0003") + abc) << abc << QString();
        QTest::newRow("lock control then NDEF")
            << memoryWith(cc, hex("0103A00C34") + hex("0303") + abc + hex("FE")) << abc << QString();
        QTest::newRow("memory control then NDEF")
            << memoryWith(cc, hex("0203F00244") + hex("0303") + abc + hex("FE")) << abc << QString();
        // A Memory Control TLV reserving bytes 24..25 (page 6, bytes 0-1) inside the data
        // area: the NDEF bytes continue around them.
        QTest::newRow("reserved bytes skipped")
            << memoryWith(cc, hex("0203600202") + hex("0305") + hex("61") + hex("EEEE") + hex("62636465FE"))
            << QByteArray("abcde") << QString();
        QTest::newRow("proprietary TLV skipped")
            << memoryWith(cc, hex("FD02ABCD") + hex("0303") + abc) << abc << QString();
        QTest::newRow("data area cut at the memory read") << memoryWith(cc, hex("0303") + abc, 16 + 5) << abc << QString();

        QTest::newRow("nothing") << QByteArray() << QByteArray() << QStringLiteral("Only 0 bytes");
        QTest::newRow("15 bytes") << QByteArray(15, '\0') << QByteArray() << QStringLiteral("Only 15 bytes");
        QTest::newRow("blank CC") << memoryWith(hex("00000000"), hex("0303") + abc) << QByteArray()
                                  << QStringLiteral("not NDEF formatted");
        QTest::newRow("version 2.0") << memoryWith(hex("E1201200"), hex("0303") + abc) << QByteArray()
                                     << QStringLiteral("version 2.0");
        QTest::newRow("read access denied") << memoryWith(hex("E11012F0"), hex("0303") + abc) << QByteArray()
                                            << QStringLiteral("denies read access");
        QTest::newRow("no data area") << memoryWith(hex("E1100000"), hex("0303") + abc) << QByteArray()
                                      << QStringLiteral("no data area");
        QTest::newRow("terminator first") << memoryWith(cc, hex("FE0303") + abc) << QByteArray()
                                          << QStringLiteral("terminator");
        QTest::newRow("only NULL TLVs") << memoryWith(cc, QByteArray()) << QByteArray()
                                        << QStringLiteral("No NDEF TLV before the end of the data area");
        QTest::newRow("length past the memory") << memoryWith(cc, hex("0350") + abc, 16 + 20) << QByteArray()
                                                << QStringLiteral("memory read ends at byte 36");
        QTest::newRow("length past the data area")
            << memoryWith(hex("E1100100"), hex("0309") + abc + QByteArray(20, 'x')) << QByteArray()
            << QStringLiteral("announces 9 bytes");
        QTest::newRow("3-byte length cut off") << memoryWith(hex("E1100100"), QByteArray(6, '\0') + hex("03FF00"))
                                               << QByteArray() << QStringLiteral("cut off before its length");
        QTest::newRow("length FFFF") << memoryWith(cc, hex("03FFFFFF") + abc) << QByteArray()
                                     << QStringLiteral("announces 65535 bytes");
        QTest::newRow("lock control of 2 bytes") << memoryWith(cc, hex("0102A00C") + hex("0303") + abc) << QByteArray()
                                                 << QStringLiteral("Lock Control TLV at byte 16 has 2 value bytes");
        QTest::newRow("lock control past the end") << memoryWith(cc, hex("01FE")) << QByteArray()
                                                   << QStringLiteral("more than the data area holds");
        QTest::newRow("reserved area swallows the NDEF bytes")
            << memoryWith(cc, hex("02034000" "00") + hex("0303") + abc) << QByteArray()
            << QStringLiteral("No NDEF TLV");
    }

    void readsType2Memory()
    {
        QFETCH(QByteArray, memory);
        QFETCH(QByteArray, message);
        QFETCH(QString, error);
        const NdefFromTag result = ndefFromType2Memory(memory);
        if (error.isEmpty()) {
            QVERIFY2(result.error.isEmpty(), qPrintable(result.error));
        } else {
            QVERIFY2(result.error.contains(error), qPrintable(result.error));
        }
        QCOMPARE(result.message, message);
    }
};

QTEST_GUILESS_MAIN(Ntag21xTest)
#include "ntag21xtest.moc"
