#pragma once

#include "httptransport.h"

#include <deque>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

namespace poptap::http {

class CurlTransfer;
class Delivery;

// The transport's thread: one curl multi handle (one connection pool), fed from a queue.
class CurlWorker
{
public:
    explicit CurlWorker(TransportSettings settings);
    ~CurlWorker();               // stops the thread; what has not been answered is abandoned
    CurlWorker(const CurlWorker &) = delete;
    CurlWorker &operator=(const CurlWorker &) = delete;

    void submit(HttpRequest request, std::shared_ptr<Delivery> delivery);
    void cancelAll();

private:
    struct Job {
        HttpRequest request;
        std::shared_ptr<Delivery> delivery;
    };

    void run();
    void start(Job job);
    void complete(CurlTransfer *transfer, HttpResponse response);
    void collectFinished();
    void cancelActive();
    void wake();

    const TransportSettings m_settings;
    void *m_multi = nullptr;     // CURLM, created before the thread and destroyed after it

    std::mutex m_mutex;          // guards the fields below
    std::deque<Job> m_queue;
    std::deque<Job> m_cancelledJobs; // queued before cancelAll(), never started
    bool m_cancelActive = false;
    bool m_stopping = false;

    std::vector<std::unique_ptr<CurlTransfer>> m_active; // worker thread only
    std::thread m_thread;
};

} // namespace poptap::http
