#include "ndeflink.h"

#include <QNdefMessage>
#include <QNdefRecord>

#include <array>

namespace poptap {
namespace {

// URI identifier codes of the NFC Forum URI Record Type Definition (index = code).
constexpr std::array<const char *, 36> kUriPrefixes{
    "",           "http://www.", "https://www.", "http://",    "https://",  "tel:",      "mailto:",
    "ftp://anonymous:anonymous@", "ftp://ftp.", "ftps://",    "sftp://",   "smb://",    "nfs://",
    "ftp://",     "dav://",      "news:",        "telnet://",  "imap:",     "rtsp://",   "urn:",
    "pop:",       "sip:",        "sips:",        "tftp:",      "btspp://",  "btl2cap://", "btgoep://",
    "tcpobex://", "irdaobex://", "file://",      "urn:epc:id:", "urn:epc:tag:", "urn:epc:pat:",
    "urn:epc:raw:", "urn:epc:",  "urn:nfc:",
};

QNdefRecord uriRecord(const QByteArray &payload)
{
    QNdefRecord record;
    record.setTypeNameFormat(QNdefRecord::NfcRtd);
    record.setType("U");
    record.setPayload(payload);
    return record;
}

} // namespace

QByteArray encodeNdefUri(const QString &encodedLink)
{
    const QByteArray link = encodedLink.toUtf8();
    // The longest matching prefix saves the most bytes on small tags.
    std::size_t best = 0;
    for (std::size_t code = 1; code < kUriPrefixes.size(); ++code) {
        const QByteArrayView prefix(kUriPrefixes[code]);
        if (link.startsWith(prefix) && prefix.size() > QByteArrayView(kUriPrefixes[best]).size())
            best = code;
    }
    const QByteArray payload = char(best) + link.mid(QByteArrayView(kUriPrefixes[best]).size());
    return QNdefMessage(uriRecord(payload)).toByteArray();
}

NdefLinkResult decodeNdefUri(const QByteArray &ndef)
{
    NdefLinkResult result;
    if (ndef.isEmpty()) {
        result.error = QStringLiteral("empty NDEF message");
        return result;
    }
    const QNdefMessage message = QNdefMessage::fromByteArray(ndef);
    if (message.isEmpty()) {
        result.error = QStringLiteral("malformed NDEF message");
        return result;
    }
    if (message.size() != 1) {
        result.error = QStringLiteral("expected one NDEF record, found %1").arg(message.size());
        return result;
    }
    const QNdefRecord &record = message.first();
    if (record.typeNameFormat() != QNdefRecord::NfcRtd || record.type() != "U") {
        result.error = QStringLiteral("NDEF record is not a URI record");
        return result;
    }
    const QByteArray payload = record.payload();
    if (payload.isEmpty() || std::size_t(quint8(payload.at(0))) >= kUriPrefixes.size()) {
        result.error = QStringLiteral("NDEF URI record has an unknown identifier code");
        return result;
    }
    result.text = QString::fromUtf8(kUriPrefixes[quint8(payload.at(0))] + payload.mid(1));
    const QUrl link(result.text, QUrl::StrictMode);
    if (result.text.isEmpty() || !link.isValid() || link.scheme().isEmpty()) {
        result.error = QStringLiteral("NDEF URI record holds no valid, fully encoded link");
        return result;
    }
    result.link = link;
    return result;
}

} // namespace poptap
