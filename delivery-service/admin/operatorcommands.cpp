#include "operatorcommands.h"

#include "analytics/analytics.h"
#include "analytics/analyticsformat.h"
#include "chains.h"
#include "deviceregistry.h"
#include "kioskledger.h"
#include "messages/messagetemplate.h"
#include "serviceconfig.h"
#include "servicedatabase.h"
#include "wire/heartbeatwire.h"

#include <QCommandLineParser>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QStringDecoder>

namespace poptap::delivery {
namespace {

constexpr int kDone = 0;
constexpr int kFailed = 1;
constexpr int kUsage = 2;
constexpr int kMaxDailyCap = 1000;

const char kUsageText[] =
    "Usage: poptap-deliveryctl [--config FILE | --database URL | --data-dir DIR] [--json] COMMAND\n"
    "\n"
    "  chain add ID CODE NAME_JA NAME_EN      add a retail chain, or rename it\n"
    "  chain list                             chains, their cap, API key and stores\n"
    "  chain key CHAIN_ID                     issue the chain's API key (shown once; replaces the old one)\n"
    "  chain cap CHAIN_ID N defer|drop        messages per shopper per day (0: no cap), and what\n"
    "                                         happens to more: sent the next day, or never\n"
    "  chain template CHAIN_ID [FILE|- | --clear]\n"
    "                                         print the chain's message template; replace it with the\n"
    "                                         one in FILE (-: standard input), checked as the fan-out\n"
    "                                         reads it; or go back to the built-in one\n"
    "  store add ID CODE NAME_JA NAME_EN      add a store, or rename it\n"
    "  store chain STORE_ID CHAIN_ID          make the store one of the chain's\n"
    "  store list                             stores, their catalog ETag and active kiosks\n"
    "  catalog upload STORE_ID FILE           replace a store's catalog (checked as a kiosk would)\n"
    "  catalog show STORE_ID                  print a store's catalog as kiosks receive it\n"
    "  enrollment create STORE_ID [--valid-hours N]\n"
    "                                         a one-time code for the store's next kiosk (default 72 h)\n"
    "  device list [--store ID]               kiosks with their last heartbeat\n"
    "  device show DEVICE_ID                  one kiosk, with its last heartbeat in full\n"
    "  device revoke DEVICE_ID                refuse the kiosk's requests from now on\n"
    "  analytics CHAIN_ID --from DAY --to DAY [--group-by day,store,device,pop,brand] [--csv]\n"
    "                                         the chain's figures per local day (YYYY-MM-DD, at\n"
    "                                         most 366 days; grouped by day unless told)\n"
    "  usage CHAIN_ID [--from MONTH --to MONTH] [--csv]\n"
    "                                         LINE message recipients per month (YYYY-MM;\n"
    "                                         default the last twelve months)\n"
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
    Session(QIODevice &in, QTextStream &out, QTextStream &err, bool json)
        : m_in(in), m_out(out), m_err(err), m_json(json), m_db(QStringLiteral("poptap-deliveryctl"))
    {
    }

    int open(const ServiceConfig &config)
    {
        if (QString error = m_db.open(config.database, config.sqlitePath()); !error.isEmpty())
            return fail(QStringLiteral("cannot open the database (%1): %2").arg(m_db.describe(), error));
        // The service migrates at start too; doing it here lets set-up run before its first start.
        if (QString error = m_db.migrate(); !error.isEmpty())
            return fail(QStringLiteral("cannot migrate %1: %2").arg(m_db.describe(), error));
        m_timeZone = config.timeZone;
        return kDone;
    }

    int chainAdd(const QStringList &args)
    {
        if (args.size() != 4)
            return usage(QStringLiteral("chain add needs ID CODE NAME_JA NAME_EN"));
        const auto id = idArgument(args[0]);
        if (!id)
            return usage(QStringLiteral("'%1' is not a chain id (1 to 4294967295)").arg(args[0]));
        for (const QString &text : args.mid(1))
            if (text.trimmed().isEmpty())
                return usage(QStringLiteral("chain code and names must not be empty"));
        if (QString error = chains().add(*id, args[1].trimmed(), args[2].trimmed(), args[3].trimmed()); !error.isEmpty())
            return fail(error);
        return done(QStringLiteral("chain %1 (%2) saved").arg(*id).arg(args[2].trimmed()),
                    QJsonObject{{QStringLiteral("chainId"), qint64(*id)}});
    }

