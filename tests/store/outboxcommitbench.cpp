// bench-outbox-commits [--count N] [--dir D]: durable single-intent commits per second
// (DESIGN.md target: >= 1,000 /s on the dev machine). Reports numbers; the exit code
// says only whether every commit succeeded, never whether it was fast enough.

#include "devicekey.h"
#include "outboxstore.h"
#include "registrationtoken.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QStorageInfo>
#include <QTemporaryDir>

#include <algorithm>
#include <cstdio>
#include <vector>

using namespace poptap;

namespace {

double percentileMs(const std::vector<qint64> &sortedNs, double p)
{
    if (sortedNs.empty())
        return 0;
    const size_t index = std::min(sortedNs.size() - 1, size_t(p * double(sortedNs.size() - 1) + 0.5));
    return double(sortedNs[index]) / 1e6;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Durable single-intent commits to the PopTap outbox"));
    parser.addHelpOption();
    const QCommandLineOption countOption(QStringLiteral("count"), QStringLiteral("Number of commits."),
                                         QStringLiteral("N"), QStringLiteral("2000"));
    const QCommandLineOption dirOption(QStringLiteral("dir"),
                                       QStringLiteral("Directory to create the temporary outbox in (default: temp)."),
                                       QStringLiteral("D"));
    parser.addOptions({countOption, dirOption});
    parser.process(app);
    bool countOk = false;
    const int count = parser.value(countOption).toInt(&countOk);
    if (!countOk || count <= 0) {
        std::fprintf(stderr, "--count needs a positive number\n");
        return 2;
    }

    QTemporaryDir dir(parser.isSet(dirOption) ? parser.value(dirOption) + QStringLiteral("/bench-outbox-XXXXXX")
                                              : QString());
    if (!dir.isValid()) {
        std::fprintf(stderr, "cannot create a temporary directory: %s\n", qPrintable(dir.errorString()));
        return 2;
    }
    DeviceKey::Load load = DeviceKey::loadOrCreate(dir.path());
    if (!load.error.isEmpty()) {
        std::fprintf(stderr, "device key: %s\n", qPrintable(load.error));
        return 2;
    }
    DeviceKey &key = load.key;
    OutboxStore::Options options;
    options.allocateEpoch = [&key](QString *error) { return key.allocateEpoch(error); };
    OutboxStore store;
    const SqliteDatabase::OpenResult opened = store.open(dir.filePath(QStringLiteral("outbox.db")), options);
    if (!opened.error.isEmpty()) {
        std::fprintf(stderr, "open: %s\n", qPrintable(opened.error));
        return 1;
    }
    const QStorageInfo storage(dir.path());
    std::printf("outbox in %s (filesystem %s on %s)\n", qPrintable(dir.path()), storage.fileSystemType().constData(),
                storage.device().constData());

    const QByteArray secret = key.secret();
    const auto sign = [&secret](const TokenClaims &claims) { return RegistrationToken::issue(claims, secret); };
    std::vector<qint64> latencies;
    latencies.reserve(size_t(count));
    QElapsedTimer total;
    total.start();
    for (int i = 0; i < count; ++i) {
        TokenClaims claims;
        claims.keyId = key.keyId();
        claims.target = quint32(i);
        claims.issuedAt = QDateTime::fromSecsSinceEpoch(QDateTime::currentSecsSinceEpoch(), Qt::UTC);
        QElapsedTimer one;
        one.start();
        const OutboxStore::Commit commit = store.commit(claims, sign);
        latencies.push_back(one.nsecsElapsed());
        if (!commit.ok()) {
            std::fprintf(stderr, "commit %d failed: %s\n", i + 1, qPrintable(commit.error));
            return 1;
        }
    }
    const double seconds = double(total.nsecsElapsed()) / 1e9;
    std::sort(latencies.begin(), latencies.end());
    std::printf("durable single-intent commits: %d in %.2f s = %.0f /s (p50 %.2f ms, p99 %.2f ms, max %.2f ms)\n",
                count, seconds, double(count) / seconds, percentileMs(latencies, 0.50), percentileMs(latencies, 0.99),
                double(latencies.back()) / 1e6);
    return 0;
}
