#pragma once

#include "wirecommon.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonObject>
#include <QRegularExpression>

#include <initializer_list>
#include <optional>
#include <utility>

namespace poptap::wire {

// What a string field may hold. Lengths count Unicode characters (code points), as JSON
// Schema's maxLength does; control characters (C0, DEL, C1) and unpaired surrogates are never
// allowed, so nothing on the wire can forge a log line or fail to convert to UTF-8.
struct TextRule {
    int minLength = 1;
    int maxLength = 0;
    const QRegularExpression *pattern = nullptr; // anchored; checked after the length
    const char *patternMeaning = nullptr;        // "4 groups of 4 base-32 characters"
};

// C0, DEL and C1 control characters.
bool hasControlCharacters(QStringView text);
// Unicode characters (code points) of valid UTF-16.
qsizetype characterCount(QStringView text);

// Reads typed fields out of parsed JSON, collecting one FieldError per problem (capped, so a
// hostile body cannot make the error list grow without bound). Unknown members are ignored.
class JsonReader
{
public:
    static constexpr int kMaxErrors = 50;

    JsonReader(QList<FieldError> &errors, WireFailure &failure) : m_errors(errors), m_failure(failure) {}

    static QString at(const QString &path, const char *key);
    static QString at(const QString &path, qsizetype index);

    void fail(const QString &path, const QString &reason);
    void tooManyItems(const QString &path, qsizetype count, qsizetype max);
    bool failed() const { return !m_errors.isEmpty(); }

    // The member `key` of `o`. A missing required member and a value of the wrong type are
    // errors; a missing optional member is std::nullopt without one. null is a wrong type.
    std::optional<QJsonObject> object(const QJsonObject &o, const char *key, const QString &path,
                                      bool required = true);
    std::optional<QJsonObject> object(const QJsonValue &v, const QString &path);
    std::optional<QJsonArray> array(const QJsonObject &o, const char *key, const QString &path, qsizetype minItems,
                                    qsizetype maxItems, bool required = true, bool tooManyIsBatchLimit = false);
    std::optional<QString> text(const QJsonObject &o, const char *key, const QString &path, const TextRule &rule,
                                bool required = true);
    std::optional<QString> text(const QJsonValue &v, const QString &path, const TextRule &rule);
    std::optional<qint64> integer(const QJsonObject &o, const char *key, const QString &path, qint64 min, qint64 max,
                                  bool required = true);
    std::optional<qint64> integer(const QJsonValue &v, const QString &path, qint64 min, qint64 max);
    std::optional<QDateTime> timestamp(const QJsonObject &o, const char *key, const QString &path);
    std::optional<QByteArray> secret(const QJsonObject &o, const char *key, const QString &path);

    template <typename E>
    std::optional<E> enumeration(const QJsonObject &o, const char *key, const QString &path,
                                 std::initializer_list<std::pair<const char *, E>> names)
    {
        const QString where = at(path, key);
        const std::optional<QJsonValue> v = present(o, key, where, true);
        if (!v)
            return std::nullopt;
        if (!v->isString()) {
            fail(where, QStringLiteral("must be a string"));
            return std::nullopt;
        }
        const QString name = v->toString();
        QStringList allowed;
        for (const auto &[text, value] : names) {
            if (name == QLatin1String(text))
                return value;
            allowed << QStringLiteral("\"%1\"").arg(QLatin1String(text));
        }
        fail(where, QStringLiteral("must be one of %1").arg(allowed.join(QStringLiteral(", "))));
        return std::nullopt;
    }

private:
    // The member's value when present; records "is required" when a required one is missing.
    std::optional<QJsonValue> present(const QJsonObject &o, const char *key, const QString &where, bool required);

    QList<FieldError> &m_errors;
    WireFailure &m_failure;
};

} // namespace poptap::wire
