#include "wirecommon.h"

#include <QJsonDocument>
#include <QStringDecoder>

namespace poptap::wire {

QString joinErrors(const QList<FieldError> &errors, int limit)
{
    QStringList parts;
    for (qsizetype i = 0; i < errors.size() && i < limit; ++i)
        parts << errors.at(i).toString();
    if (errors.size() > limit)
        parts << QStringLiteral("and %1 more").arg(errors.size() - limit);
    return parts.join(QStringLiteral("; "));
}

QString formatTimestamp(const QDateTime &utc)
{
    return utc.toUTC().toString(QStringLiteral("yyyy-MM-dd'T'HH:mm:ss'Z'"));
}

std::optional<QDateTime> parseTimestamp(QStringView text)
{
    // Exactly YYYY-MM-DDTHH:MM:SSZ: no offsets, no fractions, no lowercase 't'/'z'.
    static constexpr char kShape[] = "dddd-dd-ddTdd:dd:ddZ";
    if (text.size() != qsizetype(sizeof kShape - 1))
        return std::nullopt;
    for (qsizetype i = 0; i < text.size(); ++i) {
        const char16_t c = text[i].unicode();
        if (kShape[i] == 'd' ? !(c >= '0' && c <= '9') : c != char16_t(kShape[i]))
            return std::nullopt;
    }
    const auto number = [text](qsizetype from, qsizetype length) { return text.sliced(from, length).toInt(); };
    const QDate date(number(0, 4), number(5, 2), number(8, 2));
    const QTime time(number(11, 2), number(14, 2), number(17, 2)); // rejects 24:00 and leap second 60
    if (!date.isValid() || !time.isValid())
        return std::nullopt;
    const QDateTime result(date, time, Qt::UTC);
    const qint64 seconds = result.toSecsSinceEpoch();
    if (seconds < kEarliestTimestamp || seconds > kLatestTimestamp)
        return std::nullopt;
    return result;
}

namespace {

std::optional<QByteArray> decodeCanonical(QByteArrayView text, QByteArray::Base64Options options)
{
    const QByteArray input = text.toByteArray();
    const auto decoded = QByteArray::fromBase64Encoding(input, options | QByteArray::AbortOnBase64DecodingErrors);
    if (!decoded || decoded.decoded.toBase64(options) != input)
        return std::nullopt;
    return decoded.decoded;
}

constexpr auto kUrlOptions = QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals;

} // namespace

std::optional<QByteArray> decodeBase64(QByteArrayView text)
{
    return decodeCanonical(text, QByteArray::Base64Encoding);
}

std::optional<QByteArray> decodeBase64Url(QByteArrayView text)
{
    return decodeCanonical(text, kUrlOptions);
}

QByteArray encodeBase64(QByteArrayView bytes)
{
    return bytes.toByteArray().toBase64();
}

QByteArray encodeBase64Url(QByteArrayView bytes)
{
    return bytes.toByteArray().toBase64(kUrlOptions);
}

std::optional<QJsonObject> parseJsonObject(const QByteArray &body, QList<FieldError> &errors, WireFailure &failure)
{
    const QString root = QStringLiteral("(body)");
    if (body.size() > kMaxBodyBytes) {
        failure = WireFailure::TooLarge;
        errors << FieldError{root, QStringLiteral("larger than %1 bytes").arg(kMaxBodyBytes)};
        return std::nullopt;
    }
    QStringDecoder utf8(QStringDecoder::Utf8, QStringDecoder::Flag::Stateless);
    const QString decoded = utf8(body); // decoding runs on conversion
    Q_UNUSED(decoded);
    if (utf8.hasError()) {
        failure = WireFailure::NotUtf8;
        errors << FieldError{root, QStringLiteral("not valid UTF-8")};
        return std::nullopt;
    }
    // Every message is an object; saying so up front keeps the answer the same whatever
    // Qt's parser makes of top-level scalars.
    if (!body.trimmed().startsWith('{') && !body.trimmed().isEmpty()) {
        failure = WireFailure::Invalid;
        errors << FieldError{root, QStringLiteral("must be a JSON object")};
        return std::nullopt;
    }
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(body, &parseError);
    if (parseError.error != QJsonParseError::NoError) {
        failure = WireFailure::NotJson;
        errors << FieldError{root, QStringLiteral("not JSON: %1 at byte %2").arg(parseError.errorString()).arg(parseError.offset)};
        return std::nullopt;
    }
    if (!document.isObject()) {
        failure = WireFailure::Invalid;
        errors << FieldError{root, QStringLiteral("must be a JSON object")};
        return std::nullopt;
    }
    return document.object();
}

} // namespace poptap::wire
