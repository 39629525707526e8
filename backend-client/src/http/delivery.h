#pragma once

#include "httptransport.h"

#include <QMetaObject>

#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

namespace poptap::http {

// The transport's promise that no callback starts after its destructor returns. Callbacks pass
// through enter()/leave(); close() shuts the gate and waits for callbacks running on other threads.
class DeliveryGate
{
public:
    bool enter();
    void leave();
    void close();

private:
    std::mutex m_mutex;
    std::condition_variable m_idle;
    bool m_closed = false;
    std::vector<std::thread::id> m_running; // a callback may destroy the transport from inside itself
};

// One request's way back to its caller: posts the response once to the event loop of `context`,
// never to a context that is already gone. Its own mutex serialises posting against the context's
// destruction, which Qt follows by dropping the events posted to it.
class Delivery : public std::enable_shared_from_this<Delivery>
{
public:
    static std::shared_ptr<Delivery> create(QObject *context, std::function<void(HttpResponse)> done,
                                            std::shared_ptr<DeliveryGate> gate);

    void post(HttpResponse response);   // any thread; later calls do nothing
    void abandon();                     // any thread: the transport is going away, no callback

private:
    Delivery(std::function<void(HttpResponse)> done, std::shared_ptr<DeliveryGate> gate);
    void deliver(HttpResponse response); // on the context's thread
    QObject *takeContext();

    std::mutex m_mutex;
    QObject *m_context = nullptr;        // null once posted, abandoned or destroyed
    QMetaObject::Connection m_watch;     // context's destroyed() → forget it
    std::function<void(HttpResponse)> m_done;
    std::shared_ptr<DeliveryGate> m_gate;
};

} // namespace poptap::http
