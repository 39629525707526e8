#pragma once

#include <QJsonObject>
#include <QString>

namespace poptap::automation {

// The two shapes of an automation answer: {"ok": true, ...} and {"ok": false, "error": ...}.
inline QJsonObject failure(const QString &error)
{
    return {{QStringLiteral("ok"), false}, {QStringLiteral("error"), error}};
}

inline QJsonObject success(QJsonObject fields = {})
{
    fields.insert(QStringLiteral("ok"), true);
    return fields;
}

} // namespace poptap::automation
