#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QDateTime>

#include <optional>

namespace poptap::http {

// HTTP dates (RFC 9110, 5.6.7) as the Date and Retry-After headers carry them:
// IMF-fixdate, "Sun, 06 Nov 1994 08:49:37 GMT", in English whatever the locale.
QByteArray formatHttpDate(const QDateTime &at);
// IMF-fixdate only; the obsolete RFC 850 and asctime forms are not read.
std::optional<QDateTime> parseHttpDate(QByteArrayView text);

} // namespace poptap::http
