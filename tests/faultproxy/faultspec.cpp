#include "faultspec.h"

#include <QJsonValue>
#include <QSet>

#include <array>
#include <utility>

namespace poptap::faultproxy {

namespace {

constexpr std::array<std::pair<FaultKind, const char *>, 8> kindNames = {{
    {FaultKind::ResetBeforeRequest, "reset-before-request"},
    {FaultKind::ResetAfterRequest, "reset-after-request"},
    {FaultKind::Stall, "stall"},
    {FaultKind::SlowDrip, "slow-drip"},
    {FaultKind::Truncate, "truncate"},
    {FaultKind::Status, "status"},
    {FaultKind::Garbage, "garbage"},
    {FaultKind::Latency, "latency"},
}};

// Reads an optional non-negative integer field; false (and `error` set) when present but not one.
bool readCount(const QJsonObject &json, const QString &key, qint64 min, qint64 max, qint64 &out, QString *error)
{
    const QJsonValue value = json.value(key);
    if (value.isUndefined() || value.isNull())
        return true;
    const double number = value.toDouble(-1);
    if (!value.isDouble() || number != double(qint64(number)) || number < double(min) || number > double(max)) {
        if (error)
            *error = QStringLiteral("%1 must be an integer from %2 to %3").arg(key).arg(min).arg(max);
        return false;
    }
    out = qint64(number);
    return true;
}

} // namespace

QString faultKindName(FaultKind kind)
{
    for (const auto &[k, name] : kindNames)
        if (k == kind)
            return QString::fromLatin1(name);
    return {};
}

std::optional<FaultKind> faultKindFromName(const QString &name)
{
    for (const auto &[k, text] : kindNames)
        if (name == QLatin1String(text))
            return k;
    return std::nullopt;
}

namespace {
FaultSpec ofKind(FaultKind kind)
{
    FaultSpec spec;
    spec.kind = kind;
    return spec;
}
} // namespace

FaultSpec FaultSpec::resetBeforeRequest()
{
    return ofKind(FaultKind::ResetBeforeRequest);
}

FaultSpec FaultSpec::resetAfterRequest()
{
    return ofKind(FaultKind::ResetAfterRequest);
}

FaultSpec FaultSpec::stall(int ms)
{
    FaultSpec spec = ofKind(FaultKind::Stall);
    spec.ms = ms;
    return spec;
}

FaultSpec FaultSpec::slowDrip(int bytesPerSecond)
{
    FaultSpec spec = ofKind(FaultKind::SlowDrip);
    spec.bytesPerSecond = bytesPerSecond;
    return spec;
}

FaultSpec FaultSpec::truncate(qint64 bytes)
{
    FaultSpec spec = ofKind(FaultKind::Truncate);
    spec.bytes = bytes;
    return spec;
}

FaultSpec FaultSpec::answer(int status, const QString &retryAfter, const QByteArray &body)
{
    FaultSpec spec = ofKind(FaultKind::Status);
    spec.status = status;
    spec.retryAfter = retryAfter;
    spec.body = body;
    return spec;
}

FaultSpec FaultSpec::garbage(bool forward)
{
    FaultSpec spec = ofKind(FaultKind::Garbage);
    spec.forward = forward;
    return spec;
}

FaultSpec FaultSpec::latency(int ms)
{
    FaultSpec spec = ofKind(FaultKind::Latency);
    spec.ms = ms;
    return spec;
}

FaultSpec FaultSpec::times(int n) const
{
    FaultSpec spec = *this;
    spec.count = n;
    return spec;
}

FaultSpec FaultSpec::onPath(const QString &prefix) const
{
    FaultSpec spec = *this;
    spec.path = prefix;
    return spec;
}

FaultSpec FaultSpec::onMethod(const QString &verb) const
{
    FaultSpec spec = *this;
    spec.method = verb;
    return spec;
}

bool FaultSpec::matches(const QByteArray &requestMethod, const QByteArray &target) const
{
    if (!method.isEmpty() && method.compare(QLatin1String(requestMethod), Qt::CaseInsensitive) != 0)
        return false;
    if (path.isEmpty())
        return true;
    const QByteArray wanted = path.toUtf8();
    const qsizetype query = target.indexOf('?');
    const QByteArray requestPath = query < 0 ? target : target.left(query);
    // "/v1/registrations" covers itself and "/v1/registrations/..." but not "/v1/registrationsX".
    return requestPath == wanted
        || (requestPath.startsWith(wanted) && (wanted.endsWith('/') || requestPath.at(wanted.size()) == '/'));
}

int FaultSpec::effectiveStatus() const
{
    if (status > 0)
        return status;
    return kind == FaultKind::Garbage ? 200 : 503;
}

QByteArray FaultSpec::effectiveBody() const
{
    if (!body.isEmpty())
        return body;
    if (kind == FaultKind::Garbage)
        return QByteArrayLiteral("<html><body>fault-proxy: this is not JSON {\"accepted\": [");
    return QByteArrayLiteral("{\"error\":\"fault-proxy: injected status ") + QByteArray::number(effectiveStatus())
         + QByteArrayLiteral("\"}");
}

QByteArray FaultSpec::effectiveContentType() const
{
    return contentType.isEmpty() ? QByteArrayLiteral("application/json") : contentType;
}

QJsonObject FaultSpec::toJson() const
{
    QJsonObject json{{QStringLiteral("kind"), faultKindName(kind)}, {QStringLiteral("count"), count}};
    if (!path.isEmpty())
        json.insert(QStringLiteral("path"), path);
    if (!method.isEmpty())
        json.insert(QStringLiteral("method"), method);
    switch (kind) {
    case FaultKind::Stall:
    case FaultKind::Latency:
        json.insert(QStringLiteral("ms"), ms);
        break;
    case FaultKind::SlowDrip:
        json.insert(QStringLiteral("bytesPerSecond"), bytesPerSecond);
        break;
    case FaultKind::Truncate:
        json.insert(QStringLiteral("bytes"), bytes);
        break;
    case FaultKind::Status:
    case FaultKind::Garbage:
        json.insert(QStringLiteral("status"), effectiveStatus());
        if (!retryAfter.isEmpty())
            json.insert(QStringLiteral("retryAfter"), retryAfter);
        if (!body.isEmpty())
            json.insert(QStringLiteral("body"), QString::fromUtf8(body));
        if (!contentType.isEmpty())
            json.insert(QStringLiteral("contentType"), QString::fromLatin1(contentType));
        if (kind == FaultKind::Garbage)
            json.insert(QStringLiteral("forward"), forward);
        break;
    case FaultKind::ResetBeforeRequest:
    case FaultKind::ResetAfterRequest:
        break;
    }
    return json;
}

std::optional<FaultSpec> FaultSpec::fromJson(const QJsonObject &json, QString *error)
{
    static const QSet<QString> known = {
        QStringLiteral("kind"), QStringLiteral("count"), QStringLiteral("path"), QStringLiteral("method"),
        QStringLiteral("ms"), QStringLiteral("bytesPerSecond"), QStringLiteral("bytes"), QStringLiteral("status"),
        QStringLiteral("retryAfter"), QStringLiteral("body"), QStringLiteral("contentType"), QStringLiteral("forward"),
    };
    const auto refuse = [error](const QString &why) -> std::optional<FaultSpec> {
        if (error)
            *error = why;
        return std::nullopt;
    };
    // A misspelt field would silently inject a different fault than the test meant.
    for (auto it = json.begin(); it != json.end(); ++it)
        if (!known.contains(it.key()))
            return refuse(QStringLiteral("unknown field %1").arg(it.key()));

    const std::optional<FaultKind> kind = faultKindFromName(json.value(QStringLiteral("kind")).toString());
    if (!kind)
        return refuse(QStringLiteral("kind must be one of reset-before-request, reset-after-request, stall, "
                                     "slow-drip, truncate, status, garbage, latency"));
    FaultSpec spec;
    spec.kind = *kind;
    qint64 count = 1, ms = 0, rate = 0, bytes = 0, status = 0;
    if (!readCount(json, QStringLiteral("count"), 0, 1000000000, count, error)
        || !readCount(json, QStringLiteral("ms"), 0, 24 * 3600 * 1000, ms, error)
        || !readCount(json, QStringLiteral("bytesPerSecond"), 1, 1000000000, rate, error)
        || !readCount(json, QStringLiteral("bytes"), 0, qint64(1) << 40, bytes, error)
        || !readCount(json, QStringLiteral("status"), 100, 599, status, error))
        return std::nullopt;
    spec.count = int(count);
    spec.ms = int(ms);
    spec.bytesPerSecond = int(rate);
    spec.bytes = bytes;
    spec.status = int(status);
    for (const QString &key : {QStringLiteral("path"), QStringLiteral("method"), QStringLiteral("retryAfter"),
                               QStringLiteral("body"), QStringLiteral("contentType")}) {
        const QJsonValue value = json.value(key);
        if (!value.isUndefined() && !value.isNull() && !value.isString())
            return refuse(QStringLiteral("%1 must be a string").arg(key));
    }
    spec.path = json.value(QStringLiteral("path")).toString();
    spec.method = json.value(QStringLiteral("method")).toString();
    spec.retryAfter = json.value(QStringLiteral("retryAfter")).toString();
    spec.body = json.value(QStringLiteral("body")).toString().toUtf8();
    spec.contentType = json.value(QStringLiteral("contentType")).toString().toLatin1();
    const QJsonValue forward = json.value(QStringLiteral("forward"));
    if (!forward.isUndefined() && !forward.isBool())
        return refuse(QStringLiteral("forward must be a boolean"));
    spec.forward = forward.toBool();

    if (!spec.path.isEmpty() && !spec.path.startsWith(QLatin1Char('/')))
        return refuse(QStringLiteral("path must start with /"));
    if (spec.kind == FaultKind::SlowDrip && spec.bytesPerSecond <= 0)
        return refuse(QStringLiteral("slow-drip needs bytesPerSecond"));
    if (spec.kind == FaultKind::Latency && spec.ms <= 0)
        return refuse(QStringLiteral("latency needs ms"));
    if (spec.retryAfter.contains(QLatin1Char('\r')) || spec.retryAfter.contains(QLatin1Char('\n'))
        || spec.contentType.contains('\r') || spec.contentType.contains('\n'))
        return refuse(QStringLiteral("header values must be one line"));
    return spec;
}

} // namespace poptap::faultproxy
