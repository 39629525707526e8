#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QList>
#include <QObject>
#include <QString>
#include <QUrl>

#include <chrono>
#include <functional>
#include <memory>
#include <utility>

namespace poptap::http {

struct TlsSettings {
    QString caBundle;            // PEM file; empty: the system store. Verification is always on.
    QByteArray pinnedPublicKey;  // CURLOPT_PINNEDPUBLICKEY form, e.g. "sha256//<base64>;sha256//<base64>"; empty: none
    QString clientCertificate;   // PEM; optional
    QString clientKey;           // PEM; optional
};

struct TransportSettings {
    TlsSettings tls;
    QString proxy;               // empty: libcurl's standard environment variables (https_proxy, no_proxy, ...)
    std::chrono::milliseconds connectTimeout{10000};
    long lowSpeedBytesPerSecond = 1;        // abort when slower than this ...
    std::chrono::seconds lowSpeedTime{30};  // ... for this long (no whole-request timeout)
    qsizetype maxResponseBytes = 16 * 1024 * 1024;
    QByteArray userAgent;        // e.g. "poptap-kiosk/0.1.0"
};

struct HttpRequest {
    QByteArray method;           // GET, POST (any other token is sent as a custom method)
    QUrl url;                    // http or https only
    QList<std::pair<QByteArray, QByteArray>> headers;
    QByteArray body;
    std::chrono::milliseconds timeout{0}; // the whole request, answer included; 0: none (the low-speed limit still applies)
};

enum class TransportError { None, Connect, Timeout, Tls, Proxy, Protocol, TooLarge, Cancelled, Other };

// A stable lower-case name for logs and status displays ("tls", "timeout", ...).
QByteArrayView transportErrorName(TransportError error);

struct HttpResponse {
    int status = 0;              // 0 when no HTTP response arrived (see error); kept when a transfer failed after it
    QList<std::pair<QByteArray, QByteArray>> headers; // names lower-cased, as received
    QByteArray body;
    TransportError error = TransportError::None;
    QString errorText;           // curl's message, for logs and the staff status; never contains secrets
    QByteArray header(QByteArrayView lowerCaseName) const; // first value or empty
    bool ok() const { return error == TransportError::None && status > 0; }
};

class CurlWorker;
class DeliveryGate;

// HTTP(S) over libcurl on a dedicated thread. Thread-safe: send() and cancelAll() may be called
// from any thread; the object itself belongs to the thread that created it.
class HttpTransport : public QObject
{
    Q_OBJECT
public:
    explicit HttpTransport(TransportSettings settings, QObject *parent = nullptr);
    ~HttpTransport() override;   // cancels what is in flight; no callback runs after it returns

    // Sends on the transport's own thread (curl multi interface, connection reuse, HTTP/2 where the
    // server offers it over TLS, CURLOPT_NOSIGNAL). `done` runs exactly once, on the thread of
    // `context`, via its event loop — never if `context` was destroyed first. A null `context`
    // means the transport itself.
    void send(HttpRequest request, QObject *context, std::function<void(HttpResponse)> done);
    void cancelAll();            // in-flight requests finish with TransportError::Cancelled

    const TransportSettings &settings() const { return m_settings; }

private:
    const TransportSettings m_settings;
    std::shared_ptr<DeliveryGate> m_gate;
    std::unique_ptr<CurlWorker> m_worker;
};

} // namespace poptap::http
