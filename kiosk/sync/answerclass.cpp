#include "answerclass.h"

#include "http/httpdate.h"
#include "wire/apierror.h"

#include <QRegularExpression>

namespace poptap::sync {

QString dispositionName(Disposition disposition)
{
    switch (disposition) {
    case Disposition::Done: return QStringLiteral("done");
    case Disposition::Retry: return QStringLiteral("retry");
    case Disposition::ReenrollmentNeeded: return QStringLiteral("reenrollment-needed");
    case Disposition::Permanent: return QStringLiteral("permanent");
    }
    return {};
}

std::optional<std::chrono::milliseconds> parseRetryAfter(const QByteArray &value, const QDateTime &now)
{
    const QByteArray text = value.trimmed();
    if (text.isEmpty())
        return std::nullopt;
    static const QRegularExpression digits(QStringLiteral("^[0-9]{1,9}$"));
    if (digits.match(QString::fromLatin1(text)).hasMatch())
        return std::chrono::seconds(text.toLongLong());
    const std::optional<QDateTime> at = http::parseHttpDate(text); // a date in the past means now
    if (!at)
        return std::nullopt;
    return std::chrono::milliseconds(std::max<qint64>(0, now.msecsTo(*at)));
}

AnswerClass classifyAnswer(int status, const QString &transportError, const QString &errorCode,
                           const QByteArray &retryAfterHeader, const QDateTime &now)
{
    namespace code = wire::errorcode;
    const QString what = status == 0 ? QStringLiteral("network: %1").arg(transportError)
                                     : QStringLiteral("%1 %2").arg(status).arg(errorCode).trimmed();
    if (status == 0)
        return {Disposition::Retry, std::nullopt, what};
    if ((status >= 200 && status < 300) || status == 304)
        return {Disposition::Done, std::nullopt, what};
    if (status == 408 || status == 429 || status >= 500)
        return {Disposition::Retry, parseRetryAfter(retryAfterHeader, now), what};
    // Stopping and moving the identity aside takes staff to undo: only a code this protocol
    // defines for that status does it. A store proxy's JSON ({"error":"forbidden"}) is waited out.
    const bool stopsSyncing = status == 401 || status == 403;
    // Not the kiosk API's answer: a proxy, a captive portal, a misrouted URL.
    if (errorCode.isEmpty() || (stopsSyncing && wire::httpStatusFor(errorCode) != status))
        return {Disposition::Retry, parseRetryAfter(retryAfterHeader, now), what + QStringLiteral(" (not from the delivery service)")};
    if (status == 401 && (errorCode == QLatin1String(code::kClockSkew) || errorCode == QLatin1String(code::kNonceReplayed)))
        return {Disposition::Retry, std::nullopt, what}; // corrected clock, fresh nonce
    if (stopsSyncing)
        return {Disposition::ReenrollmentNeeded, std::nullopt, what};
    return {Disposition::Permanent, std::nullopt, what};
}

} // namespace poptap::sync
