#include "httpload.h"

#include "httpconnection.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QThread>
#include <QTimer>

#include <memory>
#include <vector>

namespace poptap::bench {

QList<double> LoadRun::latenciesMs() const
{
    QList<double> ms;
    ms.reserve(results.size());
    for (const LoadResult &r : results)
        ms.append(r.latencyMs());
    return ms;
}

HttpLoad::HttpLoad(QUrl service, int clients, int total, Factory make)
    : m_service(std::move(service))
    , m_clients(clients)
    , m_total(total)
    , m_make(std::move(make))
{
}

QString HttpLoad::describe() const
{
    return QStringLiteral("load generator: a QThread apart from the service's event loop, %1 keep-alive HTTP/1.1 "
                          "connection(s) (QTcpSocket, TCP_NODELAY), one request in flight on each")
        .arg(m_clients);
}

LoadRun HttpLoad::run() const
{
    LoadRun run;
    run.results.resize(m_total);
    if (m_total <= 0)
        return run;
    std::unique_ptr<QThread> thread(QThread::create([this, &run] { generate(run); }));
    QEventLoop waiting;
    QObject::connect(thread.get(), &QThread::finished, &waiting, &QEventLoop::quit);
    thread->start();
    waiting.exec(); // the service answers on this thread while the load thread sends
    thread->wait();
    return run;
}

void HttpLoad::generate(LoadRun &run) const
{
    std::vector<std::unique_ptr<HttpConnection>> connections;
    for (int c = 0; c < m_clients; ++c) {
        connections.push_back(std::make_unique<HttpConnection>(m_service.host(), quint16(m_service.port()), m_timeoutMs));
        connections.back()->connectNow(); // a failure shows as failed requests
    }
    QEventLoop loop;
    QElapsedTimer clock;
    int next = 0;
    int outstanding = 0;
    qint64 lastAnswerNs = 0;

    std::function<void(int)> sendNext = [&](int client) {
        if (next >= m_total) {
            if (outstanding == 0)
                loop.quit();
            return;
        }
        const int index = next++;
        const LoadRequest planned = m_make(index, client);
        LoadResult &result = run.results[index];
        result.client = client;
        ++outstanding;
        result.sentNs = clock.nsecsElapsed();
        connections[size_t(client)]->send(
            planned.method, planned.path, planned.headers, planned.body,
            [&, index, client](const HttpConnection::Answer &answer) {
                LoadResult &answered = run.results[index];
                answered.answeredNs = lastAnswerNs = clock.nsecsElapsed();
                answered.status = answer.status;
                answered.error = answer.error;
                if (m_keepBodies)
                    answered.body = answer.body;
                --outstanding;
                // Queued, so a long run does not recurse through answer callbacks.
                QMetaObject::invokeMethod(&loop, [&sendNext, client] { sendNext(client); }, Qt::QueuedConnection);
            });
    };

    // Start from inside the loop, so a quit() can never come before exec().
    QTimer::singleShot(0, &loop, [&] {
        run.startedEpochMs = QDateTime::currentMSecsSinceEpoch();
        clock.start();
        for (int c = 0; c < m_clients; ++c)
            sendNext(c);
    });
    loop.exec();
    run.seconds = double(lastAnswerNs) / 1e9;
}

} // namespace poptap::bench
