#include "ndeflink.h"
#include "ntag21x.h"
#include "ntagwriter.h"
#include "simulatedntag.h"

#include <QTest>

#include <limits>

using namespace poptap;
using nfc::NtagType;

namespace {

const QUrl kPopLink(QStringLiteral("https://liff.line.me/2001234567-PopTapDm/p/7001"));

// A sticker that goes away (or starts refusing) after a number of WRITE commands, like one
// pulled off the reader mid-write.
class FlakySticker final : public NtagAccess
{
public:
    FlakySticker(SimulatedNtag &tag, int writesBeforeFailure)
        : m_tag(tag)
        , m_writesLeft(writesBeforeFailure)
    {
    }
    QByteArray getVersion() override { return m_tag.getVersion(); }
    QByteArray read4Pages(int page) override { return m_tag.read4Pages(page); }
    bool writePage(int page, const QByteArray &data) override
    {
        if (m_writesLeft-- <= 0)
            return false;
        ++m_writesDone;
        return m_tag.writePage(page, data);
    }
    int writesDone() const { return m_writesDone; }

private:
    SimulatedNtag &m_tag;
    int m_writesLeft;
    int m_writesDone = 0;
};

// A sticker whose memory answers differently than written (a counterfeit, or a bit flip).
class LyingSticker final : public NtagAccess
{
public:
    explicit LyingSticker(SimulatedNtag &tag)
        : m_tag(tag)
    {
    }
    QByteArray getVersion() override { return m_tag.getVersion(); }
    QByteArray read4Pages(int page) override
    {
        QByteArray pages = m_tag.read4Pages(page);
        if (page >= 8 && !pages.isEmpty())
            pages[0] = char(pages[0] ^ 0x20);
        return pages;
    }
    bool writePage(int page, const QByteArray &data) override { return m_tag.writePage(page, data); }

private:
    SimulatedNtag &m_tag;
};

class NotAnNtag final : public NtagAccess
{
public:
    QByteArray getVersion() override { return {}; } // a MIFARE Classic card stays silent
    QByteArray read4Pages(int) override { return QByteArray(16, '\0'); }
    bool writePage(int, const QByteArray &) override { return false; }
};

QByteArray ndefOn(SimulatedNtag &tag, NtagType type)
{
    const nfc::NdefFromTag read = nfc::ndefFromType2Memory(readNtagMemory(tag, type));
    return read.error.isEmpty() ? read.message : QByteArray("error: ") + read.error.toUtf8();
}

} // namespace

