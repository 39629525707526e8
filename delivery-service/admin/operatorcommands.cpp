#include "operatorcommands.h"

#include "deviceregistry.h"
#include "kioskledger.h"
#include "serviceconfig.h"
#include "servicedatabase.h"
#include "wire/heartbeatwire.h"

#include <QCommandLineParser>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace poptap::delivery {
namespace {

constexpr int kDone = 0;
constexpr int kFailed = 1;
constexpr int kUsage = 2;

const char kUsageText[] =
    "Usage: poptap-deliveryctl [--config FILE | --database URL | --data-dir DIR] [--json] COMMAND\n"
    "\n"
    "  store add ID CODE NAME_JA NAME_EN      add a store, or rename it\n"
    "  store list                             stores, their catalog ETag and active kiosks\n"
    "  catalog upload STORE_ID FILE           replace a store's catalog (checked as a kiosk would)\n"
    "  catalog show STORE_ID                  print a store's catalog as kiosks receive it\n"
    "  enrollment create STORE_ID [--valid-hours N]\n"
    "                                         a one-time code for the store's next kiosk (default 72 h)\n"
    "  device list [--store ID]               kiosks with their last heartbeat\n"
    "  device show DEVICE_ID                  one kiosk, with its last heartbeat in full\n"
    "  device revoke DEVICE_ID                refuse the kiosk's requests from now on\n"
    "\n"
    "The database is the one poptap-delivery uses: the same configuration file (default\n"
    "/etc/poptap/delivery.conf), POPTAP_DELIVERY_* variables, or the flags above.\n";

int usageError(QTextStream &err, const QString &problem)
{
    err << "poptap-deliveryctl: " << problem << "\n\n" << kUsageText;
    return kUsage;
}

QString isoOrDash(const std::optional<QDateTime> &at)
{
    return at ? at->toString(Qt::ISODate) : QStringLiteral("-");
}

QJsonValue isoOrNull(const std::optional<QDateTime> &at)
{
    return at ? QJsonValue(at->toString(Qt::ISODate)) : QJsonValue(QJsonValue::Null);
}

// Parses a store or row id given on the command line.
std::optional<std::int64_t> idArgument(const QString &text)
{
    bool ok = false;
    const qint64 id = text.toLongLong(&ok);
    if (!ok || id <= 0 || id > 0xffffffffll)
        return std::nullopt;
    return id;
}

class Session
{
public:
    Session(QTextStream &out, QTextStream &err, bool json)
        : m_out(out), m_err(err), m_json(json), m_db(QStringLiteral("poptap-deliveryctl"))
    {
    }

    int open(const ServiceConfig &config)
    {
        if (QString error = m_db.open(config.database, config.sqlitePath()); !error.isEmpty())
            return fail(QStringLiteral("cannot open the database (%1): %2").arg(m_db.describe(), error));
        // The service migrates at start too; doing it here lets set-up run before its first start.
        if (QString error = m_db.migrate(); !error.isEmpty())
            return fail(QStringLiteral("cannot migrate %1: %2").arg(m_db.describe(), error));
        return kDone;
    }

    int storeAdd(const QStringList &args)
    {
        if (args.size() != 4)
            return usage(QStringLiteral("store add needs ID CODE NAME_JA NAME_EN"));
        const auto id = idArgument(args[0]);
        if (!id)
            return usage(QStringLiteral("'%1' is not a store id (1 to 4294967295)").arg(args[0]));
        for (const QString &text : args.mid(1))
            if (text.trimmed().isEmpty())
                return usage(QStringLiteral("store code and names must not be empty"));
        if (QString error = registry().addStore(*id, args[1].trimmed(), args[2].trimmed(), args[3].trimmed());
            !error.isEmpty())
            return fail(error);
        return done(QStringLiteral("store %1 (%2) saved").arg(*id).arg(args[2].trimmed()),
                    QJsonObject{{QStringLiteral("storeId"), qint64(*id)}});
    }

