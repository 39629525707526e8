#include "heartbeatwire.h"

#include "wirerules.h"

#include <QJsonDocument>

namespace poptap::wire {
namespace {

QJsonObject healthJson(const ComponentHealth &health)
{
    QJsonObject o{{QStringLiteral("status"), componentStatusName(health.status)}};
    if (!health.reason.isEmpty())
        o.insert(QStringLiteral("reason"), health.reason);
    return o;
}

std::optional<ComponentHealth> readHealth(JsonReader &read, const QJsonObject &parent, const char *member,
                                          bool required)
{
    const std::optional<QJsonObject> o = read.object(parent, member, {}, required);
    if (!o)
        return std::nullopt;
    const QString where = JsonReader::at({}, member);
    const auto status = read.enumeration<ComponentStatus>(*o, "status", where,
                                                          {{"ok", ComponentStatus::Ok},
                                                           {"absent", ComponentStatus::Absent},
                                                           {"error", ComponentStatus::Error},
                                                           {"disabled", ComponentStatus::Disabled}});
    const bool hasReason = o->contains(QLatin1String("reason"));
    const auto reason = hasReason ? read.text(*o, "reason", where, rules::plainText(ComponentHealth::kMaxReasonLength))
                                  : std::optional<QString>(QString());
    if (!status || !reason)
        return std::nullopt;
    return ComponentHealth{*status, *reason};
}

} // namespace

QString componentStatusName(ComponentStatus status)
{
    switch (status) {
    case ComponentStatus::Ok: return QStringLiteral("ok");
    case ComponentStatus::Absent: return QStringLiteral("absent");
    case ComponentStatus::Error: return QStringLiteral("error");
    case ComponentStatus::Disabled: return QStringLiteral("disabled");
    }
    return {};
}

void Heartbeat::addRecentError(const QDateTime &at, const QString &message)
{
    QString clean = message.left(RecentError::kMaxMessageLength);
    if (!clean.isEmpty() && clean.back().isHighSurrogate())
        clean.chop(1); // the cut split a pair
    for (qsizetype i = 0; i < clean.size(); ++i) {
        QChar &c = clean[i];
        const bool paired = (c.isHighSurrogate() && i + 1 < clean.size() && clean.at(i + 1).isLowSurrogate())
            || (c.isLowSurrogate() && i > 0 && clean.at(i - 1).isHighSurrogate());
        if (c.isSurrogate() && !paired)
            c = QChar::ReplacementCharacter;
        else if (hasControlCharacters(QStringView(&c, 1)))
            c = QLatin1Char(' ');
    }
    if (clean.trimmed().isEmpty())
        clean = QStringLiteral("(no message)");
    const QDateTime whole = QDateTime::fromSecsSinceEpoch(at.toSecsSinceEpoch(), Qt::UTC);
    recentErrors.prepend({whole, clean});
    while (recentErrors.size() > kMaxRecentErrors)
        recentErrors.removeLast();
}

QByteArray Heartbeat::toJson() const
{
    QJsonObject counterJson;
    for (auto it = counters.cbegin(); it != counters.cend(); ++it)
        counterJson.insert(it.key(), it.value());
    QJsonArray errors;
    for (const RecentError &e : recentErrors)
        errors.append(QJsonObject{{QStringLiteral("at"), formatTimestamp(e.at)}, {QStringLiteral("message"), e.message}});
    QJsonObject o{{QStringLiteral("version"), version},
                  {QStringLiteral("uptimeSeconds"), uptimeSeconds},
                  {QStringLiteral("queueDepth"), queueDepth},
                  {QStringLiteral("oldestPendingSeconds"), oldestPendingSeconds},
                  {QStringLiteral("reader"), healthJson(reader)},
                  {QStringLiteral("counters"), counterJson},
                  {QStringLiteral("recentErrors"), errors}};
    if (camera)
        o.insert(QStringLiteral("camera"), healthJson(*camera));
    return QJsonDocument(o).toJson(QJsonDocument::Compact);
}

WireResult<Heartbeat> Heartbeat::fromJson(const QByteArray &json)
{
    static const QRegularExpression counterName(QStringLiteral("^[a-z][A-Za-z0-9]{0,63}$"));
    WireResult<Heartbeat> result;
    const std::optional<QJsonObject> root = parseJsonObject(json, result.errors, result.failure);
    if (!root)
        return result;
    JsonReader read(result.errors, result.failure);
    Heartbeat h;
    const auto version = read.text(*root, "version", {}, rules::softwareVersion());
    const auto uptime = read.integer(*root, "uptimeSeconds", {}, 0, kMaxSafeInteger);
    const auto depth = read.integer(*root, "queueDepth", {}, 0, kMaxSafeInteger);
    const auto oldest = read.integer(*root, "oldestPendingSeconds", {}, 0, kMaxSafeInteger);
    const auto reader = readHealth(read, *root, "reader", true);
    h.camera = readHealth(read, *root, "camera", false);

    if (const auto counters = read.object(*root, "counters", {})) {
        if (counters->size() > kMaxCounters)
            read.fail(QStringLiteral("counters"),
                      QStringLiteral("has %1 entries, at most %2 are allowed").arg(counters->size()).arg(kMaxCounters));
        else {
            for (auto it = counters->constBegin(); it != counters->constEnd(); ++it) {
                // A bad name is not echoed: it may hold anything, control characters included.
                if (!counterName.match(it.key()).hasMatch())
                    read.fail(QStringLiteral("counters"), QStringLiteral("names must match ^[a-z][A-Za-z0-9]{0,63}$"));
                else if (const auto value = read.integer(it.value(), JsonReader::at(QStringLiteral("counters"),
                                                                                     it.key().toLatin1().constData()),
                                                         0, kMaxSafeInteger))
                    h.counters.insert(it.key(), *value);
            }
        }
    }

    if (const auto errors = read.array(*root, "recentErrors", {}, 0, kMaxRecentErrors)) {
        for (qsizetype i = 0; i < errors->size(); ++i) {
            const QString where = JsonReader::at(QStringLiteral("recentErrors"), i);
            const std::optional<QJsonObject> o = read.object(errors->at(i), where);
            if (!o)
                continue;
            const auto at = read.timestamp(*o, "at", where);
            const auto message = read.text(*o, "message", where, rules::plainText(RecentError::kMaxMessageLength));
            if (at && message)
                h.recentErrors.append({*at, *message});
        }
    }
    if (depth && oldest && *depth == 0 && *oldest != 0)
        read.fail(QStringLiteral("oldestPendingSeconds"), QStringLiteral("must be 0 when queueDepth is 0"));
    if (read.failed())
        return result;
    h.version = *version;
    h.uptimeSeconds = *uptime;
    h.queueDepth = *depth;
    h.oldestPendingSeconds = *oldest;
    h.reader = *reader;
    result.value = h;
    return result;
}

} // namespace poptap::wire
