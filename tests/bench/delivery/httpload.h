#pragma once

#include <QByteArray>
#include <QList>
#include <QString>
#include <QUrl>

#include <functional>
#include <utility>

namespace poptap::bench {

struct LoadRequest {
    QByteArray method = "POST";
    QByteArray path; // with the query, as on the request line
    QByteArray body;
    QList<std::pair<QByteArray, QByteArray>> headers;
};

struct LoadResult {
    int client = -1;
    int status = 0;       // 0: no HTTP answer (see error)
    QString error;
    qint64 sentNs = 0;    // since the run started
    qint64 answeredNs = 0;
    QByteArray body;      // only when the run keeps bodies
    double latencyMs() const { return double(answeredNs - sentNs) / 1e6; }
};

struct LoadRun {
    QList<LoadResult> results; // one per request, by index
    qint64 startedEpochMs = 0; // wall clock at sentNs == 0, to line up with other logs
    double seconds = 0;        // first send to last answer
    QList<double> latenciesMs() const;
    double epochMs(qint64 runNs) const { return double(startedEpochMs) + double(runNs) / 1e6; }
};

// Closed-loop HTTP load from a thread of its own, so that the caller's thread (where the
// service under test runs its event loop) spends its time serving, not generating load.
// Each client is one keep-alive connection with one request in flight (HttpConnection);
// connections are opened before the clock starts.
class HttpLoad
{
public:
    // Runs on the load thread just before request `index` is sent by `client`, so that
    // signatures carry a fresh timestamp; it may only read data nobody changes meanwhile.
    using Factory = std::function<LoadRequest(int index, int client)>;

    // `service`: scheme, host and port every request goes to.
    HttpLoad(QUrl service, int clients, int total, Factory make);
    void setKeepBodies(bool keep) { m_keepBodies = keep; }
    void setRequestTimeoutMs(int ms) { m_timeoutMs = ms; }

    // Blocks until every request was answered or timed out, running the caller's event
    // loop meanwhile so an in-process server keeps serving.
    LoadRun run() const;

    QString describe() const; // for the benchmark's output

private:
    void generate(LoadRun &run) const; // the load thread's body

    QUrl m_service;
    int m_clients;
    int m_total;
    Factory m_make;
    bool m_keepBodies = false;
    int m_timeoutMs = 30000;
};

} // namespace poptap::bench