    int storeList()
    {
        QString error;
        const QList<DeviceRegistry::StoreSummary> stores = registry().stores(&error);
        if (!error.isEmpty())
            return fail(error);
        if (m_json) {
            QJsonArray rows;
            for (const auto &s : stores)
                rows << QJsonObject{{QStringLiteral("id"), qint64(s.id)},
                                    {QStringLiteral("code"), s.code},
                                    {QStringLiteral("nameJa"), s.nameJa},
                                    {QStringLiteral("nameEn"), s.nameEn},
                                    {QStringLiteral("catalogETag"), s.catalogETag ? QJsonValue(*s.catalogETag) : QJsonValue()},
                                    {QStringLiteral("devices"), s.devices}};
            return printJson(QJsonObject{{QStringLiteral("stores"), rows}});
        }
        m_out << QStringLiteral("%1  %2  %3  %4  %5\n").arg(QStringLiteral("id"), -10).arg(QStringLiteral("code"), -16)
                     .arg(QStringLiteral("devices"), 7).arg(QStringLiteral("catalog"), -48).arg(QStringLiteral("name"));
        for (const auto &s : stores)
            m_out << QStringLiteral("%1  %2  %3  %4  %5 / %6\n").arg(s.id, -10).arg(s.code, -16).arg(s.devices, 7)
                         .arg(s.catalogETag.value_or(QStringLiteral("(none)")), -48).arg(s.nameJa, s.nameEn);
        return kDone;
    }

    int catalogUpload(const QStringList &args)
    {
        if (args.size() != 2)
            return usage(QStringLiteral("catalog upload needs STORE_ID FILE"));
        const auto id = idArgument(args[0]);
        if (!id)
            return usage(QStringLiteral("'%1' is not a store id").arg(args[0]));
        if (!registry().hasStore(*id))
            return fail(QStringLiteral("no store %1: add it first with 'store add'").arg(*id));
        QFile file(args[1]);
        if (!file.open(QIODevice::ReadOnly))
            return fail(QStringLiteral("cannot read %1: %2").arg(args[1], file.errorString()));
        const QByteArray body = file.readAll();
        if (QString error = registry().setCatalog(*id, body); !error.isEmpty())
            return fail(QStringLiteral("%1: %2").arg(args[1], error));
        const QString etag = registry().catalogETag(*id).value_or(QString());
        return done(QStringLiteral("catalog of store %1 replaced, ETag %2").arg(*id).arg(etag),
                    QJsonObject{{QStringLiteral("storeId"), qint64(*id)}, {QStringLiteral("etag"), etag}});
    }

    int catalogShow(const QStringList &args)
    {
        if (args.size() != 1)
            return usage(QStringLiteral("catalog show needs STORE_ID"));
        const auto id = idArgument(args[0]);
        if (!id)
            return usage(QStringLiteral("'%1' is not a store id").arg(args[0]));
        const auto catalog = registry().catalog(*id);
        if (!catalog)
            return fail(QStringLiteral("store %1 has no catalog").arg(*id));
        m_out << QString::fromUtf8(catalog->body);
        if (!catalog->body.endsWith('\n'))
            m_out << '\n';
        return kDone;
    }

    int enrollmentCreate(const QStringList &args, int validHours)
    {
        if (args.size() != 1)
            return usage(QStringLiteral("enrollment create needs STORE_ID"));
        const auto id = idArgument(args[0]);
        if (!id)
            return usage(QStringLiteral("'%1' is not a store id").arg(args[0]));
        if (!registry().hasStore(*id))
            return fail(QStringLiteral("no store %1: add it first with 'store add'").arg(*id));
        QString error;
        // One clock reading for the stored expiry and the one printed.
        const QDateTime now = QDateTime::fromSecsSinceEpoch(QDateTime::currentSecsSinceEpoch(), Qt::UTC);
        KioskLedger ledger(m_db, [now] { return now; });
        const std::optional<QString> code = ledger.createEnrollmentCode(*id, validHours, &error);
        if (!code)
            return fail(error);
        const QDateTime expires = now.addSecs(qint64(validHours) * 3600);
        // Only its hash is stored: this is the one time the code can be read.
        return done(QStringLiteral("%1\n(one-time code for store %2, valid until %3; shown only now)")
                        .arg(*code).arg(*id).arg(expires.toString(Qt::ISODate)),
                    QJsonObject{{QStringLiteral("code"), *code},
                                {QStringLiteral("storeId"), qint64(*id)},
                                {QStringLiteral("expiresAt"), expires.toString(Qt::ISODate)}});
    }

