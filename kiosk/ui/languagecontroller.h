#pragma once

#include <QObject>
#include <QTranslator>
#include <QtQml/qqmlregistration.h>

class QQmlEngine;
class QJSEngine;

namespace poptap {

// The language the shopper sees (ja or en), switched live with compiled translations.
class LanguageController : public QObject
{
    Q_OBJECT
    QML_NAMED_ELEMENT(Language)
    QML_SINGLETON
    Q_PROPERTY(QString current READ current WRITE setCurrent NOTIFY currentChanged)
    Q_PROPERTY(bool japanese READ isJapanese NOTIFY currentChanged)

public:
    LanguageController(QQmlEngine *engine, const QString &defaultLanguage, QObject *parent = nullptr);
    ~LanguageController() override;
    static LanguageController *create(QQmlEngine *, QJSEngine *);

    QString current() const { return m_current; }
    bool isJapanese() const { return m_current == QLatin1String("ja"); }
    // Returns false, leaving the language as it was, when no translation is built in.
    Q_INVOKABLE bool setCurrent(const QString &language);
    Q_INVOKABLE void toggle();
    // The next shopper starts in the configured language.
    void resetToDefault() { setCurrent(m_default); }

Q_SIGNALS:
    void currentChanged();

private:
    QQmlEngine *m_engine;
    QString m_default;
    QString m_current;
    QTranslator m_translator;

    static inline LanguageController *s_instance = nullptr;
};

} // namespace poptap
