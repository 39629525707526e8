#include "messagetemplate.h"

#include "lineformat.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>

namespace poptap::delivery {

const QString MessageTemplate::kDefaultAccentColor = QStringLiteral("#06C755"); // LINE green, as on the kiosk

Language MessageTemplate::language(Family family) const
{
    if (m_language)
        return *m_language;
    return family == Family::ProductEvent ? Language::Japanese : Language::Both;
}

QString MessageTemplate::wording(TextId id, Language language) const
{
    const auto custom = m_texts.constFind(id);
    if (custom != m_texts.cend()) {
        const std::optional<QString> &chosen = language == Language::English ? custom->en : custom->ja;
        if (chosen)
            return *chosen;
    }
    const TextSpec &spec = textSpec(id);
    return language == Language::English ? spec.en : spec.ja;
}

QString MessageTemplate::line(TextId id, Language language, const Placeholders &values) const
{
    static const QRegularExpression spaces(QStringLiteral(" {2,}"));
    return fillPlaceholders(wording(id, language), values, language).replace(spaces, QStringLiteral(" ")).trimmed();
}

QList<Language> MessageTemplate::languages(Family family) const
{
    const Language chosen = language(family);
    return chosen == Language::Both ? QList<Language>{Language::Japanese, Language::English} : QList<Language>{chosen};
}

QStringList MessageTemplate::lines(TextId id, Family family, const Placeholders &values) const
{
    QStringList result;
    for (const Language one : languages(family)) {
        const QString filled = line(id, one, values);
        if (!result.contains(filled))
            result << filled;
    }
    return result;
}

QString MessageTemplate::text(TextId id, Family family, const Placeholders &values, int maxUtf16) const
{
    QStringList parts = lines(id, family, values);
    // Each language keeps its share, so a long Japanese name cannot push the English out.
    const int share = int((maxUtf16 - (parts.size() - 1)) / parts.size());
    for (QString &part : parts)
        part = lineformat::truncateUtf16(part, share);
    return parts.join(u'\n');
}

QString MessageTemplate::label(TextId id, Family family, int maxGraphemes) const
{
    const QStringList parts = lines(id, family);
    const QString joined = parts.join(QStringLiteral(" / "));
    if (lineformat::graphemeCount(joined) <= maxGraphemes)
        return joined;
    return lineformat::truncateGraphemes(parts.first(), maxGraphemes);
}

namespace {

const QString kLanguageField = QStringLiteral("language");
const QString kColourField = QStringLiteral("accentColor");
const QString kTextsField = QStringLiteral("texts");

std::optional<Language> languageFrom(const QString &code)
{
    if (code == QLatin1String("ja"))
        return Language::Japanese;
    if (code == QLatin1String("en"))
        return Language::English;
    if (code == QLatin1String("both"))
        return Language::Both;
    return std::nullopt;
}

QString braced(const QStringList &names)
{
    QStringList out;
    for (const QString &name : names)
        out << u'{' + name + u'}';
    return out.join(QStringLiteral(", "));
}

// Why a chain's wording of `spec` cannot be used, or empty.
QString checkWording(const TextSpec &spec, const QString &wording)
{
    if (wording.trimmed().isEmpty())
        return QStringLiteral("must not be empty (leave the text out to keep the built-in wording)");
    const int length = spec.isLabel ? lineformat::graphemeCount(wording) : int(wording.size());
    if (length > spec.maxLength)
        return QStringLiteral("%1 characters is too long; at most %2").arg(length).arg(spec.maxLength);
    if (spec.isLabel && (wording.contains(u'\n') || wording.contains(u'{')))
        return QStringLiteral("a button label is one line without placeholders");
    const PlaceholderScan scan = scanPlaceholders(wording);
    if (!scan.error.isEmpty())
        return scan.error;
    for (const QString &name : scan.names)
        if (!spec.placeholders.contains(name))
            return spec.placeholders.isEmpty()
                ? QStringLiteral("unknown placeholder {%1}; this text takes none").arg(name)
                : QStringLiteral("unknown placeholder {%1}; this text may use %2").arg(name, braced(spec.placeholders));
    return {};
}

QStringList allKeys()
{
    QStringList keys;
    for (const TextSpec &spec : textSpecs())
        keys << spec.key;
    return keys;
}

// One text of "texts": {"ja": "...", "en": "..."}, either may be left out.
std::optional<MessageTemplate::Override> parseText(const QString &where, const TextSpec &spec, const QJsonValue &value,
                                                   QStringList &errors)
{
    if (!value.isObject()) {
        errors << where + QStringLiteral(": must be an object with \"ja\" and/or \"en\"");
        return std::nullopt;
    }
    const QJsonObject languages = value.toObject();
    MessageTemplate::Override custom;
    for (auto one = languages.begin(); one != languages.end(); ++one) {
        const QString at = where + u'.' + one.key();
        const bool ja = one.key() == QLatin1String("ja");
        if (!ja && one.key() != QLatin1String("en")) {
            errors << at + QStringLiteral(": only \"ja\" and \"en\" can be given");
        } else if (!one.value().isString()) {
            errors << at + QStringLiteral(": must be a string");
        } else if (const QString problem = checkWording(spec, one.value().toString()); !problem.isEmpty()) {
            errors << at + QStringLiteral(": ") + problem;
        } else {
            (ja ? custom.ja : custom.en) = one.value().toString();
        }
    }
    return custom;
}

QMap<TextId, MessageTemplate::Override> parseTexts(const QJsonValue &value, QStringList &errors)
{
    QMap<TextId, MessageTemplate::Override> texts;
    if (!value.isObject()) {
        errors << QStringLiteral("texts: must be an object of text keys");
        return texts;
    }
    const QJsonObject object = value.toObject();
    for (auto text = object.begin(); text != object.end(); ++text) {
        const QString where = QStringLiteral("texts.") + text.key();
        const std::optional<TextId> id = textIdFromKey(text.key());
        if (!id)
            errors << where + QStringLiteral(": not a text key; the keys are ") + allKeys().join(QStringLiteral(", "));
        else if (const auto custom = parseText(where, textSpec(*id), text.value(), errors))
            texts.insert(*id, *custom);
    }
    return texts;
}

std::optional<QJsonObject> parseRoot(const QString &json, QStringList &errors)
{
    const QByteArray utf8 = json.toUtf8();
    if (utf8.size() > MessageTemplate::kMaxJsonBytes) {
        errors << QStringLiteral("the template has %1 bytes; at most %2").arg(utf8.size()).arg(MessageTemplate::kMaxJsonBytes);
        return std::nullopt;
    }
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(utf8, &error);
    if (error.error != QJsonParseError::NoError) {
        errors << QStringLiteral("not JSON: %1 at byte %2").arg(error.errorString()).arg(error.offset);
        return std::nullopt;
    }
    if (!document.isObject()) {
        errors << QStringLiteral("the template must be a JSON object");
        return std::nullopt;
    }
    return document.object();
}

} // namespace

MessageTemplateParse parseMessageTemplate(const QString &json)
{
    MessageTemplateParse parse;
    if (json.trimmed().isEmpty())
        return parse;
    const std::optional<QJsonObject> root = parseRoot(json, parse.errors);
    if (!root)
        return parse;
    MessageTemplate result;
    for (auto field = root->begin(); field != root->end(); ++field) {
        const QString &name = field.key();
        const QJsonValue value = field.value();
        if (name == kLanguageField) {
            result.m_language = languageFrom(value.toString());
            if (!result.m_language)
                parse.errors << QStringLiteral("language: must be \"ja\", \"en\" or \"both\"");
        } else if (name == kColourField) {
            static const QRegularExpression colour(QStringLiteral("^#[0-9A-Fa-f]{6}$"));
            if (value.isString() && colour.match(value.toString()).hasMatch())
                result.m_accentColor = value.toString().toUpper();
            else
                parse.errors << QStringLiteral("accentColor: must be a colour written #RRGGBB, e.g. \"#06C755\"");
        } else if (name == kTextsField) {
            result.m_texts = parseTexts(value, parse.errors);
        } else {
            parse.errors << name + QStringLiteral(": not a template field (language, accentColor, texts)");
        }
    }
    if (parse.ok())
        parse.messageTemplate = result;
    return parse;
}

} // namespace poptap::delivery
