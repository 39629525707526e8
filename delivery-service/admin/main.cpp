// poptap-deliveryctl: operator commands against poptap-delivery's database.
#include "operatorcommands.h"

#include <QCoreApplication>

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("poptap-deliveryctl"));
    QTextStream out(stdout);
    QTextStream err(stderr);
    return poptap::delivery::runOperatorCommand(app.arguments(), QProcessEnvironment::systemEnvironment(), out, err);
}
