#pragma once

#include "deliveryserver.h"
#include "serviceconfig.h"

#include <QTemporaryDir>
#include <QUrl>

#include <memory>

namespace poptap::bench {

// A real DeliveryServer on loopback, in this process and on this thread, with a clean
// database (SQLite in a temporary directory, or PostgreSQL when POPTAP_TEST_DATABASE
// names one, as the delivery suites do) and one store with the demo catalog.
class BenchServer
{
public:
    static constexpr std::int64_t kStoreId = 101; // servicetesting::kDemoStoreId

    BenchServer();
    ~BenchServer();

    // `config` gives the LINE settings; port, data directory and database are set here.
    QString start(delivery::ServiceConfig config); // empty on success

    delivery::DeliveryServer &server() { return *m_server; }
    QUrl url(const QString &path) const;
    qint64 count(const QString &sql) const; // -1 when the query failed
    // Which database, and for SQLite the file system under it (fsync cost differs a lot).
    QString describeDatabase() const;

private:
    QTemporaryDir m_dir;
    QString m_database;
    std::unique_ptr<delivery::DeliveryServer> m_server;
};

} // namespace poptap::bench