    int chainList()
    {
        const Chains registry = chains();
        QJsonArray rows;
        QList<QStringList> table{{QStringLiteral("id"), QStringLiteral("code"), QStringLiteral("cap"),
                                  QStringLiteral("policy"), QStringLiteral("api key"), QStringLiteral("stores"),
                                  QStringLiteral("name")}};
        for (const Chains::Chain &c : registry.all()) {
            QJsonArray stores;
            QStringList storeIds;
            for (std::int64_t store : registry.storesOf(c.id)) {
                stores << qint64(store);
                storeIds << QString::number(store);
            }
            rows << QJsonObject{{QStringLiteral("id"), qint64(c.id)},
                                {QStringLiteral("code"), c.code},
                                {QStringLiteral("nameJa"), c.nameJa},
                                {QStringLiteral("nameEn"), c.nameEn},
                                {QStringLiteral("dailyCap"), c.dailyCap},
                                {QStringLiteral("capPolicy"), Chains::toString(c.capPolicy)},
                                {QStringLiteral("hasApiKey"), c.hasApiKey},
                                {QStringLiteral("stores"), stores}};
            table << QStringList{QString::number(c.id), c.code, c.dailyCap > 0 ? QString::number(c.dailyCap) : QStringLiteral("none"),
                                 Chains::toString(c.capPolicy), c.hasApiKey ? QStringLiteral("issued") : QStringLiteral("none"),
                                 storeIds.isEmpty() ? QStringLiteral("-") : storeIds.join(u','),
                                 c.nameJa + QStringLiteral(" / ") + c.nameEn};
        }
        if (m_json)
            return printJson(QJsonObject{{QStringLiteral("chains"), rows}});
        printAligned(table);
        return kDone;
    }

    int chainKey(const QStringList &args)
    {
        if (args.size() != 1)
            return usage(QStringLiteral("chain key needs CHAIN_ID"));
        const auto id = idArgument(args[0]);
        if (!id)
            return usage(QStringLiteral("'%1' is not a chain id").arg(args[0]));
        QString key;
        if (QString error = chains().issueApiKey(*id, &key); !error.isEmpty())
            return fail(error);
        // Only its hash is stored: this is the one time the key can be read.
        return done(QStringLiteral("%1\n(API key of chain %2, shown only now; the chain's previous key no longer works)")
                        .arg(key).arg(*id),
                    QJsonObject{{QStringLiteral("chainId"), qint64(*id)}, {QStringLiteral("apiKey"), key}});
    }

    int chainCap(const QStringList &args)
    {
        if (args.size() != 3)
            return usage(QStringLiteral("chain cap needs CHAIN_ID N defer|drop"));
        const auto id = idArgument(args[0]);
        if (!id)
            return usage(QStringLiteral("'%1' is not a chain id").arg(args[0]));
        bool ok = false;
        const int cap = args[1].toInt(&ok);
        if (!ok || cap < 0 || cap > kMaxDailyCap)
            return usage(QStringLiteral("the cap must be 0 (no cap) to %1 messages a day").arg(kMaxDailyCap));
        const std::optional<Chains::CapPolicy> policy = Chains::capPolicyFrom(args[2]);
        if (!policy)
            return usage(QStringLiteral("'%1' is neither defer nor drop").arg(args[2]));
        if (QString error = chains().setCap(*id, cap, *policy); !error.isEmpty())
            return fail(error);
        const QString rest = *policy == Chains::CapPolicy::Drop ? QStringLiteral("dropped") : QStringLiteral("sent the next day");
        return done(cap == 0 ? QStringLiteral("chain %1: no cap").arg(*id)
                             : QStringLiteral("chain %1: at most %2 messages per shopper per day, more are %3")
                                   .arg(*id).arg(cap).arg(rest),
                    QJsonObject{{QStringLiteral("chainId"), qint64(*id)},
                                {QStringLiteral("dailyCap"), cap},
                                {QStringLiteral("capPolicy"), Chains::toString(*policy)}});
    }

