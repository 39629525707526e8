#pragma once

#include <QIODevice>
#include <QProcessEnvironment>
#include <QStringList>
#include <QTextStream>

namespace poptap::delivery {

// poptap-deliveryctl: what an operator does to the service's database — stores, catalogs,
// enrollment codes, devices and their heartbeats, chains with their keys, caps and message
// templates. It reads the same configuration as poptap-delivery (file, POPTAP_DELIVERY_*
// variables, --config/--database/--data-dir) and works while the service runs, on SQLite or
// PostgreSQL.
//
// `in` is what "-" reads (a template from standard input). Returns the process exit code:
// 0 done, 1 refused or failed (the reason on `err`), 2 a usage error.
int runOperatorCommand(const QStringList &arguments, const QProcessEnvironment &environment, QIODevice &in,
                       QTextStream &out, QTextStream &err);

} // namespace poptap::delivery
