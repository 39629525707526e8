#pragma once

#include <QHash>
#include <QJsonObject>
#include <QJsonValue>
#include <QList>
#include <QRegularExpression>
#include <QString>

#include <optional>

namespace poptap::lineemu {

// One way a JSON value breaks a schema. `property` is spelled the way LINE reports it in
// error details: "messages[0].text", "to".
struct SchemaViolation {
    enum class Kind {
        Constraint,   // required, enum, lengths, sizes, ranges, pattern, format
        Unrecognized, // a property the schema does not define
        WrongType,    // e.g. an object where the schema wants an array
    };
    Kind kind = Kind::Constraint;
    QString property;
    QString message;
};

// Validates JSON against the schemas of an OpenAPI 3.0 document: the subset LINE's documents
// use ($ref, type, properties, required, additionalProperties, enum, items, min/maxItems,
// min/maxLength, minimum/maximum, pattern, format uri/int32/int64, nullable, allOf, oneOf,
// anyOf, and discriminator with mapping).
//
// Polymorphism follows OpenAPI: a schema with a discriminator dispatches on the property to
// the mapped subtype, whose allOf includes the base again (its discriminator is not
// re-applied). A subtype validated directly (FlexCarousel.contents[] is FlexBubble) must carry
// the discriminator value that maps to it.
class OpenApiValidator
{
public:
    struct Options {
        // LINE's documents do not say whether unknown request properties are ignored; the
        // emulator refuses them so the service sends only what the specification defines.
        bool rejectUnknownProperties = true;
    };

    OpenApiValidator() = default;
    explicit OpenApiValidator(QJsonObject document);

    // Reads a JSON document, e.g. ":/line-openapi/messaging-api.json".
    static std::optional<OpenApiValidator> fromFile(const QString &path, QString *error = nullptr);

    bool isNull() const { return m_document.isEmpty(); }
    bool hasSchema(const QString &name) const;
    const QJsonObject &document() const { return m_document; }

    // `schema` is a component name ("PushMessageRequest") or a "#/..." reference.
    QList<SchemaViolation> validate(const QJsonValue &value, const QString &schema) const;
    QList<SchemaViolation> validate(const QJsonValue &value, const QString &schema,
                                    const Options &options) const;

private:
    struct Context;
    void check(const QJsonValue &value, const QString &ref, QJsonObject schema,
               const QString &path, bool applyDiscriminator, Context &context) const;
    void checkScalar(const QJsonValue &value, const QJsonObject &schema, const QString &path,
                     Context &context) const;
    void checkObject(const QJsonObject &object, const QList<QJsonObject> &closure,
                     const QString &path, Context &context) const;
    bool checkImpliedDiscriminator(const QJsonObject &object, const QString &ref,
                                   const QList<QJsonObject> &closure, const QString &path,
                                   Context &context) const;
    bool matches(const QJsonValue &value, const QString &ref, const QJsonObject &schema,
                 const Context &context) const;

    // Follows $ref chains; returns the final reference (or `ref` if there was none).
    QJsonObject resolve(QJsonObject schema, QString *ref) const;
    QJsonObject lookup(const QString &ref) const;
    // The schema and, recursively, every allOf member.
    QList<QJsonObject> closure(const QJsonObject &schema) const;
    const QRegularExpression &regex(const QString &pattern) const;

    QJsonObject m_document;
    mutable QHash<QString, QRegularExpression> m_regexCache;
};

QString describe(const SchemaViolation &violation);

} // namespace poptap::lineemu
