#include "webhooksignature.h"

#include "constanttime.h"

#include <QMessageAuthenticationCode>

namespace poptap::delivery {

QByteArray webhookSignature(const QByteArray &channelSecret, const QByteArray &rawBody)
{
    return QMessageAuthenticationCode::hash(rawBody, channelSecret, QCryptographicHash::Sha256).toBase64();
}

bool verifyWebhookSignature(const QByteArray &channelSecret, const QByteArray &rawBody, const QByteArray &signatureHeader)
{
    if (channelSecret.isEmpty() || signatureHeader.isEmpty())
        return false;
    const auto decoded = QByteArray::fromBase64Encoding(signatureHeader.trimmed(), QByteArray::AbortOnBase64DecodingErrors);
    if (!decoded || decoded.decoded.size() != 32)
        return false;
    const QByteArray expected = QMessageAuthenticationCode::hash(rawBody, channelSecret, QCryptographicHash::Sha256);
    return constantTimeEquals(expected, decoded.decoded);
}

} // namespace poptap::delivery
