#pragma once

#include <QString>
#include <QUrl>

namespace poptap {

// What the shopper's phone opens (DESIGN.md, "Registration flows"). A template is a
// https LINE link with placeholders: {liffId}, {basicId}, {token}, {text}.
//   liff      https://liff.line.me/{liffId}/r/{token}            (default; path-based,
//             because query parameters get lost in LIFF's liff.state redirect)
//   oamessage https://line.me/R/oaMessage/{basicId}/?{text}       ({text} carries {token})
//   friend    https://line.me/R/ti/p/{basicId}                    (plain friend add)
class DeepLinkTemplate
{
public:
    enum class Kind { Liff, OaMessage, FriendAdd };

    struct Parameters {
        QString liffId;   // e.g. 2001234567-AbCdEfGh
        QString basicId;  // e.g. @poptap-demo
        QString token;
        QString messageText = QStringLiteral("PopTap {token}"); // oaMessage text; {token} is replaced
    };

    // Accepts a preset name (liff, oamessage, friend) or a full template. Anything that
    // would not produce a https link on a LINE host is refused with the reason in `error`.
    static DeepLinkTemplate parse(const QString &templateOrPreset, QString *error);
    static QString presetTemplate(Kind kind);

    bool isValid() const { return !m_template.isEmpty(); }
    Kind kind() const { return m_kind; }
    QString templateText() const { return m_template; }
    bool carriesToken() const { return m_kind != Kind::FriendAdd; }

    // Fills the placeholders, percent-encoding each value for where it stands, and returns
    // the link exactly as the QR code and the NFC tag carry it (already fully encoded).
    // Returns an empty string, with the reason in `error`, when a value is missing or invalid.
    QString expand(const Parameters &parameters, QString *error = nullptr) const;

private:
    QString m_template;
    Kind m_kind = Kind::Liff;
};

} // namespace poptap
