// poptap-deliveryctl: operator commands against poptap-delivery's database.
#include "operatorcommands.h"

#include <QCoreApplication>
#include <QFile>

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("poptap-deliveryctl"));
    QFile in;
    in.open(stdin, QIODevice::ReadOnly);
    QTextStream out(stdout);
    QTextStream err(stderr);
    return poptap::delivery::runOperatorCommand(app.arguments(), QProcessEnvironment::systemEnvironment(), in, out, err);
}
