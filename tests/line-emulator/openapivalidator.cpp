#include "openapivalidator.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QUrl>

#include <cmath>
#include <limits>

namespace poptap::lineemu {

namespace {

constexpr int kMaxRefHops = 32;
constexpr int kMaxDepth = 128; // JSON nesting we follow before calling the value hostile

QString childPath(const QString &path, const QString &key)
{
    return path.isEmpty() ? key : path + u'.' + key;
}

QString itemPath(const QString &path, qsizetype index)
{
    return path + u'[' + QString::number(index) + u']';
}

QString number(double value)
{
    return QString::number(value, 'g', 17);
}

QString listOf(const QJsonArray &values)
{
    QStringList parts;
    for (const QJsonValue &v : values)
        parts << v.toVariant().toString();
    return u'[' + parts.join(QStringLiteral(", ")) + u']';
}

bool isIntegral(const QJsonValue &value)
{
    if (!value.isDouble())
        return false;
    const double d = value.toDouble();
    return std::isfinite(d) && std::floor(d) == d;
}

bool hasType(const QJsonValue &value, const QString &type)
{
    if (type == u"object")
        return value.isObject();
    if (type == u"array")
        return value.isArray();
    if (type == u"string")
        return value.isString();
    if (type == u"boolean")
        return value.isBool();
    if (type == u"number")
        return value.isDouble();
    if (type == u"integer")
        return isIntegral(value);
    return true; // a type this validator does not know constrains nothing
}

QString sizeMessage(const char *what, const QJsonObject &schema, const char *minKey, const char *maxKey)
{
    const qint64 min = schema.value(QLatin1String(minKey)).toInteger(0);
    const qint64 max = schema.value(QLatin1String(maxKey)).toInteger(std::numeric_limits<qint32>::max());
    return QStringLiteral("%1 must be between %2 and %3").arg(QLatin1String(what)).arg(min).arg(max);
}

} // namespace

struct OpenApiValidator::Context {
    Options options;
    QList<SchemaViolation> violations;
    int depth = 0;

    void add(SchemaViolation::Kind kind, const QString &property, const QString &message)
    {
        violations.append({kind, property, message});
    }
};

OpenApiValidator::OpenApiValidator(QJsonObject document)
    : m_document(std::move(document))
{
}

std::optional<OpenApiValidator> OpenApiValidator::fromFile(const QString &path, QString *error)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        if (error)
            *error = file.errorString();
        return std::nullopt;
    }
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(file.readAll(), &parseError);
    if (!document.isObject()) {
        if (error)
            *error = parseError.errorString();
        return std::nullopt;
    }
    return OpenApiValidator(document.object());
}

bool OpenApiValidator::hasSchema(const QString &name) const
{
    return !lookup(name.startsWith(u'#') ? name : QStringLiteral("#/components/schemas/") + name).isEmpty();
}

QList<SchemaViolation> OpenApiValidator::validate(const QJsonValue &value, const QString &schema) const
{
    return validate(value, schema, Options{});
}

QList<SchemaViolation> OpenApiValidator::validate(const QJsonValue &value, const QString &schema,
                                                  const Options &options) const
{
    const QString ref = schema.startsWith(u'#') ? schema : QStringLiteral("#/components/schemas/") + schema;
    Context context{options, {}, 0};
    const QJsonObject resolved = lookup(ref);
    if (resolved.isEmpty()) {
        context.add(SchemaViolation::Kind::Constraint, QString(), QStringLiteral("unknown schema ") + ref);
        return context.violations;
    }
    check(value, ref, resolved, QString(), true, context);
    return context.violations;
}

