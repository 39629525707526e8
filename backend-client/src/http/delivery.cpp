#include "delivery.h"

#include <QObject>

#include <algorithm>

namespace poptap::http {

bool DeliveryGate::enter()
{
    std::lock_guard lock(m_mutex);
    if (m_closed)
        return false;
    m_running.push_back(std::this_thread::get_id());
    return true;
}

void DeliveryGate::leave()
{
    std::lock_guard lock(m_mutex);
    const auto it = std::find(m_running.begin(), m_running.end(), std::this_thread::get_id());
    if (it != m_running.end())
        m_running.erase(it);
    m_idle.notify_all();
}

void DeliveryGate::close()
{
    std::unique_lock lock(m_mutex);
    m_closed = true;
    const auto self = std::this_thread::get_id();
    m_idle.wait(lock, [&] {
        return std::all_of(m_running.begin(), m_running.end(), [&](std::thread::id id) { return id == self; });
    });
}

Delivery::Delivery(std::function<void(HttpResponse)> done, std::shared_ptr<DeliveryGate> gate)
    : m_done(std::move(done)), m_gate(std::move(gate))
{
}

std::shared_ptr<Delivery> Delivery::create(QObject *context, std::function<void(HttpResponse)> done,
                                           std::shared_ptr<DeliveryGate> gate)
{
    std::shared_ptr<Delivery> delivery(new Delivery(std::move(done), std::move(gate)));
    delivery->m_context = context;
    // Direct: runs in the destroying thread, before ~QObject drops the events posted to the context.
    delivery->m_watch = QObject::connect(context, &QObject::destroyed,
                                         [weak = std::weak_ptr<Delivery>(delivery)] {
                                             if (const auto self = weak.lock())
                                                 self->takeContext();
                                         });
    return delivery;
}

QObject *Delivery::takeContext()
{
    std::lock_guard lock(m_mutex);
    return std::exchange(m_context, nullptr);
}

void Delivery::post(HttpResponse response)
{
    // The lock is held while posting so that the context cannot finish dying in between.
    std::lock_guard lock(m_mutex);
    QObject *context = std::exchange(m_context, nullptr);
    if (!context)
        return;
    QMetaObject::invokeMethod(
        context,
        [self = shared_from_this(), response = std::move(response)]() mutable { self->deliver(std::move(response)); },
        Qt::QueuedConnection);
}

void Delivery::abandon()
{
    std::lock_guard lock(m_mutex);
    QObject *context = std::exchange(m_context, nullptr);
    if (!context)
        return;
    // Disconnecting belongs on the context's thread; a long-lived context would otherwise collect
    // one dead connection per abandoned request.
    QMetaObject::invokeMethod(context, [watch = m_watch] { QObject::disconnect(watch); }, Qt::QueuedConnection);
    m_done = nullptr;
}

void Delivery::deliver(HttpResponse response)
{
    QObject::disconnect(m_watch);
    auto done = std::exchange(m_done, nullptr);
    if (!done || !m_gate->enter())
        return;
    struct Leave {
        DeliveryGate &gate;
        ~Leave() { gate.leave(); }
    } leave{*m_gate};
    done(std::move(response));
}

} // namespace poptap::http