    // Without FILE prints the template as it was set; a new one is checked as the fan-out will
    // read it, and a refused one leaves the chain's template as it was.
    int chainTemplate(const QStringList &args, bool clear)
    {
        if (args.isEmpty() || args.size() > 2)
            return usage(QStringLiteral("chain template needs CHAIN_ID, then FILE, - or --clear to change it"));
        const auto id = idArgument(args[0]);
        if (!id)
            return usage(QStringLiteral("'%1' is not a chain id").arg(args[0]));
        if (clear && args.size() == 2)
            return usage(QStringLiteral("chain template takes FILE or --clear, not both"));
        const std::optional<Chains::Chain> chain = chains().byId(*id);
        if (!chain)
            return fail(QStringLiteral("no chain %1").arg(*id));
        if (args.size() == 1 && !clear)
            return showTemplate(*chain);

        const QString source = args.value(1); // empty with --clear
        QString text;
        if (!source.isEmpty()) {
            const std::optional<QString> read = readTemplate(source);
            if (!read)
                return kFailed;
            text = *read;
        }
        if (QString error = chains().setMessageTemplate(*id, text); !error.isEmpty())
            return fail(source.isEmpty() ? error : QStringLiteral("%1: %2").arg(inputName(source), error));
        return done(text.isEmpty() ? QStringLiteral("chain %1: messages use the built-in template").arg(*id)
                                   : QStringLiteral("chain %1: messages use the template from %2")
                                         .arg(*id).arg(inputName(source)),
                    QJsonObject{{QStringLiteral("chainId"), qint64(*id)}, {QStringLiteral("template"), templateJson(text)}});
    }

    int storeChain(const QStringList &args)
    {
        if (args.size() != 2)
            return usage(QStringLiteral("store chain needs STORE_ID CHAIN_ID"));
        const auto store = idArgument(args[0]);
        const auto chain = idArgument(args[1]);
        if (!store)
            return usage(QStringLiteral("'%1' is not a store id").arg(args[0]));
        if (!chain)
            return usage(QStringLiteral("'%1' is not a chain id").arg(args[1]));
        if (QString error = chains().assignStore(*store, *chain); !error.isEmpty())
            return fail(error);
        return done(QStringLiteral("store %1 belongs to chain %2").arg(*store).arg(*chain),
                    QJsonObject{{QStringLiteral("storeId"), qint64(*store)}, {QStringLiteral("chainId"), qint64(*chain)}});
    }

    int analytics(const QStringList &args, const QString &from, const QString &to, const QString &groupBy, bool csv)
    {
        if (args.size() != 1)
            return usage(QStringLiteral("analytics needs CHAIN_ID"));
        const auto id = idArgument(args[0]);
        if (!id)
            return usage(QStringLiteral("'%1' is not a chain id").arg(args[0]));
        const std::optional<QDate> fromDay = parseDay(from);
        const std::optional<QDate> toDay = parseDay(to);
        if (!fromDay || !toDay)
            return usage(QStringLiteral("analytics needs --from and --to, days as YYYY-MM-DD"));
        QString problem;
        const auto dimensions = parseDimensions(groupBy, &problem);
        if (!dimensions)
            return usage(problem);
        const auto outcome = analyticsOf().report(*id, *fromDay, *toDay, *dimensions);
        if (!outcome.value)
            return outcome.problem == Analytics::Problem::BadRange ? usage(outcome.message) : fail(outcome.message);
        const QList<QStringList> table = toTable(*outcome.value);
        // The totals under the rows: each event once, as the API's "totals".
        QStringList totals(table.first().size() - kAnalyticsFigureCount);
        if (!totals.isEmpty())
            totals.first() = QStringLiteral("total");
        for (qint64 figure : outcome.value->totals)
            totals << QString::number(figure);
        return printReport(toJson(*outcome.value), table, totals, csv);
    }