void OpenApiValidator::check(const QJsonValue &value, const QString &ref, QJsonObject schema,
                             const QString &path, bool applyDiscriminator, Context &context) const
{
    if (context.depth > kMaxDepth) {
        context.add(SchemaViolation::Kind::WrongType, path, QStringLiteral("is nested too deeply"));
        return;
    }
    QString resolvedRef = ref;
    schema = resolve(schema, &resolvedRef);
    const QList<QJsonObject> members = closure(schema);

    if (value.isNull() || value.isUndefined()) {
        for (const QJsonObject &member : members) {
            if (member.value(u"nullable").toBool())
                return;
        }
        context.add(SchemaViolation::Kind::WrongType, path, QStringLiteral("must not be null"));
        return;
    }

    if (applyDiscriminator && value.isObject() && schema.contains(u"discriminator")) {
        const QJsonObject discriminator = schema.value(u"discriminator").toObject();
        const QString property = discriminator.value(u"propertyName").toString();
        const QJsonObject mapping = discriminator.value(u"mapping").toObject();
        const QJsonValue tag = value.toObject().value(property);
        const QString tagPath = childPath(path, property);
        if (tag.isUndefined() || tag.isNull()) {
            context.add(SchemaViolation::Kind::Constraint, tagPath, QStringLiteral("must be specified"));
            return;
        }
        if (!tag.isString()) {
            context.add(SchemaViolation::Kind::WrongType, tagPath, QStringLiteral("must be a string"));
            return;
        }
        QString target = mapping.value(tag.toString()).toString();
        if (target.isEmpty() && mapping.isEmpty())
            target = QStringLiteral("#/components/schemas/") + tag.toString(); // OpenAPI's implicit mapping
        if (target.isEmpty() || lookup(target).isEmpty()) {
            context.add(SchemaViolation::Kind::Constraint, tagPath,
                        QStringLiteral("must be one of the following values: ") + listOf(QJsonArray::fromStringList(mapping.keys())));
            return;
        }
        if (target != resolvedRef) {
            ++context.depth;
            check(value, target, lookup(target), path, true, context);
            --context.depth;
            return;
        }
    }

    for (const QJsonObject &member : members) {
        const QString type = member.value(u"type").toString();
        if (!type.isEmpty() && !hasType(value, type)) {
            const bool vowel = type == u"array" || type == u"object" || type == u"integer";
            context.add(SchemaViolation::Kind::WrongType, path,
                        (vowel ? QStringLiteral("must be an ") : QStringLiteral("must be a ")) + type);
            return;
        }
    }

    for (const QJsonObject &member : members)
        checkScalar(value, member, path, context);

    ++context.depth;
    if (value.isArray()) {
        const QJsonArray items = value.toArray();
        for (const QJsonObject &member : members) {
            if (!member.contains(u"items"))
                continue;
            const QJsonObject itemSchema = member.value(u"items").toObject();
            for (qsizetype i = 0; i < items.size(); ++i)
                check(items.at(i), QString(), itemSchema, itemPath(path, i), true, context);
        }
    } else if (value.isObject()) {
        // A subtype given the wrong tag (a box where a carousel wants bubbles) is reported as
        // that, not as a list of properties the subtype does not define.
        if (checkImpliedDiscriminator(value.toObject(), resolvedRef, members, path, context))
            checkObject(value.toObject(), members, path, context);
    }

    for (const QJsonObject &member : members) {
        for (const char *keyword : {"oneOf", "anyOf"}) {
            const QJsonArray alternatives = member.value(QLatin1String(keyword)).toArray();
            if (alternatives.isEmpty())
                continue;
            int matched = 0;
            for (const QJsonValue &alternative : alternatives)
                matched += matches(value, QString(), alternative.toObject(), context) ? 1 : 0;
            const bool oneOf = qstrcmp(keyword, "oneOf") == 0;
            if (oneOf ? matched != 1 : matched == 0) {
                context.add(SchemaViolation::Kind::Constraint, path,
                            oneOf ? QStringLiteral("must match exactly one of the allowed forms")
                                  : QStringLiteral("must match one of the allowed forms"));
            }
        }
    }
    --context.depth;
}

