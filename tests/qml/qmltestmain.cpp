// Qt Quick Test runner for the PopTap QML components, with the app's QML modules
// linked in statically and the language controller the components bind to.
#include "languagecontroller.h"

#include <QQmlEngine>
#include <QtQml/QQmlExtensionPlugin>
#include <QtQuickTest/quicktest.h>

Q_IMPORT_QML_PLUGIN(PopTap_KioskPlugin)
Q_IMPORT_QML_PLUGIN(PopTap_UiPlugin)

class Setup : public QObject
{
    Q_OBJECT
public Q_SLOTS:
    void qmlEngineAvailable(QQmlEngine *engine)
    {
        engine->addImportPath(QStringLiteral("qrc:/qt/qml"));
        m_language.reset(); // each tst_*.qml file gets a fresh engine
        m_language = std::make_unique<poptap::LanguageController>(engine, QStringLiteral("ja"));
    }
    void cleanupTestCase() { m_language.reset(); }

private:
    std::unique_ptr<poptap::LanguageController> m_language;
};

QUICK_TEST_MAIN_WITH_SETUP(poptap_qml, Setup)
#include "qmltestmain.moc"
