#pragma once

#include <QByteArray>
#include <QString>
#include <QUrl>

namespace poptap {

// NDEF encoding of the one URI record a kiosk serves. The message framing comes from
// Qt NFC's QNdefMessage (no neard needed); the URI payload is written here, byte for
// byte from the fully encoded link, because QNdefNfcUriRecord::setUri() writes the
// decoded form (raw UTF-8, spaces), and the tag must carry exactly the QR code's link.
QByteArray encodeNdefUri(const QString &encodedLink);
inline QByteArray encodeNdefUri(const QUrl &link) { return encodeNdefUri(link.toString(QUrl::FullyEncoded)); }

struct NdefLinkResult {
    QString text;    // the URI exactly as on the tag, abbreviation expanded
    QUrl link;       // valid only when error is empty
    QString error;
};
// Decodes an NDEF message from outside (a tag, a phone): exactly one URI record with a
// valid, fully encoded link is expected.
NdefLinkResult decodeNdefUri(const QByteArray &ndef);

} // namespace poptap
