#include "benchserver.h"

#include "servicedatabase.h"
#include "servicetesting.h"

#include <QSqlQuery>
#include <QStorageInfo>

namespace poptap::bench {

BenchServer::BenchServer()
    : m_database(servicetesting::testDatabase())
{
}

BenchServer::~BenchServer() = default;

QString BenchServer::start(delivery::ServiceConfig config)
{
    if (!m_dir.isValid())
        return QStringLiteral("no temporary directory");
    if (const QString error = servicetesting::resetDatabase(m_database, m_dir.filePath(QStringLiteral("delivery.db")));
        !error.isEmpty())
        return QStringLiteral("database reset: ") + error;
    config.port = 0;
    config.dataDir = m_dir.path();
    config.database = m_database;
    m_server = std::make_unique<delivery::DeliveryServer>(config);
    if (const QString error = m_server->start(); !error.isEmpty())
        return error;
    return servicetesting::addDemoStore(*m_server->database());
}

QUrl BenchServer::url(const QString &path) const
{
    return QUrl(QStringLiteral("http://127.0.0.1:%1%2").arg(m_server->port()).arg(path));
}

qint64 BenchServer::count(const QString &sql) const
{
    QSqlQuery q(m_server->database()->handle());
    return q.exec(sql) && q.next() ? q.value(0).toLongLong() : -1;
}

QString BenchServer::describeDatabase() const
{
    if (!m_database.isEmpty())
        return m_server->databaseDescription();
    const QStorageInfo storage(m_dir.path());
    return QStringLiteral("%1 (synchronous=FULL, on %2)")
        .arg(m_server->databaseDescription(), QString::fromLatin1(storage.fileSystemType()));
}

} // namespace poptap::bench
