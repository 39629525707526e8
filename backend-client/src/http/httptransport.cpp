#include "httptransport.h"

#include "curlworker.h"
#include "delivery.h"

namespace poptap::http {

QByteArrayView transportErrorName(TransportError error)
{
    switch (error) {
    case TransportError::None: return "none";
    case TransportError::Connect: return "connect";
    case TransportError::Timeout: return "timeout";
    case TransportError::Tls: return "tls";
    case TransportError::Proxy: return "proxy";
    case TransportError::Protocol: return "protocol";
    case TransportError::TooLarge: return "too-large";
    case TransportError::Cancelled: return "cancelled";
    case TransportError::Other: return "other";
    }
    return "other";
}

QByteArray HttpResponse::header(QByteArrayView lowerCaseName) const
{
    for (const auto &[name, value] : headers)
        if (name == lowerCaseName)
            return value;
    return {};
}

HttpTransport::HttpTransport(TransportSettings settings, QObject *parent)
    : QObject(parent),
      m_settings(std::move(settings)),
      m_gate(std::make_shared<DeliveryGate>()),
      m_worker(std::make_unique<CurlWorker>(m_settings))
{
}

HttpTransport::~HttpTransport()
{
    m_gate->close();  // callbacks already queued to a context will not start
    m_worker.reset(); // joins the thread; unanswered requests are abandoned
}

void HttpTransport::send(HttpRequest request, QObject *context, std::function<void(HttpResponse)> done)
{
    m_worker->submit(std::move(request), Delivery::create(context ? context : this, std::move(done), m_gate));
}

void HttpTransport::cancelAll()
{
    m_worker->cancelAll();
}

} // namespace poptap::http
