// poptap-deliveryctl, run in process on the service's real database (SQLite, or PostgreSQL
// when POPTAP_TEST_DATABASE is set): an operator sets up a store, its catalog and a kiosk,
// watches it and revokes it; sets up a chain with its stores, API key, cap and message
// template; reads a chain's analytics and message usage; and every mistake gets a clear
// message and changes nothing.
#include "chains.h"
#include "deviceregistry.h"
#include "kioskledger.h"
#include "messages/chaintemplates.h"
#include "messages/eventmessagebuilder.h"
#include "operatorcommands.h"
#include "servicedatabase.h"
#include "servicetesting.h"
#include "wire/heartbeatwire.h"

#include <QBuffer>
#include <QJsonArray>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

using namespace poptap;
using namespace poptap::delivery;

namespace {

struct Run {
    int exitCode = -1;
    QString out;
    QString err;
    QJsonObject json() const { return QJsonDocument::fromJson(out.toUtf8()).object(); }
};

const QString kDemoCatalog = QStringLiteral(POPTAP_SOURCE_DIR "/resources/catalog/demo-catalog.json");

// A chain's own wording: English, its colour, and a restock notification of its own.
const QByteArray kEnglishTemplate = R"({
  "language": "en",
  "accentColor": "#ff6600",
  "texts": {"restock.altText": {"en": "{product} ({colour} / {size}) is back at {store}"}}
}
)";

// The navy M of the demo catalog's Oxford shirt, back at store 101.
ProductEvent restockAtTheDemoStore()
{
    ProductEvent e;
    e.merchantEventId = QStringLiteral("restock-1");
    e.kind = ProductEvent::Kind::Restock;
    e.target = 100102;
    e.storeId = 101;
    e.productNameJa = QStringLiteral("オックスフォードシャツ");
    e.productNameEn = QStringLiteral("Oxford Shirt");
    e.imageUrl = QUrl(QStringLiteral("https://cdn.example.jp/1001.jpg"));
    e.priceYen = 12100;
    e.productUrl = QUrl(QStringLiteral("https://shop.example.jp/products/1001"));
    return e;
}

} // namespace

