#include "postbackdata.h"

#include <QUrlQuery>

namespace poptap::delivery {
namespace {

std::optional<qint64> number(const QUrlQuery &query, const QString &key, qint64 max)
{
    const QStringList values = query.allQueryItemValues(key);
    if (values.size() != 1)
        return std::nullopt;
    bool ok = false;
    const qint64 value = values.first().toLongLong(&ok);
    if (!ok || value < 1 || value > max || values.first() != QString::number(value))
        return std::nullopt;
    return value;
}

} // namespace

QString postbackData(const StopRequest &request)
{
    return QStringLiteral("v=1&action=stop&kind=%1&target=%2&store=%3")
        .arg(int(request.kind))
        .arg(request.target)
        .arg(request.storeId);
}

std::optional<StopRequest> parseStopPostback(const QString &data, QString *reason)
{
    const QUrlQuery query(data);
    if (query.queryItemValue(QStringLiteral("v")) != QLatin1String("1")
        || query.queryItemValue(QStringLiteral("action")) != QLatin1String("stop")) {
        *reason = QStringLiteral("not a PopTap stop postback");
        return std::nullopt;
    }
    const auto kind = number(query, QStringLiteral("kind"), 3);
    const auto target = number(query, QStringLiteral("target"), 0xffffffffll);
    const auto store = number(query, QStringLiteral("store"), 0xffffffffll);
    if (!kind || !target || !store || query.queryItems().size() != 5) {
        *reason = QStringLiteral("stop postback with a missing, repeated or out-of-range field");
        return std::nullopt;
    }
    const StopRequest request{RegistrationKind(*kind), std::uint32_t(*target), *store};
    // Only the exact form the service writes: nothing reordered, escaped or padded.
    if (postbackData(request) != data) {
        *reason = QStringLiteral("stop postback not in the form the service writes");
        return std::nullopt;
    }
    return request;
}

QString stopAllPostbackData()
{
    return QStringLiteral("v=1&action=stopall");
}

bool isStopAllPostback(const QString &data)
{
    return data == stopAllPostbackData();
}

} // namespace poptap::delivery