    int usageReport(const QStringList &args, const QString &from, const QString &to, bool csv)
    {
        if (args.size() != 1)
            return usage(QStringLiteral("usage needs CHAIN_ID"));
        const auto id = idArgument(args[0]);
        if (!id)
            return usage(QStringLiteral("'%1' is not a chain id").arg(args[0]));
        Analytics analytics = analyticsOf();
        auto [fromMonth, toMonth] = analytics.lastTwelveMonths();
        if (!from.isEmpty() || !to.isEmpty()) {
            const std::optional<QDate> first = parseMonth(from);
            const std::optional<QDate> last = parseMonth(to);
            if (!first || !last)
                return usage(QStringLiteral("usage takes --from and --to together, months as YYYY-MM"));
            fromMonth = *first;
            toMonth = *last;
        }
        const auto outcome = analytics.usage(*id, fromMonth, toMonth);
        if (!outcome.value)
            return outcome.problem == Analytics::Problem::BadRange ? usage(outcome.message) : fail(outcome.message);
        return printReport(toJson(*outcome.value), toTable(*outcome.value),
                           {QStringLiteral("total"), QString::number(outcome.value->total)}, csv);
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

    static QString inputName(const QString &source)
    {
        return source == QLatin1String("-") ? QStringLiteral("standard input") : source;
    }

    // The template as stored: an object, null for the built-in one, or the text itself when
    // it is not JSON (only a template written into the database by hand can be).
    static QJsonValue templateJson(const QString &text)
    {
        if (text.isEmpty())
            return QJsonValue::Null;
        const QJsonDocument document = QJsonDocument::fromJson(text.toUtf8());
        return document.isObject() ? QJsonValue(document.object()) : QJsonValue(text);
    }

    int showTemplate(const Chains::Chain &chain)
    {
        if (m_json)
            return printJson(QJsonObject{{QStringLiteral("chainId"), qint64(chain.id)},
                                         {QStringLiteral("template"), templateJson(chain.messageTemplate)}});
        if (chain.messageTemplate.isEmpty()) {
            m_out << QStringLiteral("chain %1 uses the built-in message template\n").arg(chain.id);
            return kDone;
        }
        // As it was set, so it can be saved, edited and set again.
        m_out << chain.messageTemplate;
        if (!chain.messageTemplate.endsWith(u'\n'))
            m_out << '\n';
        return kDone;
    }

    // A template file's text, or nullopt with the reason on `err`. An empty one is refused
    // rather than taken as "built in": that is what --clear says.
    std::optional<QString> readTemplate(const QString &source)
    {
        QFile file(source);
        QIODevice *input = &m_in;
        if (source != QLatin1String("-")) {
            if (!file.open(QIODevice::ReadOnly))
                return failed(QStringLiteral("cannot read %1: %2").arg(source, file.errorString()));
            input = &file;
        }
        // One byte over the limit is enough to refuse it; a pipe is not read without end.
        const QByteArray bytes = input->read(MessageTemplate::kMaxJsonBytes + 1);
        if (bytes.size() > MessageTemplate::kMaxJsonBytes)
            return failed(QStringLiteral("%1: a message template has at most %2 bytes")
                              .arg(inputName(source)).arg(MessageTemplate::kMaxJsonBytes));
        QStringDecoder utf8(QStringDecoder::Utf8);
        const QString text = utf8(bytes);
        if (utf8.hasError())
            return failed(QStringLiteral("%1: not UTF-8 text").arg(inputName(source)));
        if (text.trimmed().isEmpty())
            return failed(QStringLiteral("%1 is empty; 'chain template CHAIN_ID --clear' goes back to the built-in template")
                              .arg(inputName(source)));
        return text;
    }

    std::optional<QString> failed(const QString &error)
    {
        fail(error);
        return std::nullopt;
    }

    DeviceRegistry registry() { return DeviceRegistry(m_db); }
    Chains chains() { return Chains(m_db); }
    Analytics analyticsOf()
    {
        return Analytics(m_db, m_timeZone, [] { return QDateTime::currentMSecsSinceEpoch(); });
    }

    // JSON with --json, CSV (as the API gives it) with --csv, else a table with `footer` under it.
    int printReport(const QJsonObject &json, const QList<QStringList> &table, const QStringList &footer, bool csv)
    {
        if (m_json)
            return printJson(json);
        if (csv) {
            // Byte for byte what the API sends, with its byte order mark (which fromUtf8 drops).
            m_out << QChar(0xfeff) << QString::fromUtf8(toCsv(table));
            return kDone;
        }
        printAligned(footer.isEmpty() ? table : table + QList<QStringList>{footer});
        return kDone;
    }

    void printAligned(const QList<QStringList> &table)
    {
        QList<qsizetype> widths;
        for (const QStringList &line : table) {
            if (widths.size() < line.size())
                widths.resize(line.size());
            for (qsizetype i = 0; i < line.size(); ++i)
                widths[i] = std::max(widths[i], line[i].size());
        }
        for (const QStringList &line : table) {
            QStringList cells;
            for (qsizetype i = 0; i < line.size(); ++i)
                cells << (i + 1 < line.size() ? line[i].leftJustified(widths[i]) : line[i]);
            m_out << cells.join(QStringLiteral("  ")) << '\n';
        }
    }

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

    QIODevice &m_in;
    QTextStream &m_out;
    QTextStream &m_err;
    bool m_json;
    ServiceDatabase m_db;
    QString m_timeZone;
};

} // namespace

int runOperatorCommand(const QStringList &arguments, const QProcessEnvironment &environment, QIODevice &in,
                       QTextStream &out, QTextStream &err)
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
    const QCommandLineOption from(QStringLiteral("from"), QStringLiteral("day or month"), QStringLiteral("from"));
    const QCommandLineOption to(QStringLiteral("to"), QStringLiteral("day or month"), QStringLiteral("to"));
    const QCommandLineOption groupBy(QStringLiteral("group-by"), QStringLiteral("dimensions"), QStringLiteral("list"),
                                     QStringLiteral("day"));
    const QCommandLineOption csv(QStringLiteral("csv"), QStringLiteral("CSV output."));
    const QCommandLineOption clear(QStringLiteral("clear"), QStringLiteral("Back to the built-in template."));
    parser.addOptions({help, config, database, dataDir, json, store, validHours, from, to, groupBy, csv, clear});
    if (!parser.parse(arguments))
        return usageError(err, parser.errorText());
    if (parser.isSet(help)) {
        out << kUsageText;
        return kDone;
    }
    // "store add ..." names a command in two words; "analytics ..." and "usage ..." in one.
    const QStringList words = parser.positionalArguments();
    static const QStringList oneWord{QStringLiteral("analytics"), QStringLiteral("usage")};
    const qsizetype commandWords = oneWord.contains(words.value(0)) ? 1 : 2;
    if (words.size() < commandWords)
        return usageError(err, QStringLiteral("which command?"));
    const QString command = words.mid(0, commandWords).join(u' ');
    const QStringList args = words.mid(commandWords);

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

