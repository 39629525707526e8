#pragma once

#include <QByteArray>
#include <QString>
#include <QUrl>

namespace poptap {

// NDEF encoding of the one URI record a kiosk serves, through Qt NFC's QNdefMessage
// (no neard needed). Qt NFC types stay inside ndeflink.cpp.
QByteArray encodeNdefUri(const QUrl &link);

struct NdefLinkResult {
    QUrl link;       // valid only when error is empty
    QString error;
};
// Decodes an NDEF message from outside (a tag, a phone): exactly one URI record is expected.
NdefLinkResult decodeNdefUri(const QByteArray &ndef);

} // namespace poptap
