#include "curlworker.h"

#include "curltransfer.h"
#include "delivery.h"

#include <QLoggingCategory>

#include <curl/curl.h>

#include <algorithm>

namespace poptap::http {

namespace {

Q_LOGGING_CATEGORY(lcHttp, "poptap.http")

// Longest sleep in curl_multi_poll; libcurl shortens it for its own timers (low-speed checks,
// connect timeouts) and curl_multi_wakeup() ends it early.
constexpr int pollMilliseconds = 1000;

void initialiseCurlOnce()
{
    // curl_global_init is not thread-safe; a static's initialiser runs once.
    static const CURLcode initialised = curl_global_init(CURL_GLOBAL_DEFAULT);
    Q_UNUSED(initialised);
}

} // namespace

CurlWorker::CurlWorker(TransportSettings settings)
    : m_settings(std::move(settings))
{
    initialiseCurlOnce();
    m_multi = curl_multi_init();
    m_thread = std::thread([this] { run(); });
}

CurlWorker::~CurlWorker()
{
    {
        std::lock_guard lock(m_mutex);
        m_stopping = true;
    }
    wake();
    m_thread.join();
    curl_multi_cleanup(m_multi);
}

void CurlWorker::wake()
{
    if (m_multi)
        curl_multi_wakeup(m_multi);
}

void CurlWorker::submit(HttpRequest request, std::shared_ptr<Delivery> delivery)
{
    {
        std::lock_guard lock(m_mutex);
        m_queue.push_back({std::move(request), std::move(delivery)});
    }
    wake();
}

void CurlWorker::cancelAll()
{
    {
        std::lock_guard lock(m_mutex);
        m_cancelActive = true;
        while (!m_queue.empty()) {
            m_cancelledJobs.push_back(std::move(m_queue.front()));
            m_queue.pop_front();
        }
    }
    wake();
}

void CurlWorker::run()
{
    for (;;) {
        std::deque<Job> incoming;
        std::deque<Job> cancelledJobs;
        bool cancelRequested = false;
        {
            std::lock_guard lock(m_mutex);
            if (m_stopping)
                break;
            incoming.swap(m_queue);
            cancelledJobs.swap(m_cancelledJobs);
            cancelRequested = std::exchange(m_cancelActive, false);
        }
        // Everything active now was started before cancelAll() was called.
        if (cancelRequested)
            cancelActive();
        for (Job &job : cancelledJobs)
            job.delivery->post(CurlTransfer::cancelled());
        for (Job &job : incoming)
            start(std::move(job));

        int running = 0;
        curl_multi_perform(m_multi, &running);
        collectFinished();
        curl_multi_poll(m_multi, nullptr, 0, pollMilliseconds, nullptr);
    }

    for (const auto &transfer : m_active) {
        curl_multi_remove_handle(m_multi, transfer->handle());
        transfer->delivery().abandon();
    }
    m_active.clear();
    std::lock_guard lock(m_mutex);
    for (const Job &job : m_queue)
        job.delivery->abandon();
    for (const Job &job : m_cancelledJobs)
        job.delivery->abandon();
    m_queue.clear();
    m_cancelledJobs.clear();
}

void CurlWorker::start(Job job)
{
    auto transfer = std::make_unique<CurlTransfer>(std::move(job.request), std::move(job.delivery), m_settings);
    if (!transfer->handle()) {
        HttpResponse response;
        response.error = TransportError::Other;
        response.errorText = transfer->setupError();
        transfer->delivery().post(std::move(response));
        return;
    }
    const CURLMcode added = curl_multi_add_handle(m_multi, transfer->handle());
    if (added != CURLM_OK) {
        HttpResponse response;
        response.error = TransportError::Other;
        response.errorText = QString::fromUtf8(curl_multi_strerror(added));
        transfer->delivery().post(std::move(response));
        return;
    }
    m_active.push_back(std::move(transfer));
}

void CurlWorker::collectFinished()
{
    int queued = 0;
    while (CURLMsg *message = curl_multi_info_read(m_multi, &queued)) {
        if (message->msg != CURLMSG_DONE)
            continue;
        void *privateData = nullptr;
        curl_easy_getinfo(message->easy_handle, CURLINFO_PRIVATE, &privateData);
        auto *transfer = static_cast<CurlTransfer *>(privateData);
        const CURLcode result = message->data.result; // message is invalid after removal
        complete(transfer, transfer->finish(result));
    }
}

void CurlWorker::complete(CurlTransfer *transfer, HttpResponse response)
{
    curl_multi_remove_handle(m_multi, transfer->handle());
    // Host and path only: queries and headers may carry credentials.
    if (response.error != TransportError::None)
        qCInfo(lcHttp).noquote() << transfer->request().method << transfer->request().url.host()
                                 << transfer->request().url.path() << transportErrorName(response.error)
                                 << response.errorText;
    transfer->delivery().post(std::move(response));
    const auto it = std::find_if(m_active.begin(), m_active.end(),
                                 [transfer](const auto &active) { return active.get() == transfer; });
    if (it != m_active.end())
        m_active.erase(it);
}

void CurlWorker::cancelActive()
{
    // Removing a transfer mid-way closes its connection; the others in the pool stay.
    for (const auto &transfer : m_active) {
        curl_multi_remove_handle(m_multi, transfer->handle());
        transfer->delivery().post(CurlTransfer::cancelled());
    }
    m_active.clear();
}

} // namespace poptap::http