void OpenApiValidator::checkScalar(const QJsonValue &value, const QJsonObject &schema,
                                   const QString &path, Context &context) const
{
    const auto fail = [&](const QString &message) {
        context.add(SchemaViolation::Kind::Constraint, path, message);
    };

    if (schema.contains(u"enum")) {
        const QJsonArray allowed = schema.value(u"enum").toArray();
        if (!allowed.contains(value))
            fail(QStringLiteral("must be one of the following values: ") + listOf(allowed));
    }

    if (value.isString()) {
        const QString text = value.toString();
        const qsizetype length = text.size(); // UTF-16 code units, as LINE counts characters
        if ((schema.contains(u"minLength") && length < schema.value(u"minLength").toInteger())
            || (schema.contains(u"maxLength") && length > schema.value(u"maxLength").toInteger())) {
            fail(sizeMessage("length", schema, "minLength", "maxLength"));
        }
        const QString pattern = schema.value(u"pattern").toString();
        if (!pattern.isEmpty() && !regex(pattern).match(text).hasMatch())
            fail(QStringLiteral("must match \"%1\"").arg(pattern));
        const QString format = schema.value(u"format").toString();
        if (format == u"uri") {
            const QUrl url(text, QUrl::StrictMode);
            if (!url.isValid() || url.scheme().isEmpty())
                fail(QStringLiteral("must be a valid URI"));
        } else if (format == u"uuid") {
            static const QRegularExpression uuid(QStringLiteral(
                "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$"));
            if (!uuid.match(text).hasMatch())
                fail(QStringLiteral("must be a UUID"));
        }
    } else if (value.isDouble()) {
        const double d = value.toDouble();
        if (schema.contains(u"minimum")) {
            const double min = schema.value(u"minimum").toDouble();
            const bool exclusive = schema.value(u"exclusiveMinimum").toBool();
            if (exclusive ? d <= min : d < min)
                fail(QStringLiteral("must be greater than %1%2").arg(exclusive ? QString() : QStringLiteral("or equal to "), number(min)));
        }
        if (schema.contains(u"maximum")) {
            const double max = schema.value(u"maximum").toDouble();
            const bool exclusive = schema.value(u"exclusiveMaximum").toBool();
            if (exclusive ? d >= max : d > max)
                fail(QStringLiteral("must be less than %1%2").arg(exclusive ? QString() : QStringLiteral("or equal to "), number(max)));
        }
        const QString format = schema.value(u"format").toString();
        if (format == u"int32" && (d < std::numeric_limits<qint32>::min() || d > std::numeric_limits<qint32>::max()))
            fail(QStringLiteral("must be a 32-bit integer"));
        else if (format == u"int64" && std::fabs(d) > 9.2233720368547758e18)
            fail(QStringLiteral("must be a 64-bit integer"));
    } else if (value.isArray()) {
        const qsizetype size = value.toArray().size();
        if ((schema.contains(u"minItems") && size < schema.value(u"minItems").toInteger())
            || (schema.contains(u"maxItems") && size > schema.value(u"maxItems").toInteger())) {
            fail(sizeMessage("size", schema, "minItems", "maxItems"));
        }
    }
}

void OpenApiValidator::checkObject(const QJsonObject &object, const QList<QJsonObject> &closure,
                                   const QString &path, Context &context) const
{
    QHash<QString, QList<QJsonObject>> properties;
    QStringList required;
    std::optional<QJsonValue> additional;
    for (const QJsonObject &member : closure) {
        const QJsonObject declared = member.value(u"properties").toObject();
        for (auto it = declared.begin(); it != declared.end(); ++it)
            properties[it.key()].append(it.value().toObject());
        for (const QJsonValue &name : member.value(u"required").toArray()) {
            if (!required.contains(name.toString()))
                required.append(name.toString());
        }
        if (member.contains(u"additionalProperties") && !additional)
            additional = member.value(u"additionalProperties");
    }

    for (const QString &name : std::as_const(required)) {
        const QJsonValue v = object.value(name);
        if (v.isUndefined() || v.isNull())
            context.add(SchemaViolation::Kind::Constraint, childPath(path, name), QStringLiteral("must be specified"));
    }

    for (auto it = object.begin(); it != object.end(); ++it) {
        const QString propertyPath = childPath(path, it.key());
        const QJsonValue v = it.value();
        if (const auto declared = properties.constFind(it.key()); declared != properties.cend()) {
            if (v.isNull())
                continue; // an explicit null reads as "not given"; `required` caught the rest
            for (const QJsonObject &propertySchema : *declared)
                check(v, QString(), propertySchema, propertyPath, true, context);
        } else if (additional && additional->isObject()) {
            check(v, QString(), additional->toObject(), propertyPath, true, context);
        } else if (additional && additional->toBool()) {
            continue;
        } else if (context.options.rejectUnknownProperties || (additional && !additional->toBool())) {
            context.add(SchemaViolation::Kind::Unrecognized, propertyPath, QStringLiteral("is not a defined property"));
        }
    }
}

