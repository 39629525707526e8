#include "jsonreader.h"

#include <cmath>

namespace poptap::wire {
bool hasControlCharacters(QStringView text)
{
    for (QChar c : text) {
        const char16_t u = c.unicode();
        if (u < 0x20 || (u >= 0x7f && u <= 0x9f))
            return true;
    }
    return false;
}

qsizetype characterCount(QStringView text)
{
    qsizetype lowSurrogates = 0;
    for (QChar c : text)
        lowSurrogates += c.isLowSurrogate() ? 1 : 0;
    return text.size() - lowSurrogates;
}

QString JsonReader::at(const QString &path, const char *key)
{
    return path.isEmpty() ? QString::fromLatin1(key) : path + QLatin1Char('.') + QLatin1String(key);
}

QString JsonReader::at(const QString &path, qsizetype index)
{
    return QStringLiteral("%1[%2]").arg(path).arg(index);
}

void JsonReader::fail(const QString &path, const QString &reason)
{
    if (m_failure == WireFailure::None)
        m_failure = WireFailure::Invalid;
    if (m_errors.size() < kMaxErrors)
        m_errors << FieldError{path, reason};
    else if (m_errors.size() == kMaxErrors)
        m_errors << FieldError{QStringLiteral("(body)"), QStringLiteral("further errors not listed")};
}

void JsonReader::tooManyItems(const QString &path, qsizetype count, qsizetype max)
{
    fail(path, QStringLiteral("has %1 items, at most %2 are allowed").arg(count).arg(max));
    m_failure = WireFailure::TooManyItems;
}

std::optional<QJsonValue> JsonReader::present(const QJsonObject &o, const char *key, const QString &where,
                                              bool required)
{
    const auto it = o.constFind(QLatin1String(key));
    if (it == o.constEnd()) {
        if (required)
            fail(where, QStringLiteral("is required"));
        return std::nullopt;
    }
    return it.value();
}

std::optional<QJsonObject> JsonReader::object(const QJsonObject &o, const char *key, const QString &path,
                                              bool required)
{
    const QString where = at(path, key);
    const std::optional<QJsonValue> v = present(o, key, where, required);
    return v ? object(*v, where) : std::nullopt;
}

std::optional<QJsonObject> JsonReader::object(const QJsonValue &v, const QString &path)
{
    if (!v.isObject()) {
        fail(path, QStringLiteral("must be an object"));
        return std::nullopt;
    }
    return v.toObject();
}

std::optional<QJsonArray> JsonReader::array(const QJsonObject &o, const char *key, const QString &path,
                                            qsizetype minItems, qsizetype maxItems, bool required,
                                            bool tooManyIsBatchLimit)
{
    const QString where = at(path, key);
    const std::optional<QJsonValue> v = present(o, key, where, required);
    if (!v)
        return std::nullopt;
    if (!v->isArray()) {
        fail(where, QStringLiteral("must be an array"));
        return std::nullopt;
    }
    const QJsonArray items = v->toArray();
    if (items.size() > maxItems) {
        if (tooManyIsBatchLimit)
            tooManyItems(where, items.size(), maxItems);
        else
            fail(where, QStringLiteral("has %1 items, at most %2 are allowed").arg(items.size()).arg(maxItems));
        return std::nullopt;
    }
    if (items.size() < minItems) {
        fail(where, QStringLiteral("must have at least %1 item(s)").arg(minItems));
        return std::nullopt;
    }
    return items;
}

std::optional<QString> JsonReader::text(const QJsonObject &o, const char *key, const QString &path,
                                        const TextRule &rule, bool required)
{
    const QString where = at(path, key);
    const std::optional<QJsonValue> v = present(o, key, where, required);
    return v ? text(*v, where, rule) : std::nullopt;
}

std::optional<QString> JsonReader::text(const QJsonValue &v, const QString &path, const TextRule &rule)
{
    if (!v.isString()) {
        fail(path, QStringLiteral("must be a string"));
        return std::nullopt;
    }
    const QString s = v.toString();
    if (s.size() > 2 * qsizetype(rule.maxLength)) { // too long in any counting; spare the scans
        fail(path, QStringLiteral("must have at most %1 characters").arg(rule.maxLength));
        return std::nullopt;
    }
    if (hasControlCharacters(s)) {
        fail(path, QStringLiteral("must not contain control characters"));
        return std::nullopt;
    }
    if (!s.isValidUtf16()) { // "\ud800" is valid JSON but no character
        fail(path, QStringLiteral("must not contain unpaired surrogates"));
        return std::nullopt;
    }
    const qsizetype length = characterCount(s);
    if (length < rule.minLength) {
        fail(path, rule.minLength == 1 ? QStringLiteral("must not be empty")
                                       : QStringLiteral("must have at least %1 characters").arg(rule.minLength));
        return std::nullopt;
    }
    if (length > rule.maxLength) {
        fail(path, QStringLiteral("must have at most %1 characters (has %2)").arg(rule.maxLength).arg(length));
        return std::nullopt;
    }
    if (rule.pattern && !rule.pattern->match(s).hasMatch()) {
        fail(path, QStringLiteral("must be %1").arg(QLatin1String(rule.patternMeaning)));
        return std::nullopt;
    }
    return s;
}

std::optional<qint64> JsonReader::integer(const QJsonObject &o, const char *key, const QString &path, qint64 min,
                                          qint64 max, bool required)
{
    const QString where = at(path, key);
    const std::optional<QJsonValue> v = present(o, key, where, required);
    return v ? integer(*v, where, min, max) : std::nullopt;
}

std::optional<qint64> JsonReader::integer(const QJsonValue &v, const QString &path, qint64 min, qint64 max)
{
    const double d = v.toDouble();
    // Compare as doubles first: casting an out-of-range double to an integer is undefined.
    if (!v.isDouble() || !std::isfinite(d) || d != std::floor(d) || d < double(min) || d > double(max)) {
        fail(path, QStringLiteral("must be an integer from %1 to %2").arg(min).arg(max));
        return std::nullopt;
    }
    return qint64(d);
}

std::optional<QDateTime> JsonReader::timestamp(const QJsonObject &o, const char *key, const QString &path)
{
    const QString where = at(path, key);
    const std::optional<QJsonValue> v = present(o, key, where, true);
    if (!v)
        return std::nullopt;
    const std::optional<QDateTime> t = v->isString() ? parseTimestamp(v->toString()) : std::nullopt;
    if (!t)
        fail(where, QStringLiteral("must be a UTC time like \"2026-11-22T09:30:00Z\" (whole seconds, "
                                   "2000-01-01T00:00:00Z to 2106-02-07T06:28:15Z)"));
    return t;
}

std::optional<QByteArray> JsonReader::secret(const QJsonObject &o, const char *key, const QString &path)
{
    const QString where = at(path, key);
    const std::optional<QJsonValue> v = present(o, key, where, true);
    if (!v)
        return std::nullopt;
    const QString s = v->toString();
    std::optional<QByteArray> bytes;
    if (v->isString() && s.size() < 100) {
        bool ascii = true;
        for (QChar c : s)
            ascii = ascii && c.unicode() < 0x80;
        if (ascii)
            bytes = decodeBase64(s.toLatin1());
    }
    if (!bytes || bytes->size() != kSecretBytes) {
        fail(where, QStringLiteral("must be %1 bytes in canonical base64 (%2 characters with '=' padding)")
                        .arg(kSecretBytes)
                        .arg((kSecretBytes + 2) / 3 * 4));
        return std::nullopt;
    }
    return bytes;
}

} // namespace poptap::wire
