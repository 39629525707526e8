#pragma once

#include <QByteArray>
#include <QJsonObject>
#include <QString>

#include <optional>

namespace poptap::faultproxy {

enum class FaultKind {
    ResetBeforeRequest, // RST to the client; nothing reaches the upstream
    ResetAfterRequest,  // the upstream answers (and so has acted), the client gets an RST instead
    Stall,              // nothing forwarded, nothing answered for `ms` (0: until faults are cleared)
    SlowDrip,           // the real response at `bytesPerSecond`
    Truncate,           // the first `bytes` of the real response, then the connection closes
    Status,             // `status` answered by the proxy, with `retryAfter` and `body`; not forwarded
    Garbage,            // `status` (200) with a body no JSON parser accepts; `forward`: the real answer's body replaced
    Latency,            // `ms` before forwarding; combines with one of the other kinds
};

QString faultKindName(FaultKind kind);           // "reset-before-request", ...
std::optional<FaultKind> faultKindFromName(const QString &name);

// One queued fault. C++ callers build it with the named constructors and narrow it down:
// `proxy.injectFault(FaultSpec::answer(503).onPath(u"/v1/registrations"_s).times(2))`.
struct FaultSpec {
    FaultKind kind = FaultKind::Status;
    int count = 1;        // matching requests it applies to; 0: every one until faults are cleared
    QString path;         // only this path or those under it ("/v1/registrations"); empty: any
    QString method;       // only this method ("POST"); empty: any
    int ms = 0;           // stall, latency
    int bytesPerSecond = 0; // slow-drip
    qint64 bytes = 0;     // truncate
    int status = 0;       // status (default 503), garbage (default 200)
    QString retryAfter;   // status: a Retry-After header, delta-seconds or an HTTP date, sent as given
    QByteArray body;      // status, garbage: what to answer instead of the built-in text
    QByteArray contentType; // status, garbage: instead of application/json
    bool forward = false; // garbage: forward the request and replace only the body of the real answer

    static FaultSpec resetBeforeRequest();
    static FaultSpec resetAfterRequest();
    static FaultSpec stall(int ms = 0); // 0: until faults are cleared
    static FaultSpec slowDrip(int bytesPerSecond);
    static FaultSpec truncate(qint64 bytes);
    static FaultSpec answer(int status, const QString &retryAfter = {}, const QByteArray &body = {});
    static FaultSpec garbage(bool forward = false);
    static FaultSpec latency(int ms);
    [[nodiscard]] FaultSpec times(int n) const;                  // count; 0: until cleared
    [[nodiscard]] FaultSpec onPath(const QString &prefix) const; // path
    [[nodiscard]] FaultSpec onMethod(const QString &verb) const; // method

    bool matches(const QByteArray &requestMethod, const QByteArray &target) const;
    int effectiveStatus() const;
    QByteArray effectiveBody() const;
    QByteArray effectiveContentType() const;

    QJsonObject toJson() const;
    // The control API's form; `error` says which field is wrong.
    static std::optional<FaultSpec> fromJson(const QJsonObject &json, QString *error);
};

} // namespace poptap::faultproxy
