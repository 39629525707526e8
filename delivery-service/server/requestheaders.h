#pragma once

#include <QHttpServerRequest>

#include <optional>

namespace poptap::delivery {

// HTTP header names are case-insensitive; Qt HttpServer 6.4 keeps them as sent.
inline std::optional<QByteArray> findHeader(const QHttpServerRequest &request, QByteArrayView name)
{
    const auto headers = request.headers();
    for (const auto &[key, value] : headers)
        if (key.compare(name, Qt::CaseInsensitive) == 0)
            return value;
    return std::nullopt;
}

inline QByteArray header(const QHttpServerRequest &request, QByteArrayView name)
{
    return findHeader(request, name).value_or(QByteArray());
}

} // namespace poptap::delivery