class OperatorCommandsTest : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    QString m_database = servicetesting::testDatabase();

    // `input` is what "-" reads.
    Run ctl(QStringList words, QByteArray input = {})
    {
        QStringList arguments{QStringLiteral("poptap-deliveryctl")};
        if (m_database.isEmpty())
            arguments << QStringLiteral("--data-dir") << m_dir.path();
        else
            arguments << QStringLiteral("--database") << m_database;
        arguments << words;
        Run run;
        QTextStream out(&run.out);
        QTextStream err(&run.err);
        // No configuration file of the machine's may leak in.
        QProcessEnvironment environment;
        environment.insert(QStringLiteral("POPTAP_DELIVERY_CONFIG"), m_dir.filePath(QStringLiteral("delivery.conf")));
        QBuffer in(&input);
        in.open(QIODevice::ReadOnly);
        run.exitCode = runOperatorCommand(arguments, environment, in, out, err);
        out.flush();
        err.flush();
        return run;
    }

    // A second connection, as the running service would have.
    std::unique_ptr<ServiceDatabase> openDatabase()
    {
        auto db = std::make_unique<ServiceDatabase>(QStringLiteral("observer"));
        const QString error = db->open(m_database, m_dir.filePath(QStringLiteral("delivery.db")));
        return error.isEmpty() ? std::move(db) : nullptr;
    }

    void addDemoStore()
    {
        const Run added = ctl({QStringLiteral("store"), QStringLiteral("add"), QStringLiteral("101"),
                               QStringLiteral("jingumae"), QStringLiteral("ソラマド 神宮前店"),
                               QStringLiteral("Soramado Jingumae")});
        QCOMPARE(added.exitCode, 0);
    }

    // Store 101 with the demo catalog, in chain 1.
    void addDemoChain()
    {
        addDemoStore();
        QCOMPARE(ctl({QStringLiteral("catalog"), QStringLiteral("upload"), QStringLiteral("101"), kDemoCatalog}).exitCode, 0);
        QCOMPARE(ctl({QStringLiteral("chain"), QStringLiteral("add"), QStringLiteral("1"), QStringLiteral("soramado"),
                      QStringLiteral("ソラマド"), QStringLiteral("Soramado")})
                     .exitCode,
                 0);
        QCOMPARE(ctl({QStringLiteral("store"), QStringLiteral("chain"), QStringLiteral("101"), QStringLiteral("1")}).exitCode, 0);
    }

    QString writeFile(const QString &name, const QByteArray &content)
    {
        QFile file(m_dir.filePath(name));
        if (!file.open(QIODevice::WriteOnly) || file.write(content) != content.size())
            return {};
        return file.fileName();
    }

    // The notification of a restock at store 101 as the fan-out words it for chain 1 now.
    QString restockNotification(ServiceDatabase &db)
    {
        QString error;
        const QJsonArray messages = EventMessageBuilder(db, QStringLiteral("https://poptap.example.jp"))
                                        .build(QStringLiteral("event-1"), *Chains(db).byId(1), restockAtTheDemoStore(), &error);
        return messages.isEmpty() ? error : messages.first().toObject().value(QLatin1String("altText")).toString();
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        QFile conf(m_dir.filePath(QStringLiteral("delivery.conf")));
        QVERIFY(conf.open(QIODevice::WriteOnly));
        conf.write("[delivery]\n");
    }

    void init()
    {
        QCOMPARE(servicetesting::resetDatabase(m_database, m_dir.filePath(QStringLiteral("delivery.db"))), QString());
    }

    void aStoreGetsItsCatalogAndAKiosk()
    {
        addDemoStore();
        const Run uploaded = ctl({QStringLiteral("--json"), QStringLiteral("catalog"), QStringLiteral("upload"),
                                  QStringLiteral("101"), kDemoCatalog});
        QCOMPARE(uploaded.exitCode, 0);
        const QString etag = uploaded.json().value(QLatin1String("etag")).toString();
        QVERIFY(etag.startsWith(u'"'));

        const Run listed = ctl({QStringLiteral("--json"), QStringLiteral("store"), QStringLiteral("list")});
        QCOMPARE(listed.exitCode, 0);
        const QJsonArray stores = listed.json().value(QLatin1String("stores")).toArray();
        QCOMPARE(stores.size(), 1);
        QCOMPARE(stores[0][QLatin1String("nameJa")].toString(), QStringLiteral("ソラマド 神宮前店"));
        QCOMPARE(stores[0][QLatin1String("catalogETag")].toString(), etag);

        // What kiosks will download is byte for byte the file uploaded.
        const Run shown = ctl({QStringLiteral("catalog"), QStringLiteral("show"), QStringLiteral("101")});
        QFile file(kDemoCatalog);
        QVERIFY(file.open(QIODevice::ReadOnly));
        QCOMPARE(shown.out.toUtf8(), file.readAll());

        // The printed code enrolls a kiosk exactly once.
        const Run created = ctl({QStringLiteral("--json"), QStringLiteral("enrollment"), QStringLiteral("create"),
                                 QStringLiteral("101"), QStringLiteral("--valid-hours"), QStringLiteral("2")});
        QCOMPARE(created.exitCode, 0);
        const QString code = created.json().value(QLatin1String("code")).toString();
        QCOMPARE(code.size(), 19);
        auto db = openDatabase();
        QVERIFY(db);
        KioskLedger ledger(*db, [] { return QDateTime::currentDateTimeUtc(); });
        const wire::DeviceKey localKey{77, QByteArray(32, 'k')};
        const auto enrolled = ledger.enroll({code, localKey, QStringLiteral("entrance"), QStringLiteral("0.1.0")});
        QVERIFY(enrolled.response);
        const QString deviceId = enrolled.response->deviceId;
        QVERIFY2(deviceId.front().isLetter(), qPrintable(deviceId)); // never read as an option below
        const auto again = ledger.enroll({code, {78, QByteArray(32, 'j')}, QStringLiteral("other"), QStringLiteral("0.1.0")});
        QVERIFY(again.error);

        // Seen by the operator: enrolled, not yet heard from, then with its heartbeat.
        Run devices = ctl({QStringLiteral("--json"), QStringLiteral("device"), QStringLiteral("list")});
        QCOMPARE(devices.exitCode, 0);
        QJsonArray rows = devices.json().value(QLatin1String("devices")).toArray();
        QCOMPARE(rows.size(), 1);
        QCOMPARE(rows[0][QLatin1String("id")].toString(), deviceId);
        QVERIFY(rows[0][QLatin1String("lastSeen")].isNull());

        wire::Heartbeat beat;
        beat.version = QStringLiteral("0.1.0");
        beat.queueDepth = 12;
        beat.oldestPendingSeconds = 340;
        beat.reader = {wire::ComponentStatus::Absent, QStringLiteral("reader unplugged")};
        QCOMPARE(ledger.recordHeartbeat(deviceId, beat.toJson()), QString());
        const Run table = ctl({QStringLiteral("device"), QStringLiteral("list"), QStringLiteral("--store"), QStringLiteral("101")});
        QCOMPARE(table.exitCode, 0);
        const QStringList lines = table.out.split(u'\n', Qt::SkipEmptyParts);
        QCOMPARE(lines.size(), 2);
        QVERIFY2(lines[1].startsWith(deviceId) && lines[1].contains(QLatin1String("active")) && lines[1].contains(QLatin1String(" 12 "))
                     && lines[1].contains(QLatin1String("340s")) && lines[1].endsWith(QLatin1String("absent")),
                 qPrintable(table.out));
        const Run shownDevice = ctl({QStringLiteral("device"), QStringLiteral("show"), deviceId});
        QCOMPARE(shownDevice.exitCode, 0);
        const QJsonObject heartbeat = shownDevice.json().value(QLatin1String("heartbeat")).toObject();
        QCOMPARE(heartbeat.value(QLatin1String("queueDepth")).toInt(), 12);
        QCOMPARE(heartbeat.value(QLatin1String("reader")).toObject().value(QLatin1String("reason")).toString(),
                 QStringLiteral("reader unplugged"));
        QVERIFY(!shownDevice.json().value(QLatin1String("lastSeen")).isNull());
        const Run otherStore = ctl({QStringLiteral("--json"), QStringLiteral("device"), QStringLiteral("list"),
                                    QStringLiteral("--store"), QStringLiteral("102")});
        QCOMPARE(otherStore.json().value(QLatin1String("devices")).toArray().size(), 0);

        // Revoked: refused at once by the running service's ledger, and shown as such.
        QCOMPARE(ctl({QStringLiteral("device"), QStringLiteral("revoke"), deviceId}).exitCode, 0);
        QVERIFY(ledger.device(deviceId)->revoked);
        QCOMPARE(ctl({QStringLiteral("device"), QStringLiteral("revoke"), deviceId}).exitCode, 0); // again: no-op
        devices = ctl({QStringLiteral("--json"), QStringLiteral("device"), QStringLiteral("list")});
        rows = devices.json().value(QLatin1String("devices")).toArray();
        QVERIFY(!rows[0][QLatin1String("revokedAt")].isNull());
    }

    void aChainGetsItsStoresAKeyAndACap()
    {
        addDemoStore();
        QCOMPARE(ctl({QStringLiteral("chain"), QStringLiteral("add"), QStringLiteral("1"), QStringLiteral("soramado"),
                      QStringLiteral("ソラマド"), QStringLiteral("Soramado")})
                     .exitCode,
                 0);
        QCOMPARE(ctl({QStringLiteral("store"), QStringLiteral("chain"), QStringLiteral("101"), QStringLiteral("1")}).exitCode, 0);
        Run listed = ctl({QStringLiteral("--json"), QStringLiteral("chain"), QStringLiteral("list")});
        QCOMPARE(listed.exitCode, 0);
        QJsonObject chain = listed.json().value(QLatin1String("chains")).toArray().first().toObject();
        QCOMPARE(chain.value(QLatin1String("nameJa")).toString(), QStringLiteral("ソラマド"));
        QCOMPARE(chain.value(QLatin1String("stores")).toArray(), QJsonArray{101});
        QCOMPARE(chain.value(QLatin1String("dailyCap")).toInt(), 3); // the default
        QCOMPARE(chain.value(QLatin1String("hasApiKey")).toBool(), false);

        // The key is printed once; a new one replaces it at once.
        const Run issued = ctl({QStringLiteral("--json"), QStringLiteral("chain"), QStringLiteral("key"), QStringLiteral("1")});
        QCOMPARE(issued.exitCode, 0);
        const QString key = issued.json().value(QLatin1String("apiKey")).toString();
        QVERIFY(key.startsWith(QLatin1String("ptk_")));
        auto db = openDatabase();
        QVERIFY(db);
        QCOMPARE(Chains(*db).byApiKey(key)->id, 1);
        const Run reissued = ctl({QStringLiteral("chain"), QStringLiteral("key"), QStringLiteral("1")});
        QVERIFY2(reissued.out.contains(QLatin1String("shown only now")), qPrintable(reissued.out));
        QVERIFY(!Chains(*db).byApiKey(key));
        QCOMPARE(Chains(*db).byApiKey(reissued.out.section(u'\n', 0, 0))->id, 1);

        const Run capped = ctl({QStringLiteral("chain"), QStringLiteral("cap"), QStringLiteral("1"), QStringLiteral("5"),
                                QStringLiteral("drop")});
        QCOMPARE(capped.exitCode, 0);
        QVERIFY2(capped.out.contains(QLatin1String("at most 5 messages per shopper per day, more are dropped")),
                 qPrintable(capped.out));
        const Run table = ctl({QStringLiteral("chain"), QStringLiteral("list")});
        const QStringList lines = table.out.split(u'\n', Qt::SkipEmptyParts);
        QCOMPARE(lines.size(), 2);
        QVERIFY2(lines[1].contains(QRegularExpression(QStringLiteral("^1 +soramado +5 +drop +issued +101 +ソラマド / Soramado$"))),
                 qPrintable(table.out));
    }

    void aChainsMessageTemplateIsSetShownAndCleared()
    {
        addDemoChain();
        auto db = openDatabase();
        QVERIFY(db);
        const QString builtIn = QStringLiteral("クモ テーラーズ オックスフォードシャツ（ネイビー / M）がソラマド 神宮前店に再入荷しました ¥12,100");
        QCOMPARE(restockNotification(*db), builtIn);
        Run shown = ctl({QStringLiteral("chain"), QStringLiteral("template"), QStringLiteral("1")});
        QCOMPARE(shown.exitCode, 0);
        QCOMPARE(shown.out, QStringLiteral("chain 1 uses the built-in message template\n"));
        shown = ctl({QStringLiteral("--json"), QStringLiteral("chain"), QStringLiteral("template"), QStringLiteral("1")});
        QVERIFY(shown.json().value(QLatin1String("template")).isNull());

        // Set from a file: the running service's next message is worded by it.
        const QString file = writeFile(QStringLiteral("english.json"), kEnglishTemplate);
        QVERIFY(!file.isEmpty());
        const Run set = ctl({QStringLiteral("chain"), QStringLiteral("template"), QStringLiteral("1"), file});
        QCOMPARE(set.exitCode, 0);
        QCOMPARE(set.out, QStringLiteral("chain 1: messages use the template from %1\n").arg(file));
        QCOMPARE(Chains(*db).byId(1)->messageTemplate, QString::fromUtf8(kEnglishTemplate));
        QCOMPARE(restockNotification(*db), QStringLiteral("Oxford Shirt (Navy / M) is back at Soramado Jingumae"));
        const MessageTemplate wording = ChainTemplates(*db).ofStore(101);
        QCOMPARE(wording.accentColor(), QStringLiteral("#FF6600"));
        QCOMPARE(wording.language(MessageTemplate::Family::Reply), Language::English); // confirmations too

        // Shown as it was set, so it can be saved, edited and set again.
        shown = ctl({QStringLiteral("chain"), QStringLiteral("template"), QStringLiteral("1")});
        QCOMPARE(shown.exitCode, 0);
        QCOMPARE(shown.out.toUtf8(), kEnglishTemplate);
        shown = ctl({QStringLiteral("--json"), QStringLiteral("chain"), QStringLiteral("template"), QStringLiteral("1")});
        QCOMPARE(shown.json().value(QLatin1String("template")).toObject(), QJsonDocument::fromJson(kEnglishTemplate).object());

        // From standard input, replacing the whole template: the English text goes with it.
        const Run piped = ctl({QStringLiteral("--json"), QStringLiteral("chain"), QStringLiteral("template"), QStringLiteral("1"),
                               QStringLiteral("-")},
                              R"({"texts": {"restock.altText": {"ja": "{store}に{product}（{size}）が戻りました"}}})");
        QCOMPARE(piped.exitCode, 0);
        QCOMPARE(piped.json().value(QLatin1String("chainId")).toInt(), 1);
        QVERIFY(piped.json().value(QLatin1String("template")).isObject());
        QCOMPARE(restockNotification(*db), QStringLiteral("ソラマド 神宮前店にオックスフォードシャツ（M）が戻りました"));
        QCOMPARE(ChainTemplates(*db).ofStore(101).accentColor(), MessageTemplate::kDefaultAccentColor);

        // --clear: the built-in wording again, and clearing twice is no mistake.
        for (int i = 0; i < 2; ++i) {
            const Run cleared =
                ctl({QStringLiteral("chain"), QStringLiteral("template"), QStringLiteral("1"), QStringLiteral("--clear")});
            QCOMPARE(cleared.exitCode, 0);
            QCOMPARE(cleared.out, QStringLiteral("chain 1: messages use the built-in template\n"));
        }
        QVERIFY(Chains(*db).byId(1)->messageTemplate.isEmpty());
        QVERIFY(ChainTemplates(*db).ofStore(101).isBuiltIn());
        QCOMPARE(restockNotification(*db), builtIn);
        QCOMPARE(ctl({QStringLiteral("chain"), QStringLiteral("template"), QStringLiteral("1")}).out,
                 QStringLiteral("chain 1 uses the built-in message template\n"));
        QVERIFY(ctl({QStringLiteral("--help")}).out.contains(QLatin1String("chain template CHAIN_ID [FILE|- | --clear]")));
    }

    void aRefusedTemplateChangesNothing_data()
    {
        QTest::addColumn<QStringList>("words");
        QTest::addColumn<QByteArray>("input");
        QTest::addColumn<int>("exitCode");
        QTest::addColumn<QString>("message");
        const QString missing = m_dir.filePath(QStringLiteral("missing.json"));
        const QString broken = m_dir.filePath(QStringLiteral("broken.json"));
        const QString typo = m_dir.filePath(QStringLiteral("typo.json"));
        const QString empty = m_dir.filePath(QStringLiteral("empty.json"));
        const QString good = m_dir.filePath(QStringLiteral("english.json"));
        const QStringList chain1{QStringLiteral("chain"), QStringLiteral("template"), QStringLiteral("1")};
        const QStringList chain9{QStringLiteral("chain"), QStringLiteral("template"), QStringLiteral("9")};
        const QString stdinName = QStringLiteral("-");

        QTest::newRow("file missing") << chain1 + QStringList{missing} << QByteArray() << 1
                                      << QStringLiteral("cannot read %1: ").arg(missing);
        QTest::newRow("a directory") << chain1 + QStringList{m_dir.path()} << QByteArray() << 1
                                     << QStringLiteral("cannot read %1").arg(m_dir.path());
        QTest::newRow("not JSON") << chain1 + QStringList{broken} << QByteArray() << 1
                                  << QStringLiteral("%1: the message template is not valid: not JSON: ").arg(broken);
        QTest::newRow("placeholder misspelt")
            << chain1 + QStringList{typo} << QByteArray() << 1
            << QStringLiteral("%1: the message template is not valid: texts.restock.title.en: unknown placeholder {colr}; "
                              "this text may use {brand}, {product}, {price}, {store}, {colour}, {size}")
                   .arg(typo);
        QTest::newRow("empty file") << chain1 + QStringList{empty} << QByteArray() << 1
                                    << QStringLiteral("%1 is empty; 'chain template CHAIN_ID --clear' goes back").arg(empty);
        QTest::newRow("accent colour by name") << chain1 + QStringList{stdinName} << QByteArray(R"({"accentColor": "orange"})") << 1
                                               << QStringLiteral("standard input: the message template is not valid: accentColor: "
                                                                 "must be a colour written #RRGGBB");
        QTest::newRow("unknown text key")
            << chain1 + QStringList{stdinName} << QByteArray(R"({"texts": {"restock.titel": {"ja": "x"}}})") << 1
            << QStringLiteral("the message template is not valid: texts.restock.titel: not a text key; the keys are newArrival.title");
        QTest::newRow("unknown field") << chain1 + QStringList{stdinName} << QByteArray(R"({"langauge": "en"})") << 1
                                       << QStringLiteral("langauge: not a template field (language, accentColor, texts)");
        QTest::newRow("nothing on standard input") << chain1 + QStringList{stdinName} << QByteArray(" \n") << 1
                                                   << QStringLiteral("standard input is empty");
        QTest::newRow("not UTF-8") << chain1 + QStringList{stdinName} << QByteArray("{\"texts\": {\"product.button\": {\"ja\": \"\xff\"}}}")
                                   << 1 << QStringLiteral("standard input: not UTF-8 text");
        QTest::newRow("too large") << chain1 + QStringList{stdinName}
                                   << QByteArray("{\"language\": \"en\"}") + QByteArray(MessageTemplate::kMaxJsonBytes, ' ') << 1
                                   << QStringLiteral("standard input: a message template has at most 262144 bytes");
        QTest::newRow("set for an unknown chain") << chain9 + QStringList{good} << QByteArray() << 1 << QStringLiteral("no chain 9");
        QTest::newRow("show an unknown chain") << chain9 << QByteArray() << 1 << QStringLiteral("no chain 9");
        QTest::newRow("clear an unknown chain") << chain9 + QStringList{QStringLiteral("--clear")} << QByteArray() << 1
                                                << QStringLiteral("no chain 9");
        QTest::newRow("file and clear") << chain1 + QStringList{good, QStringLiteral("--clear")} << QByteArray() << 2
                                        << QStringLiteral("chain template takes FILE or --clear, not both");
        QTest::newRow("no chain id") << QStringList{QStringLiteral("chain"), QStringLiteral("template")} << QByteArray() << 2
                                     << QStringLiteral("chain template needs CHAIN_ID");
        QTest::newRow("two files") << chain1 + QStringList{good, good} << QByteArray() << 2
                                   << QStringLiteral("chain template needs CHAIN_ID");
        QTest::newRow("chain id not a number")
            << QStringList{QStringLiteral("chain"), QStringLiteral("template"), QStringLiteral("soramado"), good} << QByteArray() << 2
            << QStringLiteral("'soramado' is not a chain id");
    }

    // Chain 1 keeps the template it had; the one-line reason names the file and the field.
    void aRefusedTemplateChangesNothing()
    {
        QFETCH(QStringList, words);
        QFETCH(QByteArray, input);
        QFETCH(int, exitCode);
        QFETCH(QString, message);
        QVERIFY(!writeFile(QStringLiteral("broken.json"), R"({"language": "en",})").isEmpty());
        QVERIFY(!writeFile(QStringLiteral("typo.json"), R"({"texts": {"restock.title": {"en": "{colour} {colr}"}}})").isEmpty());
        QVERIFY(!writeFile(QStringLiteral("empty.json"), "\n").isEmpty());
        const QString good = writeFile(QStringLiteral("english.json"), kEnglishTemplate);
        addDemoChain();
        QCOMPARE(ctl({QStringLiteral("chain"), QStringLiteral("template"), QStringLiteral("1"), good}).exitCode, 0);
        auto db = openDatabase();
        QVERIFY(db);
        const QString before = restockNotification(*db);

        const Run run = ctl(words, input);
        QCOMPARE(run.exitCode, exitCode);
        QVERIFY2(run.err.startsWith(QStringLiteral("poptap-deliveryctl: ")) && run.err.contains(message), qPrintable(run.err));
        if (exitCode == 1)
            QVERIFY2(run.err.count(u'\n') == 1, qPrintable(run.err));
        QVERIFY(run.out.isEmpty());
        QCOMPARE(Chains(*db).byId(1)->messageTemplate, QString::fromUtf8(kEnglishTemplate));
        QCOMPARE(restockNotification(*db), before);
        QVERIFY(!Chains(*db).byId(9));
    }

    void analyticsAndUsageFromTheCommandLine()
    {
        addDemoStore();
        QCOMPARE(ctl({QStringLiteral("chain"), QStringLiteral("add"), QStringLiteral("1"), QStringLiteral("soramado"),
                      QStringLiteral("ソラマド"), QStringLiteral("Soramado")})
                     .exitCode,
                 0);
        QCOMPARE(ctl({QStringLiteral("store"), QStringLiteral("chain"), QStringLiteral("101"), QStringLiteral("1")}).exitCode, 0);
        // What the fan-out records: clicks on a message's link, and the recipients LINE billed.
        auto db = openDatabase();
        QVERIFY(db);
        QSqlQuery q(db->handle());
        QVERIFY(q.exec(QStringLiteral("INSERT INTO tracked_link (id, chain_id, store_id, brand_id, target_url, created_at)"
                                      " VALUES ('L1', 1, 101, 1, 'https://shop.example/p', 0)")));
        QVERIFY(q.exec(QStringLiteral("INSERT INTO link_click (link_id, day, clicks) VALUES ('L1', '2026-03-10', 3)")));
        QVERIFY(q.exec(QStringLiteral("INSERT INTO message_usage (chain_id, month, recipients) VALUES (1, '2026-02', 40), (1, '2026-03', 2)")));

        const QStringList range{QStringLiteral("--from"), QStringLiteral("2026-03-10"), QStringLiteral("--to"), QStringLiteral("2026-03-11")};
        const Run json = ctl(QStringList{QStringLiteral("--json"), QStringLiteral("analytics"), QStringLiteral("1"),
                                         QStringLiteral("--group-by"), QStringLiteral("store,day")} + range);
        QCOMPARE(json.exitCode, 0);
        const QJsonArray rows = json.json().value(QLatin1String("rows")).toArray();
        QCOMPARE(rows.size(), 1);
        QCOMPARE(rows[0][QLatin1String("store")][QLatin1String("nameJa")].toString(), QStringLiteral("ソラマド 神宮前店"));
        QCOMPARE(rows[0][QLatin1String("clicks")].toInt(), 3);

        const Run csv = ctl(QStringList{QStringLiteral("analytics"), QStringLiteral("1"), QStringLiteral("--csv"),
                                        QStringLiteral("--group-by"), QStringLiteral("store,day")} + range);
        QCOMPARE(csv.exitCode, 0);
        QCOMPARE(csv.out, QStringLiteral("\uFEFFday,store_id,store_code,store_name_ja,store_name_en,links_shown,phone_reads,"
                                         "claims,friend_adds,blocks,deliveries,skipped_unfollowed,capped,deferred,clicks\r\n"
                                         "2026-03-10,101,jingumae,ソラマド 神宮前店,Soramado Jingumae,0,0,0,0,0,0,0,0,0,3\r\n"));

        // For a glance: per day unless told, with the totals under the rows.
        const Run text = ctl(QStringList{QStringLiteral("analytics"), QStringLiteral("1")} + range);
        QCOMPARE(text.exitCode, 0);
        const QStringList lines = text.out.split(u'\n', Qt::SkipEmptyParts);
        QCOMPARE(lines.size(), 3);
        QVERIFY(lines[0].startsWith(QLatin1String("day ")));
        QVERIFY2(lines[1].startsWith(QLatin1String("2026-03-10")) && lines[1].endsWith(QLatin1String(" 3")), qPrintable(text.out));
        QVERIFY2(lines[2].startsWith(QLatin1String("total")) && lines[2].endsWith(QLatin1String(" 3")), qPrintable(text.out));

        const Run usage = ctl({QStringLiteral("--json"), QStringLiteral("usage"), QStringLiteral("1"), QStringLiteral("--from"),
                               QStringLiteral("2026-01"), QStringLiteral("--to"), QStringLiteral("2026-03")});
        QCOMPARE(usage.exitCode, 0);
        QCOMPARE(usage.json().value(QLatin1String("total")).toInt(), 42);
        QCOMPARE(usage.json().value(QLatin1String("months")).toArray().size(), 3);
        // Without a range: this month and the eleven before, and the total.
        const Run recent = ctl({QStringLiteral("usage"), QStringLiteral("1")});
        QCOMPARE(recent.exitCode, 0);
        QCOMPARE(recent.out.split(u'\n', Qt::SkipEmptyParts).size(), 1 + 12 + 1);
    }

    void mistakesAreRefusedAndChangeNothing_data()
    {
        QTest::addColumn<QStringList>("words");
        QTest::addColumn<int>("exitCode");
        QTest::addColumn<QString>("message");
        const QString bad = m_dir.filePath(QStringLiteral("not-a-catalog.json"));
        const QString otherStore = m_dir.filePath(QStringLiteral("store-102.json"));
        const QString missing = m_dir.filePath(QStringLiteral("missing.json"));
        QTest::newRow("unknown command") << QStringList{QStringLiteral("store"), QStringLiteral("delete")} << 2
                                         << QStringLiteral("unknown command 'store delete'");
        QTest::newRow("no command") << QStringList{} << 2 << QStringLiteral("which command?");
        QTest::newRow("store id not a number")
            << QStringList{QStringLiteral("store"), QStringLiteral("add"), QStringLiteral("x"), QStringLiteral("c"),
                           QStringLiteral("n"), QStringLiteral("n")}
            << 2 << QStringLiteral("'x' is not a store id");
        QTest::newRow("store name empty")
            << QStringList{QStringLiteral("store"), QStringLiteral("add"), QStringLiteral("5"), QStringLiteral("c"),
                           QStringLiteral(" "), QStringLiteral("n")}
            << 2 << QStringLiteral("must not be empty");
        QTest::newRow("catalog the kiosk would refuse")
            << QStringList{QStringLiteral("catalog"), QStringLiteral("upload"), QStringLiteral("101"), bad} << 1
            << QStringLiteral("catalog refused: ");
        QTest::newRow("catalog of another store")
            << QStringList{QStringLiteral("catalog"), QStringLiteral("upload"), QStringLiteral("101"), otherStore} << 1
            << QStringLiteral("catalog is for store 102, not store 101");
        QTest::newRow("catalog file missing")
            << QStringList{QStringLiteral("catalog"), QStringLiteral("upload"), QStringLiteral("101"), missing} << 1
            << QStringLiteral("cannot read");
        QTest::newRow("catalog for an unknown store")
            << QStringList{QStringLiteral("catalog"), QStringLiteral("upload"), QStringLiteral("7"), kDemoCatalog} << 1
            << QStringLiteral("no store 7");
        QTest::newRow("enrollment for an unknown store")
            << QStringList{QStringLiteral("enrollment"), QStringLiteral("create"), QStringLiteral("7")} << 1
            << QStringLiteral("no store 7");
        QTest::newRow("enrollment valid for ever")
            << QStringList{QStringLiteral("enrollment"), QStringLiteral("create"), QStringLiteral("101"),
                           QStringLiteral("--valid-hours"), QStringLiteral("100000")}
            << 2 << QStringLiteral("--valid-hours");
        QTest::newRow("revoke a typo") << QStringList{QStringLiteral("device"), QStringLiteral("revoke"), QStringLiteral("kiosk-x")}
                                       << 1 << QStringLiteral("no device 'kiosk-x'");
        QTest::newRow("show a typo") << QStringList{QStringLiteral("device"), QStringLiteral("show"), QStringLiteral("kiosk-x")}
                                     << 1 << QStringLiteral("no device 'kiosk-x'");
        QTest::newRow("chain without names") << QStringList{QStringLiteral("chain"), QStringLiteral("add"), QStringLiteral("1")}
                                             << 2 << QStringLiteral("chain add needs");
        QTest::newRow("store to an unknown chain")
            << QStringList{QStringLiteral("store"), QStringLiteral("chain"), QStringLiteral("101"), QStringLiteral("9")} << 1
            << QStringLiteral("no chain 9");
        QTest::newRow("key for an unknown chain") << QStringList{QStringLiteral("chain"), QStringLiteral("key"), QStringLiteral("9")}
                                                  << 1 << QStringLiteral("no chain 9");
        QTest::newRow("cap not a number")
            << QStringList{QStringLiteral("chain"), QStringLiteral("cap"), QStringLiteral("1"), QStringLiteral("x"), QStringLiteral("drop")}
            << 2 << QStringLiteral("the cap must be 0 (no cap) to 1000");
        QTest::newRow("cap policy unknown")
            << QStringList{QStringLiteral("chain"), QStringLiteral("cap"), QStringLiteral("1"), QStringLiteral("5"), QStringLiteral("never")}
            << 2 << QStringLiteral("'never' is neither defer nor drop");
        QTest::newRow("analytics without a range") << QStringList{QStringLiteral("analytics"), QStringLiteral("1")} << 2
                                                   << QStringLiteral("--from and --to");
        QTest::newRow("analytics over a year")
            << QStringList{QStringLiteral("analytics"), QStringLiteral("1"), QStringLiteral("--from"), QStringLiteral("2025-01-01"),
                           QStringLiteral("--to"), QStringLiteral("2026-03-01")}
            << 2 << QStringLiteral("at most 366");
        QTest::newRow("analytics grouped by colour")
            << QStringList{QStringLiteral("analytics"), QStringLiteral("1"), QStringLiteral("--from"), QStringLiteral("2026-03-01"),
                           QStringLiteral("--to"), QStringLiteral("2026-03-01"), QStringLiteral("--group-by"), QStringLiteral("colour")}
            << 2 << QStringLiteral("unknown grouping 'colour'");
        QTest::newRow("analytics of an unknown chain")
            << QStringList{QStringLiteral("analytics"), QStringLiteral("9"), QStringLiteral("--from"), QStringLiteral("2026-03-01"),
                           QStringLiteral("--to"), QStringLiteral("2026-03-01")}
            << 1 << QStringLiteral("no chain 9");
        QTest::newRow("usage from without to")
            << QStringList{QStringLiteral("usage"), QStringLiteral("1"), QStringLiteral("--from"), QStringLiteral("2026-01")} << 2
            << QStringLiteral("--from and --to together");
    }

    void mistakesAreRefusedAndChangeNothing()
    {
        QFETCH(QStringList, words);
        QFETCH(int, exitCode);
        QFETCH(QString, message);
        QFile bad(m_dir.filePath(QStringLiteral("not-a-catalog.json")));
        QVERIFY(bad.open(QIODevice::WriteOnly));
        bad.write("{\"schemaVersion\": 1, \"brands\": \"many\"}");
        bad.close();
        QFile demo(kDemoCatalog);
        QVERIFY(demo.open(QIODevice::ReadOnly));
        QFile other(m_dir.filePath(QStringLiteral("store-102.json")));
        QVERIFY(other.open(QIODevice::WriteOnly));
        other.write(demo.readAll().replace("\"id\": 101", "\"id\": 102"));
        other.close();

        addDemoStore();
        QCOMPARE(ctl({QStringLiteral("catalog"), QStringLiteral("upload"), QStringLiteral("101"), kDemoCatalog}).exitCode, 0);
        const QString before = ctl({QStringLiteral("--json"), QStringLiteral("store"), QStringLiteral("list")}).out;

        const Run run = ctl(words);
        QCOMPARE(run.exitCode, exitCode);
        QVERIFY2(run.err.contains(message), qPrintable(run.err));
        QVERIFY(run.out.isEmpty());
        QCOMPARE(ctl({QStringLiteral("--json"), QStringLiteral("store"), QStringLiteral("list")}).out, before);
    }

    void aBadDatabaseSettingIsNamed()
    {
        QStringList arguments{QStringLiteral("poptap-deliveryctl"), QStringLiteral("--database"),
                              QStringLiteral("mysql://db/x"), QStringLiteral("store"), QStringLiteral("list")};
        QString out, err;
        QTextStream o(&out), e(&err);
        QBuffer in;
        QCOMPARE(runOperatorCommand(arguments, {}, in, o, e), 2);
        e.flush();
        QVERIFY2(err.contains(QLatin1String("--database")), qPrintable(err));
    }
};

QTEST_GUILESS_MAIN(OperatorCommandsTest)
#include "operatorcommandstest.moc"
