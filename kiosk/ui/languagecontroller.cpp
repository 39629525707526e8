#include "languagecontroller.h"

#include <QCoreApplication>
#include <QJSEngine>
#include <QLoggingCategory>
#include <QQmlEngine>

Q_LOGGING_CATEGORY(lcLanguage, "poptap.language")

namespace poptap {

LanguageController::LanguageController(QQmlEngine *engine, const QString &defaultLanguage, QObject *parent)
    : QObject(parent)
    , m_engine(engine)
    , m_default(defaultLanguage)
{
    Q_ASSERT(!s_instance);
    s_instance = this;
    if (!setCurrent(defaultLanguage))
        setCurrent(QStringLiteral("ja"));
}

LanguageController::~LanguageController()
{
    QCoreApplication::removeTranslator(&m_translator);
    if (s_instance == this)
        s_instance = nullptr;
}

LanguageController *LanguageController::create(QQmlEngine *, QJSEngine *)
{
    Q_ASSERT_X(s_instance, "LanguageController", "create the controller before loading QML");
    QJSEngine::setObjectOwnership(s_instance, QJSEngine::CppOwnership);
    return s_instance;
}

bool LanguageController::setCurrent(const QString &language)
{
    if (language == m_current)
        return true;
    QTranslator next;
    if (!next.load(QStringLiteral(":/i18n/poptap_%1.qm").arg(language))) {
        qCWarning(lcLanguage) << "no translation built in for" << language;
        return false;
    }
    QCoreApplication::removeTranslator(&m_translator);
    (void)m_translator.load(QStringLiteral(":/i18n/poptap_%1.qm").arg(language));
    QCoreApplication::installTranslator(&m_translator);
    m_current = language;
    if (m_engine)
        m_engine->retranslate();
    Q_EMIT currentChanged();
    return true;
}

void LanguageController::toggle()
{
    setCurrent(isJapanese() ? QStringLiteral("en") : QStringLiteral("ja"));
}

} // namespace poptap
