#include "httpdate.h"

#include <QLocale>

namespace poptap::http {

QByteArray formatHttpDate(const QDateTime &at)
{
    return QLocale::c().toString(at.toUTC(), QStringLiteral("ddd, dd MMM yyyy hh:mm:ss")).toLatin1() + " GMT";
}

std::optional<QDateTime> parseHttpDate(QByteArrayView text)
{
    QString date = QString::fromLatin1(text).trimmed();
    if (!date.endsWith(QLatin1String(" GMT")))
        return std::nullopt;
    // Qt's RFC 2822 reader wants the zone as an offset.
    const QDateTime at = QDateTime::fromString(date.chopped(4) + QStringLiteral(" +0000"), Qt::RFC2822Date);
    if (!at.isValid())
        return std::nullopt;
    return at.toUTC();
}

} // namespace poptap::http