class NtagWriterTest : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void writesAndReadsBackOnEveryType_data()
    {
        QTest::addColumn<NtagType>("type");
        QTest::newRow("NTAG213") << NtagType::Ntag213;
        QTest::newRow("NTAG215") << NtagType::Ntag215;
        QTest::newRow("NTAG216") << NtagType::Ntag216;
    }
    void writesAndReadsBackOnEveryType()
    {
        QFETCH(NtagType, type);
        SimulatedNtag tag(type);
        const NtagWriteOutcome outcome = writeLinkToNtag(tag, kPopLink, false);
        QVERIFY2(outcome.error.isEmpty(), qPrintable(outcome.error));
        QVERIFY(outcome.type == type);
        QCOMPARE(ndefOn(tag, type), encodeNdefUri(kPopLink));
        QCOMPARE(decodeNdefUri(ndefOn(tag, type)).link, kPopLink);
        // Not locked: the capability container still grants write access.
        QCOMPARE(quint8(tag.memory().at(3 * 4 + 3)), quint8(0x00));
        // And it can be written again with another link.
        const QUrl other(QStringLiteral("https://liff.line.me/2001234567-PopTapDm/p/7002"));
        QVERIFY(writeLinkToNtag(tag, other, false).error.isEmpty());
        QCOMPARE(decodeNdefUri(ndefOn(tag, type)).link, other);
    }

    void permanentLockMakesTheStickerReadOnly()
    {
        SimulatedNtag tag(NtagType::Ntag213);
        const NtagWriteOutcome outcome = writeLinkToNtag(tag, kPopLink, true);
        QVERIFY2(outcome.error.isEmpty(), qPrintable(outcome.error));
        QCOMPARE(quint8(tag.memory().at(3 * 4 + 3)), quint8(0x0F)); // CC: no write access
        QCOMPARE(decodeNdefUri(ndefOn(tag, NtagType::Ntag213)).link, kPopLink);
        // A second write is refused by the tag itself, and says so.
        const NtagWriteOutcome again = writeLinkToNtag(tag, QUrl(QStringLiteral("https://example.com/x")), false);
        QVERIFY2(again.error.contains(QLatin1String("read-only")), qPrintable(again.error));
        QCOMPARE(decodeNdefUri(ndefOn(tag, NtagType::Ntag213)).link, kPopLink);
    }

    void aLinkTooLongForTheStickerIsRefusedBeforeAnyWrite()
    {
        SimulatedNtag tag(NtagType::Ntag213);
        const QByteArray before = tag.memory();
        const QUrl longLink(QStringLiteral("https://liff.line.me/2001234567-PopTapDm/p/") + QString(200, QLatin1Char('a')));
        const NtagWriteOutcome outcome = writeLinkToNtag(tag, longLink, false);
        QVERIFY2(outcome.error.contains(QLatin1String("holds at most")), qPrintable(outcome.error));
        QCOMPARE(tag.memory(), before);
        // The same link fits an NTAG215.
        SimulatedNtag bigger(NtagType::Ntag215);
        QVERIFY(writeLinkToNtag(bigger, longLink, false).error.isEmpty());
    }

    void aStickerPulledAwayMidWriteHoldsNoHalfLink()
    {
        // How many WRITEs the whole link takes; the sticker is then pulled after each of them.
        int needed = 0;
        {
            SimulatedNtag probe(NtagType::Ntag213);
            FlakySticker counting(probe, std::numeric_limits<int>::max());
            QVERIFY(writeLinkToNtag(counting, kPopLink, false).error.isEmpty());
            needed = counting.writesDone();
        }
        QVERIFY(needed > 2); // a link of several pages, so that there is a middle to pull it in
        for (int writes = 0; writes <= needed; ++writes) {
            SimulatedNtag tag(NtagType::Ntag213);
            FlakySticker flaky(tag, writes);
            const NtagWriteOutcome outcome = writeLinkToNtag(flaky, kPopLink, false);
            const QByteArray left = ndefOn(tag, NtagType::Ntag213);
            if (writes < needed) {
                QVERIFY2(outcome.error.contains(QLatin1String("refused")), qPrintable(outcome.error));
                // Either the empty message of a fresh sticker, or the whole link; never a part.
                QVERIFY2(left.isEmpty() || left == encodeNdefUri(kPopLink), left.toHex().constData());
            } else {
                QVERIFY2(outcome.error.isEmpty(), qPrintable(outcome.error));
                QCOMPARE(left, encodeNdefUri(kPopLink));
            }
        }
    }

    void aReadBackThatDiffersIsAFailure()
    {
        SimulatedNtag tag(NtagType::Ntag213);
        LyingSticker lying(tag);
        const NtagWriteOutcome outcome = writeLinkToNtag(lying, kPopLink, false);
        QVERIFY2(outcome.error.contains(QLatin1String("different bytes")), qPrintable(outcome.error));
    }

    void aCardThatIsNotAnNtagIsNamedSo()
    {
        NotAnNtag card;
        const NtagWriteOutcome outcome = writeLinkToNtag(card, kPopLink, false);
        QVERIFY(!outcome.type);
        QVERIFY(outcome.error.contains(QLatin1String("NTAG213")));
    }
};

QTEST_GUILESS_MAIN(NtagWriterTest)
#include "ntagwritertest.moc"
