#pragma once

#include <QByteArray>

namespace poptap::delivery {

// LINE signs each webhook request: x-line-signature = base64(HMAC-SHA256(channel
// secret, raw body)). Checked on the raw bytes before any parsing, in constant time.
bool verifyWebhookSignature(const QByteArray &channelSecret, const QByteArray &rawBody, const QByteArray &signatureHeader);
QByteArray webhookSignature(const QByteArray &channelSecret, const QByteArray &rawBody);

} // namespace poptap::delivery