bool OpenApiValidator::checkImpliedDiscriminator(const QJsonObject &object, const QString &ref,
                                                 const QList<QJsonObject> &closure,
                                                 const QString &path, Context &context) const
{
    if (ref.isEmpty())
        return true;
    for (qsizetype i = 1; i < closure.size(); ++i) { // closure[0] is the schema itself
        const QJsonObject discriminator = closure.at(i).value(u"discriminator").toObject();
        if (discriminator.isEmpty())
            continue;
        const QString property = discriminator.value(u"propertyName").toString();
        const QJsonObject mapping = discriminator.value(u"mapping").toObject();
        QStringList tags;
        for (auto it = mapping.begin(); it != mapping.end(); ++it) {
            if (it.value().toString() == ref)
                tags << it.key();
        }
        if (tags.isEmpty())
            continue;
        const QJsonValue tag = object.value(property);
        if (tag.isString() && tags.contains(tag.toString()))
            continue;
        if (!tag.isUndefined() && !tag.isNull() && !tag.isString())
            continue; // already reported as a wrong type by the base's property schema
        context.add(SchemaViolation::Kind::Constraint, childPath(path, property),
                    tag.isUndefined() || tag.isNull()
                        ? QStringLiteral("must be specified")
                        : QStringLiteral("must be one of the following values: ") + listOf(QJsonArray::fromStringList(tags)));
        return false;
    }
    return true;
}

bool OpenApiValidator::matches(const QJsonValue &value, const QString &ref, const QJsonObject &schema,
                               const Context &context) const
{
    Context trial{context.options, {}, context.depth + 1};
    check(value, ref, schema, QString(), true, trial);
    return trial.violations.isEmpty();
}

QJsonObject OpenApiValidator::resolve(QJsonObject schema, QString *ref) const
{
    for (int hop = 0; hop < kMaxRefHops && schema.contains(u"$ref"); ++hop) {
        const QString next = schema.value(u"$ref").toString();
        if (ref)
            *ref = next;
        schema = lookup(next);
    }
    return schema;
}

QJsonObject OpenApiValidator::lookup(const QString &ref) const
{
    if (!ref.startsWith(u"#/"))
        return {};
    QJsonValue node = m_document;
    const QStringList tokens = ref.mid(2).split(u'/');
    for (QString token : tokens) {
        token.replace(QStringLiteral("~1"), QStringLiteral("/")).replace(QStringLiteral("~0"), QStringLiteral("~"));
        if (node.isObject())
            node = node.toObject().value(token);
        else if (node.isArray())
            node = node.toArray().at(token.toInt());
        else
            return {};
    }
    return node.toObject();
}

QList<QJsonObject> OpenApiValidator::closure(const QJsonObject &schema) const
{
    QList<QJsonObject> result{schema};
    for (qsizetype i = 0; i < result.size() && i < kMaxRefHops; ++i) {
        for (const QJsonValue &member : result.at(i).value(u"allOf").toArray())
            result.append(resolve(member.toObject(), nullptr));
    }
    return result;
}

const QRegularExpression &OpenApiValidator::regex(const QString &pattern) const
{
    auto it = m_regexCache.find(pattern);
    if (it == m_regexCache.end())
        it = m_regexCache.insert(pattern, QRegularExpression(pattern));
    return *it;
}

QString describe(const SchemaViolation &violation)
{
    return violation.property.isEmpty() ? violation.message : violation.property + u' ' + violation.message;
}

} // namespace poptap::lineemu
