#pragma once

#include <QString>
#include <QStringView>

namespace poptap::lineemu {

// Identifiers in the shapes LINE uses. Values are random; only the shapes are LINE's.
namespace lineids {

QString userId();                  // "U" + 32 lowercase hex (per provider)
bool isUserId(QStringView id);
bool isPushTarget(QStringView id); // a user, group ("C...") or room ("R...") ID
QString requestId();               // x-line-request-id: a UUID without braces
bool isRetryKey(QStringView key);  // X-Line-Retry-Key: a hexadecimal UUID
QString messageId();               // decimal digits
QString replyToken();              // opaque
QString quoteToken();              // opaque
QString ulid(qint64 epochMs);      // webhookEventId: a ULID (Crockford base32, 26 characters)

} // namespace lineids
} // namespace poptap::lineemu
