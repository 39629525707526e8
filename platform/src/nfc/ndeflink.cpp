#include "ndeflink.h"

#include <QNdefMessage>
#include <QNdefNfcUriRecord>

namespace poptap {

QByteArray encodeNdefUri(const QUrl &link)
{
    QNdefNfcUriRecord record;
    record.setUri(link);
    return QNdefMessage(record).toByteArray();
}

NdefLinkResult decodeNdefUri(const QByteArray &ndef)
{
    if (ndef.isEmpty())
        return {{}, QStringLiteral("empty NDEF message")};
    const QNdefMessage message = QNdefMessage::fromByteArray(ndef);
    if (message.isEmpty())
        return {{}, QStringLiteral("malformed NDEF message")};
    if (message.size() != 1)
        return {{}, QStringLiteral("expected one NDEF record, found %1").arg(message.size())};
    const QNdefRecord &record = message.first();
    if (!record.isRecordType<QNdefNfcUriRecord>())
        return {{}, QStringLiteral("NDEF record is not a URI record")};
    const QUrl link = QNdefNfcUriRecord(record).uri();
    if (!link.isValid() || link.isEmpty())
        return {{}, QStringLiteral("NDEF URI record holds no valid link")};
    return {link, {}};
}

} // namespace poptap