    std::optional<std::int64_t> storeFilter;
    if (parser.isSet(store) && !(storeFilter = idArgument(parser.value(store))))
        return usageError(err, QStringLiteral("'%1' is not a store id").arg(parser.value(store)));
    bool hoursOk = false;
    const int hours = parser.value(validHours).toInt(&hoursOk);
    if (!hoursOk || hours < 1 || hours > 24 * 90)
        return usageError(err, QStringLiteral("--valid-hours must be 1 to 2160"));

    Session work(in, out, err, parser.isSet(json));
    const QHash<QString, std::function<int()>> commands{
        {QStringLiteral("chain add"), [&] { return work.chainAdd(args); }},
        {QStringLiteral("chain list"), [&] { return work.chainList(); }},
        {QStringLiteral("chain key"), [&] { return work.chainKey(args); }},
        {QStringLiteral("chain cap"), [&] { return work.chainCap(args); }},
        {QStringLiteral("chain template"), [&] { return work.chainTemplate(args, parser.isSet(clear)); }},
        {QStringLiteral("store add"), [&] { return work.storeAdd(args); }},
        {QStringLiteral("store chain"), [&] { return work.storeChain(args); }},
        {QStringLiteral("store list"), [&] { return work.storeList(); }},
        {QStringLiteral("catalog upload"), [&] { return work.catalogUpload(args); }},
        {QStringLiteral("catalog show"), [&] { return work.catalogShow(args); }},
        {QStringLiteral("enrollment create"), [&] { return work.enrollmentCreate(args, hours); }},
        {QStringLiteral("device list"), [&] { return work.deviceList(storeFilter); }},
        {QStringLiteral("device show"), [&] { return work.deviceShow(args); }},
        {QStringLiteral("device revoke"), [&] { return work.deviceRevoke(args); }},
        {QStringLiteral("analytics"),
         [&] { return work.analytics(args, parser.value(from), parser.value(to), parser.value(groupBy), parser.isSet(csv)); }},
        {QStringLiteral("usage"), [&] { return work.usageReport(args, parser.value(from), parser.value(to), parser.isSet(csv)); }},
    };
    const auto run = commands.constFind(command);
    if (run == commands.cend())
        return usageError(err, QStringLiteral("unknown command '%1'").arg(command));
    if (const int opened = work.open(load.config); opened != kDone)
        return opened;
    return (*run)();
}

} // namespace poptap::delivery
