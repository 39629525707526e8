#include "ntagwriter.h"

#include "ndeflink.h"

namespace poptap {

namespace {

constexpr int kCcPage = 3;

bool writeAll(NtagAccess &tag, const QList<nfc::PageWrite> &writes, QString &error)
{
    for (const nfc::PageWrite &write : writes) {
        if (!tag.writePage(write.page, write.data)) {
            error = QStringLiteral("the sticker refused the write of page %1 (locked, or taken away)").arg(write.page);
            return false;
        }
    }
    return true;
}

} // namespace

QByteArray readNtagMemory(NtagAccess &tag, nfc::NtagType type)
{
    const nfc::NtagLayout layout = nfc::layoutOf(type);
    const int endPage = 4 + layout.userBytes / 4;
    QByteArray memory;
    memory.reserve(endPage * 4 + 12);
    for (int page = 0; page < endPage; page += 4) {
        const QByteArray chunk = tag.read4Pages(page);
        if (chunk.size() != 16)
            return {};
        memory += chunk;
    }
    return memory.left(endPage * 4);
}

NtagWriteOutcome writeLinkToNtag(NtagAccess &tag, const QUrl &link, bool permanentLock)
{
    NtagWriteOutcome outcome;
    outcome.type = nfc::ntagTypeFromVersion(tag.getVersion());
    if (!outcome.type) {
        outcome.error = QStringLiteral("not an NTAG213, NTAG215 or NTAG216 sticker");
        return outcome;
    }
    const QByteArray header = tag.read4Pages(0);
    if (header.size() != 16) {
        outcome.error = QStringLiteral("the sticker could not be read (taken away too soon?)");
        return outcome;
    }
    const QByteArray ndef = encodeNdefUri(link);
    const nfc::NtagWritePlan plan = nfc::planNdefWrite(*outcome.type, QByteArrayView(header).sliced(kCcPage * 4, 4), ndef);
    if (!plan.error.isEmpty()) {
        outcome.error = plan.error;
        return outcome;
    }
    if (!writeAll(tag, plan.writes, outcome.error))
        return outcome;

    // Read back: what a phone will find must be exactly the link asked for.
    const nfc::NdefFromTag readBack = nfc::ndefFromType2Memory(readNtagMemory(tag, *outcome.type));
    if (!readBack.error.isEmpty() || readBack.message != ndef) {
        outcome.error = readBack.error.isEmpty()
            ? QStringLiteral("the sticker holds different bytes than were written")
            : QStringLiteral("the sticker cannot be read back: %1").arg(readBack.error);
        return outcome;
    }
    if (!permanentLock)
        return outcome;
    if (!writeAll(tag, nfc::planPermanentLock(*outcome.type), outcome.error))
        return outcome;
    const QByteArray locked = tag.read4Pages(0);
    if (locked.size() != 16 || quint8(locked.at(kCcPage * 4 + 3)) != 0x0F)
        outcome.error = QStringLiteral("the sticker was written but did not confirm the lock");
    return outcome;
}

} // namespace poptap