    int deviceList(std::optional<std::int64_t> storeId)
    {
        QString error;
        const QList<DeviceRegistry::DeviceSummary> devices = registry().devices(storeId, &error);
        if (!error.isEmpty())
            return fail(error);
        if (m_json) {
            QJsonArray rows;
            for (const auto &d : devices)
                rows << deviceJson(d);
            return printJson(QJsonObject{{QStringLiteral("devices"), rows}});
        }
        m_out << QStringLiteral("%1  %2  %3  %4  %5  %6  %7\n")
                     .arg(QStringLiteral("device"), -36).arg(QStringLiteral("store"), -10)
                     .arg(QStringLiteral("state"), -8).arg(QStringLiteral("last seen"), -20)
                     .arg(QStringLiteral("queue"), 6).arg(QStringLiteral("oldest"), 8).arg(QStringLiteral("reader"));
        for (const auto &d : devices) {
            const auto beat = wire::Heartbeat::fromJson(d.heartbeat).value;
            m_out << QStringLiteral("%1  %2  %3  %4  %5  %6  %7\n")
                         .arg(d.id, -36).arg(d.storeId, -10)
                         .arg(d.revokedAt ? QStringLiteral("revoked") : QStringLiteral("active"), -8)
                         .arg(isoOrDash(d.lastSeen), -20)
                         .arg(beat ? QString::number(beat->queueDepth) : QStringLiteral("-"), 6)
                         .arg(beat ? QStringLiteral("%1s").arg(beat->oldestPendingSeconds) : QStringLiteral("-"), 8)
                         .arg(beat ? wire::componentStatusName(beat->reader.status) : QStringLiteral("-"));
        }
        return kDone;
    }

    int deviceShow(const QStringList &args)
    {
        if (args.size() != 1)
            return usage(QStringLiteral("device show needs DEVICE_ID"));
        QString error;
        for (const auto &d : registry().devices(std::nullopt, &error))
            if (d.id == args[0])
                return printJson(deviceJson(d));
        return fail(error.isEmpty() ? QStringLiteral("no device '%1'").arg(args[0]) : error);
    }

    int deviceRevoke(const QStringList &args)
    {
        if (args.size() != 1)
            return usage(QStringLiteral("device revoke needs DEVICE_ID"));
        if (QString error = registry().revokeDevice(args[0], QDateTime::currentDateTimeUtc()); !error.isEmpty())
            return fail(error);
        return done(QStringLiteral("device %1 revoked: its requests are refused from now on").arg(args[0]),
                    QJsonObject{{QStringLiteral("deviceId"), args[0]}, {QStringLiteral("revoked"), true}});
    }

private:
    int usage(const QString &problem) { return usageError(m_err, problem); }

    DeviceRegistry registry() { return DeviceRegistry(m_db); }

    QJsonObject deviceJson(const DeviceRegistry::DeviceSummary &d) const
    {
        QJsonObject row{{QStringLiteral("id"), d.id},
                        {QStringLiteral("storeId"), qint64(d.storeId)},
                        {QStringLiteral("name"), d.name},
                        {QStringLiteral("enrolledAt"), d.enrolledAt.toString(Qt::ISODate)},
                        {QStringLiteral("revokedAt"), isoOrNull(d.revokedAt)},
                        {QStringLiteral("lastSeen"), isoOrNull(d.lastSeen)}};
        // The heartbeat as the kiosk sent it (it was validated on arrival).
        const QJsonDocument beat = QJsonDocument::fromJson(d.heartbeat);
        row.insert(QStringLiteral("heartbeat"), beat.isObject() ? QJsonValue(beat.object()) : QJsonValue());
        return row;
    }

    int done(const QString &text, const QJsonObject &json)
    {
        if (m_json)
            return printJson(json);
        m_out << text << '\n';
        return kDone;
    }

    int printJson(const QJsonObject &json)
    {
        m_out << QString::fromUtf8(QJsonDocument(json).toJson(QJsonDocument::Indented));
        return kDone;
    }

