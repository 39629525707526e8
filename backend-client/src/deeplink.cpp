#include "deeplink.h"

#include <QRegularExpression>
#include <QSet>

namespace poptap {
namespace {

const QSet<QString> &lineHosts()
{
    static const QSet<QString> hosts{QStringLiteral("liff.line.me"), QStringLiteral("line.me")};
    return hosts;
}

QString percentEncoded(const QString &value)
{
    return QString::fromLatin1(QUrl::toPercentEncoding(value));
}

bool setError(QString *error, const QString &message)
{
    if (error)
        *error = message;
    return false;
}

} // namespace

QString DeepLinkTemplate::presetTemplate(Kind kind)
{
    switch (kind) {
    case Kind::Liff: return QStringLiteral("https://liff.line.me/{liffId}/r/{token}");
    case Kind::OaMessage: return QStringLiteral("https://line.me/R/oaMessage/{basicId}/?{text}");
    case Kind::FriendAdd: return QStringLiteral("https://line.me/R/ti/p/{basicId}");
    }
    return {};
}

DeepLinkTemplate DeepLinkTemplate::parse(const QString &templateOrPreset, QString *error)
{
    const QString name = templateOrPreset.trimmed();
    QString text = name;
    if (name.compare(QLatin1String("liff"), Qt::CaseInsensitive) == 0)
        text = presetTemplate(Kind::Liff);
    else if (name.compare(QLatin1String("oamessage"), Qt::CaseInsensitive) == 0)
        text = presetTemplate(Kind::OaMessage);
    else if (name.compare(QLatin1String("friend"), Qt::CaseInsensitive) == 0)
        text = presetTemplate(Kind::FriendAdd);

    DeepLinkTemplate result;
    const auto refuse = [&](const QString &why) {
        setError(error, QStringLiteral("link template '%1' refused: %2").arg(name, why));
        return DeepLinkTemplate{};
    };
    if (text.isEmpty())
        return refuse(QStringLiteral("it is empty"));

    // Validate the shape with harmless sample values in place of the placeholders.
    QString sample = text;
    for (const char *placeholder : {"{liffId}", "{basicId}", "{token}", "{text}"})
        sample.replace(QLatin1String(placeholder), QStringLiteral("x"));
    if (sample.contains(QLatin1Char('{')) || sample.contains(QLatin1Char('}')))
        return refuse(QStringLiteral("unknown placeholder (known: {liffId}, {basicId}, {token}, {text})"));
    const QUrl url(sample, QUrl::StrictMode);
    if (!url.isValid())
        return refuse(QStringLiteral("not a valid URL"));
    if (url.scheme() != QLatin1String("https"))
        return refuse(QStringLiteral("only https links open from a QR code and an NFC tap on every phone"));
    if (!lineHosts().contains(url.host()) || !url.userInfo().isEmpty() || url.port() != -1)
        return refuse(QStringLiteral("the host must be liff.line.me or line.me"));

    if (url.host() == QLatin1String("liff.line.me"))
        result.m_kind = Kind::Liff;
    else if (url.path().startsWith(QLatin1String("/R/oaMessage/")))
        result.m_kind = Kind::OaMessage;
    else if (url.path().startsWith(QLatin1String("/R/ti/p/")))
        result.m_kind = Kind::FriendAdd;
    else
        return refuse(QStringLiteral("line.me links must be /R/oaMessage/ or /R/ti/p/"));

    if (result.m_kind == Kind::Liff && !text.contains(QLatin1String("{token}")))
        return refuse(QStringLiteral("a LIFF link must carry {token} in its path"));
    if (result.m_kind == Kind::OaMessage && !text.contains(QLatin1String("{text}")))
        return refuse(QStringLiteral("an oaMessage link must carry {text}, the prefilled message with the token"));
    if (result.m_kind == Kind::Liff && url.hasQuery() && text.section(QLatin1Char('?'), 1).contains(QLatin1String("{token}")))
        return refuse(QStringLiteral("put {token} in the path: LIFF loses query parameters in its liff.state redirect"));
    result.m_template = text;
    return result;
}

QString DeepLinkTemplate::expand(const Parameters &p, QString *error) const
{
    static const QRegularExpression liffIdPattern(QStringLiteral("^[0-9]{6,12}-[A-Za-z0-9]{4,16}$"));
    static const QRegularExpression basicIdPattern(QStringLiteral("^@[a-z0-9._-]{1,32}$"));
    static const QRegularExpression tokenPattern(QStringLiteral("^[A-Za-z0-9_-]{1,64}$"));

    if (!isValid()) {
        setError(error, QStringLiteral("no link template"));
        return {};
    }
    QString link = m_template;
    if (link.contains(QLatin1String("{liffId}"))) {
        if (!liffIdPattern.match(p.liffId).hasMatch())
            return setError(error, QStringLiteral("invalid LIFF id '%1'").arg(p.liffId)), QString();
        link.replace(QLatin1String("{liffId}"), p.liffId);
    }
    if (link.contains(QLatin1String("{basicId}"))) {
        if (!basicIdPattern.match(p.basicId).hasMatch())
            return setError(error, QStringLiteral("invalid LINE basic id '%1'").arg(p.basicId)), QString();
        link.replace(QLatin1String("{basicId}"), percentEncoded(p.basicId));
    }
    if (carriesToken() && !tokenPattern.match(p.token).hasMatch())
        return setError(error, QStringLiteral("invalid or missing token")), QString();
    if (link.contains(QLatin1String("{text}"))) {
        QString message = p.messageText;
        if (!message.contains(QLatin1String("{token}")))
            return setError(error, QStringLiteral("the message text must contain {token}")), QString();
        message.replace(QLatin1String("{token}"), p.token);
        // iOS LINE rejects an unencoded prefilled text: encode every reserved byte.
        link.replace(QLatin1String("{text}"), percentEncoded(message));
    }
    link.replace(QLatin1String("{token}"), p.token);
    if (!QUrl(link, QUrl::StrictMode).isValid())
        return setError(error, QStringLiteral("expanded link is not a valid URL")), QString();
    return link;
}

} // namespace poptap
