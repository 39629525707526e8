#include "proxyrecords.h"

namespace poptap::faultproxy {

namespace {
QJsonValue timestamp(const QDateTime &at)
{
    return at.isValid() ? QJsonValue(at.toUTC().toString(Qt::ISODateWithMs)) : QJsonValue(QJsonValue::Null);
}
} // namespace

QJsonObject RequestRecord::toJson() const
{
    return {
        {QStringLiteral("id"), id},
        {QStringLiteral("connectionId"), connectionId},
        {QStringLiteral("receivedAt"), timestamp(receivedAt)},
        {QStringLiteral("method"), method},
        {QStringLiteral("target"), target},
        {QStringLiteral("fault"), fault.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(fault)},
        {QStringLiteral("latencyMs"), latencyMs},
        {QStringLiteral("forwarded"), forwarded},
        {QStringLiteral("upstreamStatus"), upstreamStatus},
        {QStringLiteral("clientStatus"), clientStatus},
        {QStringLiteral("requestBytes"), requestBytes},
        {QStringLiteral("upstreamResponseBytes"), upstreamResponseBytes},
        {QStringLiteral("responseBytes"), responseBytes},
        {QStringLiteral("outcome"), outcome.isEmpty() ? QStringLiteral("in-flight") : outcome},
        {QStringLiteral("elapsedMs"), elapsedMs},
    };
}

QJsonObject ConnectionRecord::toJson() const
{
    return {
        {QStringLiteral("id"), id},
        {QStringLiteral("openedAt"), timestamp(openedAt)},
        {QStringLiteral("closedAt"), timestamp(closedAt)},
        {QStringLiteral("requests"), requests},
        {QStringLiteral("closedBy"), closedBy.isEmpty() ? QStringLiteral("open") : closedBy},
    };
}

QJsonObject FaultProxyCounters::toJson() const
{
    return {
        {QStringLiteral("connections"), connections},
        {QStringLiteral("requests"), requests},
        {QStringLiteral("forwarded"), forwarded},
        {QStringLiteral("faulted"), faulted},
        {QStringLiteral("resets"), resets},
        {QStringLiteral("upstreamConnections"), upstreamConnections},
    };
}

} // namespace poptap::faultproxy