    int fail(const QString &error)
    {
        m_err << "poptap-deliveryctl: " << error << '\n';
        return kFailed;
    }

    QTextStream &m_out;
    QTextStream &m_err;
    bool m_json;
    ServiceDatabase m_db;
};

} // namespace

int runOperatorCommand(const QStringList &arguments, const QProcessEnvironment &environment, QTextStream &out,
                       QTextStream &err)
{
    QCommandLineParser parser;
    const QCommandLineOption help({QStringLiteral("h"), QStringLiteral("help")}, QStringLiteral("Usage."));
    const QCommandLineOption config(QStringLiteral("config"), QStringLiteral("file"), QStringLiteral("file"));
    const QCommandLineOption database(QStringLiteral("database"), QStringLiteral("url"), QStringLiteral("url"));
    const QCommandLineOption dataDir(QStringLiteral("data-dir"), QStringLiteral("dir"), QStringLiteral("dir"));
    const QCommandLineOption json(QStringLiteral("json"), QStringLiteral("Machine-readable output."));
    const QCommandLineOption store(QStringLiteral("store"), QStringLiteral("id"), QStringLiteral("id"));
    const QCommandLineOption validHours(QStringLiteral("valid-hours"), QStringLiteral("hours"), QStringLiteral("hours"),
                                        QStringLiteral("72"));
    parser.addOptions({help, config, database, dataDir, json, store, validHours});
    if (!parser.parse(arguments))
        return usageError(err, parser.errorText());
    if (parser.isSet(help)) {
        out << kUsageText;
        return kDone;
    }
    const QStringList words = parser.positionalArguments();
    if (words.size() < 2)
        return usageError(err, QStringLiteral("which command?"));

    // The service's own loader, so file, environment and flags mean exactly what they mean there.
    QStringList serviceArguments{arguments.value(0)};
    for (const QCommandLineOption &option : {config, database, dataDir})
        if (parser.isSet(option))
            serviceArguments << QStringLiteral("--") + option.names().constFirst() << parser.value(option);
    const ServiceConfigLoad load = loadServiceConfig(serviceArguments, environment);
    if (!load.errors.isEmpty()) {
        for (const QString &error : load.errors)
            err << "poptap-deliveryctl: configuration: " << error << '\n';
        return kUsage;
    }

    const QString command = words[0] + u' ' + words[1];
    const QStringList args = words.mid(2);
    static const QStringList known{QStringLiteral("store add"),         QStringLiteral("store list"),
                                   QStringLiteral("catalog upload"),    QStringLiteral("catalog show"),
                                   QStringLiteral("enrollment create"), QStringLiteral("device list"),
                                   QStringLiteral("device show"),       QStringLiteral("device revoke")};
    if (!known.contains(command))
        return usageError(err, QStringLiteral("unknown command '%1'").arg(command));
    std::optional<std::int64_t> storeFilter;
    if (parser.isSet(store) && !(storeFilter = idArgument(parser.value(store))))
        return usageError(err, QStringLiteral("'%1' is not a store id").arg(parser.value(store)));
    bool hoursOk = false;
    const int hours = parser.value(validHours).toInt(&hoursOk);
    if (!hoursOk || hours < 1 || hours > 24 * 90)
        return usageError(err, QStringLiteral("--valid-hours must be 1 to 2160"));

    Session work(out, err, parser.isSet(json));
    if (const int opened = work.open(load.config); opened != kDone)
        return opened;
    if (command == QLatin1String("store add"))
        return work.storeAdd(args);
    if (command == QLatin1String("store list"))
        return work.storeList();
    if (command == QLatin1String("catalog upload"))
        return work.catalogUpload(args);
    if (command == QLatin1String("catalog show"))
        return work.catalogShow(args);
    if (command == QLatin1String("enrollment create"))
        return work.enrollmentCreate(args, hours);
    if (command == QLatin1String("device list"))
        return work.deviceList(storeFilter);
    if (command == QLatin1String("device show"))
        return work.deviceShow(args);
    return work.deviceRevoke(args);
}

} // namespace poptap::delivery
