// outbox-crash-writer <database>: commits registration intents to the outbox at
// <database> forever (device key in the same directory), printing each committed
// intent's token on its own line as soon as commit() returns. outboxcrashtest kills
// it with SIGKILL at random moments; every token printed here must survive.

#include "devicekey.h"
#include "outboxstore.h"
#include "registrationtoken.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QFileInfo>

#include <cstdio>

using namespace poptap;

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    if (argc != 2) {
        std::fprintf(stderr, "usage: outbox-crash-writer <database>\n");
        return 2;
    }
    const QString path = QString::fromLocal8Bit(argv[1]);
    DeviceKey::Load load = DeviceKey::loadOrCreate(QFileInfo(path).absolutePath());
    if (!load.error.isEmpty()) {
        std::fprintf(stderr, "device key: %s\n", qPrintable(load.error));
        return 3;
    }
    DeviceKey &key = load.key;
    OutboxStore::Options options;
    options.allocateEpoch = [&key](QString *error) { return key.allocateEpoch(error); };
    OutboxStore store;
    const SqliteDatabase::OpenResult opened = store.open(path, options);
    if (!opened.error.isEmpty()) {
        std::fprintf(stderr, "open: %s\n", qPrintable(opened.error));
        return 4;
    }
    if (!opened.quarantinedTo.isEmpty())
        std::fprintf(stderr, "quarantined to %s: %s\n", qPrintable(opened.quarantinedTo), qPrintable(opened.corruption));

    const QByteArray secret = key.secret();
    const auto sign = [&secret](const TokenClaims &claims) { return RegistrationToken::issue(claims, secret); };
    for (quint32 target = 1;; ++target) {
        TokenClaims claims;
        claims.keyId = key.keyId();
        claims.target = target;
        claims.issuedAt = QDateTime::fromSecsSinceEpoch(QDateTime::currentSecsSinceEpoch(), Qt::UTC);
        const OutboxStore::Commit commit = store.commit(claims, sign);
        if (!commit.ok()) {
            std::fprintf(stderr, "commit: %s\n", qPrintable(commit.error));
            return 5;
        }
        // One write of a whole line (< PIPE_BUF), flushed at once: a kill loses no printed token.
        std::fputs(qPrintable(commit.intent->token + QLatin1Char('\n')), stdout);
        std::fflush(stdout);
    }
}
