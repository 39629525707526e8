// One APDU of the emulated tag (DESIGN.md target: < 1 ms): the complete NFC Forum Type 4
// read procedure a phone runs on the kiosk's link, repeated --count times, each respond()
// timed on its own; then the same procedures untimed for APDUs per second. The FeliCa
// fallback (Type 3 Check commands) is timed the same way. Only the tag's own work is
// measured: the PN532 and the radio add milliseconds on top.
#include "benchstats.h"
#include "type3tag.h"
#include "type4tag.h"

#include <QCoreApplication>

#include <chrono>
#include <cstdio>

using namespace poptap;
using Clock = std::chrono::steady_clock;

namespace {

// The NDEF message the kiosk serves: one short URI record (TNF 1, type "U"), prefix 04 for
// "https://", then a LIFF link with a 40-character token.
const QByteArray kMessage = QByteArray::fromHex("D1014C5504")
    + QByteArray("liff.line.me/2001234567-PopTapDm/r/EZjqTKwAAQAAAAEAAAAHawKRZBipNkj5Ir8uv-El");

QByteArray readBinary(int offset, int le)
{
    QByteArray apdu = QByteArray::fromHex("00B0");
    apdu.append(char(offset >> 8));
    apdu.append(char(offset & 0xFF));
    apdu.append(char(le & 0xFF));
    return apdu;
}

// A mapping 2.0 reader's APDUs for this message: select the application, the CC, read it,
// select the NDEF file, read NLEN, read the message (it fits one MLe-sized read).
QList<QByteArray> type4Procedure()
{
    return {QByteArray::fromHex("00A4040007D276000085010100"), QByteArray::fromHex("00A4000C02E103"), readBinary(0, 15),
            QByteArray::fromHex("00A4000C02E104"), readBinary(0, 2), readBinary(2, int(kMessage.size()))};
}

QByteArray felicaCheck(const QByteArray &idm, int first, int count)
{
    QByteArray frame = QByteArray(1, char(0x06)) + idm + QByteArray::fromHex("010B00");
    frame.append(char(count));
    for (int b = first; b < first + count; ++b)
        frame.append(char(0x80)).append(char(b));
    return QByteArray(1, char(frame.size() + 1)) + frame;
}

int fail(const char *why)
{
    std::fprintf(stderr, "bench-apdu: %s\n", why);
    return 1;
}

// Times every exchange of `procedure` on `tag`, `count` times, into `samples` (µs). False
// when a read went wrong: the answers must carry the message, or the numbers mean nothing.
template<typename Tag, typename Check>
bool timeProcedures(Tag &tag, const QList<QByteArray> &procedure, int count, QList<double> &samples, Check checkRead)
{
    samples.reserve(samples.size() + qsizetype(count) * procedure.size());
    QList<QByteArray> answers(procedure.size());
    for (int i = 0; i < count; ++i) {
        tag.reset();
        for (qsizetype k = 0; k < procedure.size(); ++k) {
            const auto start = Clock::now();
            answers[k] = tag.respond(procedure.at(k));
            const auto end = Clock::now();
            samples.append(std::chrono::duration<double, std::micro>(end - start).count());
        }
        if (!tag.messageFullyRead() || !checkRead(answers))
            return false;
    }
    return true;
}

// APDUs per second over `count` untimed procedures.
template<typename Tag>
double throughput(Tag &tag, const QList<QByteArray> &procedure, int count)
{
    qsizetype bytes = 0; // keeps the answers observable
    const auto start = Clock::now();
    for (int i = 0; i < count; ++i) {
        tag.reset();
        for (const QByteArray &command : procedure)
            bytes += tag.respond(command).size();
    }
    const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
    return bytes > 0 && seconds > 0 ? double(count) * double(procedure.size()) / seconds : 0;
}

void report(const char *what, const QList<double> &samples, double perSecond)
{
    std::printf("%s: p50 %.2f µs, p99 %.2f µs, max %.1f µs per APDU (n=%lld); %.0f APDUs/s; target < 1000 µs\n", what,
                bench::median(samples), bench::percentile(samples, 99), bench::maximum(samples),
                static_cast<long long>(samples.size()), perSecond);
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    const int count = bench::countOption(app.arguments(), 20000, QStringLiteral("Read procedures to time."));

    nfc::Type4Tag type4(kMessage);
    const QList<QByteArray> procedure4 = type4Procedure();
    QList<double> samples4;
    const bool read4 = timeProcedures(type4, procedure4, count, samples4, [](const QList<QByteArray> &answers) {
        return answers.last() == kMessage + QByteArray::fromHex("9000");
    });
    if (!read4)
        return fail("the Type 4 read procedure did not return the message");

    const QByteArray idm = QByteArray::fromHex("02FE0102030405AA");
    nfc::Type3Tag type3(kMessage, idm);
    const int blocks = int(kMessage.size() + 15) / 16;
    QList<QByteArray> procedure3{felicaCheck(idm, 0, 1)};
    for (int first = 1; first <= blocks; first += nfc::Type3Tag::kBlocksPerCheck)
        procedure3.append(felicaCheck(idm, first, std::min(nfc::Type3Tag::kBlocksPerCheck, blocks - first + 1)));
    QList<double> samples3;
    const bool read3 = timeProcedures(type3, procedure3, count, samples3, [&](const QList<QByteArray> &answers) {
        QByteArray data;
        for (qsizetype k = 1; k < answers.size(); ++k)
            data += answers.at(k).mid(13);
        return data.left(kMessage.size()) == kMessage;
    });
    if (!read3)
        return fail("the Type 3 read procedure did not return the message");

    std::printf("emulated tag, %lld-byte NDEF message, %d read procedures each\n",
                static_cast<long long>(kMessage.size()), count);
    report("  Type 4 (6 APDUs: selects, CC, NLEN, message)", samples4, throughput(type4, procedure4, count));
    report("  Type 3 (FeliCa Check: attribute block, data blocks)", samples3, throughput(type3, procedure3, count));
    return 0;
}
