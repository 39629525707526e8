#include "benchkiosk.h"

#include "benchserver.h"
#include "kioskledger.h"
#include "registrationtoken.h"
#include "servicetesting.h"

#include "wire/requestauth.h"

#include <QDateTime>

namespace poptap::bench {

QList<std::pair<QByteArray, QByteArray>> BenchKiosk::sign(const QByteArray &method, const QByteArray &path,
                                                          const QByteArray &body) const
{
    return wire::RequestSigner(enrolled.deviceId, enrolled.requestSecret)
        .sign(method, path, body, QDateTime::currentSecsSinceEpoch())
        .list();
}

wire::RegistrationIntent BenchKiosk::intent(std::uint32_t sequence, std::uint32_t brandId) const
{
    TokenClaims c;
    c.keyId = enrolled.deviceKey.keyId;
    c.epoch = 1;
    c.sequence = sequence;
    c.kind = RegistrationKind::BrandInterest;
    c.target = brandId;
    c.issuedAt = QDateTime::fromSecsSinceEpoch(QDateTime::currentSecsSinceEpoch(), Qt::UTC);
    c.ttlHours = 24;
    return {c.intentId(), RegistrationToken::issue(c, enrolled.deviceKey.secret), c.kind, c.target, c.issuedAt};
}

std::optional<BenchKiosk> enrollKiosk(BenchServer &server, QNetworkAccessManager &network, std::uint32_t localKeyId,
                                      QString *error)
{
    const std::optional<QString> code =
        server.server().kioskLedger()->createEnrollmentCode(BenchServer::kStoreId, 24, error);
    if (!code)
        return std::nullopt;
    // A local key of the right size, distinct per kiosk; its value does not matter here.
    const wire::EnrollmentRequest request{*code, {localKeyId, QByteArray::number(localKeyId).repeated(32).left(32)},
                                          QStringLiteral("bench kiosk %1").arg(localKeyId), QStringLiteral("0.1.0")};
    const servicetesting::HttpReply reply =
        servicetesting::httpRequest(network, "POST", server.url(QStringLiteral("/v1/enrollments")), request.toJson());
    if (reply.status != 201) {
        *error = QStringLiteral("enrollment answered %1: %2").arg(reply.status).arg(QString::fromUtf8(reply.body));
        return std::nullopt;
    }
    const auto parsed = wire::EnrollmentResponse::fromJson(reply.body);
    if (!parsed.ok()) {
        *error = QStringLiteral("enrollment answer unreadable: ") + QString::fromUtf8(reply.body);
        return std::nullopt;
    }
    return BenchKiosk{*parsed.value};
}

} // namespace poptap::bench
