#include "curltransfer.h"

#include "curlerrors.h"
#include "delivery.h"

#include <curl/curl.h>

#include <algorithm>

namespace poptap::http {

namespace {

static_assert(CURL_ERROR_SIZE <= 256, "CurlTransfer::m_errorBuffer is too small");

size_t headerCallback(char *data, size_t size, size_t count, void *transfer)
{
    return static_cast<CurlTransfer *>(transfer)->onHeader(data, size * count);
}

size_t bodyCallback(char *data, size_t size, size_t count, void *transfer)
{
    return static_cast<CurlTransfer *>(transfer)->onBody(data, size * count);
}

// CR or LF in a header would let a value smuggle in more headers or a second request.
bool isSafeHeader(const std::pair<QByteArray, QByteArray> &header)
{
    const auto clean = [](const QByteArray &text) { return !text.contains('\r') && !text.contains('\n'); };
    return !header.first.isEmpty() && !header.first.contains(':') && clean(header.first) && clean(header.second);
}

bool hasHeader(const HttpRequest &request, QByteArrayView name)
{
    return std::any_of(request.headers.begin(), request.headers.end(),
                       [&](const auto &header) { return header.first.compare(name, Qt::CaseInsensitive) == 0; });
}

QByteArray toCString(const QString &text)
{
    return text.toLocal8Bit();
}

} // namespace

CurlTransfer::CurlTransfer(HttpRequest request, std::shared_ptr<Delivery> delivery, const TransportSettings &settings)
    : m_request(std::move(request)), m_delivery(std::move(delivery)), m_maxBodyBytes(settings.maxResponseBytes)
{
    m_easy = curl_easy_init();
    if (!m_easy) {
        m_setupError = QStringLiteral("libcurl could not create a transfer");
        return;
    }
    if (!configure(settings)) {
        curl_easy_cleanup(m_easy);
        m_easy = nullptr;
    }
}

CurlTransfer::~CurlTransfer()
{
    if (m_easy)
        curl_easy_cleanup(m_easy);
    curl_slist_free_all(m_headerList);
}

bool CurlTransfer::configure(const TransportSettings &settings)
{
    const QByteArray url = m_request.url.toEncoded();
    const QByteArray scheme = m_request.url.scheme().toLatin1();
    if (!m_request.url.isValid() || (scheme != "http" && scheme != "https")) {
        m_setupError = QStringLiteral("not an http or https URL");
        return false;
    }
    if (m_request.method.isEmpty() || !std::all_of(m_request.headers.begin(), m_request.headers.end(), isSafeHeader)
        || m_request.method.contains(' ') || m_request.method.contains('\r') || m_request.method.contains('\n')) {
        m_setupError = QStringLiteral("malformed method or header");
        return false;
    }

    for (const auto &[name, value] : std::as_const(m_request.headers)) {
        // "Name;" is libcurl's way of sending a header with an empty value.
        const QByteArray line = value.isEmpty() ? name + ';' : name + ": " + value;
        m_headerList = curl_slist_append(m_headerList, line.constData());
    }
    // libcurl would wait up to a second for "100 Continue" before sending large bodies.
    if (!hasHeader(m_request, "expect"))
        m_headerList = curl_slist_append(m_headerList, "Expect:");

    const QByteArray caBundle = toCString(settings.tls.caBundle);
    const QByteArray clientCertificate = toCString(settings.tls.clientCertificate);
    const QByteArray clientKey = toCString(settings.tls.clientKey);
    const QByteArray proxy = toCString(settings.proxy);

    CURLcode code = CURLE_OK;
    const auto set = [&](CURLoption option, auto value) {
        if (code == CURLE_OK)
            code = curl_easy_setopt(m_easy, option, value);
    };
    set(CURLOPT_PRIVATE, static_cast<void *>(this));
    set(CURLOPT_ERRORBUFFER, m_errorBuffer);
    set(CURLOPT_NOSIGNAL, 1L);
    set(CURLOPT_URL, url.constData()); // libcurl copies strings
    set(CURLOPT_PROTOCOLS_STR, "http,https");
    set(CURLOPT_FOLLOWLOCATION, 0L);
    set(CURLOPT_HTTP_VERSION, long(CURL_HTTP_VERSION_2TLS));
    // Over TLS, wait to multiplex on an HTTP/2 connection being set up rather than open another.
    // Not over plain HTTP: there libcurl would learn only from the first response that it cannot.
    if (scheme == "https")
        set(CURLOPT_PIPEWAIT, 1L);
    set(CURLOPT_TCP_KEEPALIVE, 1L);
    set(CURLOPT_CONNECTTIMEOUT_MS, long(settings.connectTimeout.count()));
    if (m_request.timeout.count() > 0)
        set(CURLOPT_TIMEOUT_MS, long(m_request.timeout.count()));
    set(CURLOPT_LOW_SPEED_LIMIT, settings.lowSpeedBytesPerSecond);
    set(CURLOPT_LOW_SPEED_TIME, long(settings.lowSpeedTime.count()));
    set(CURLOPT_MAXFILESIZE_LARGE, curl_off_t(settings.maxResponseBytes));
    set(CURLOPT_HTTPHEADER, m_headerList);
    set(CURLOPT_SUPPRESS_CONNECT_HEADERS, 1L); // a proxy's CONNECT answer is not the response
    if (!settings.userAgent.isEmpty())
        set(CURLOPT_USERAGENT, settings.userAgent.constData());
    set(CURLOPT_HEADERFUNCTION, headerCallback);
    set(CURLOPT_HEADERDATA, static_cast<void *>(this));
    set(CURLOPT_WRITEFUNCTION, bodyCallback);
    set(CURLOPT_WRITEDATA, static_cast<void *>(this));

    // TLS: verification is never switched off, whatever the settings say.
    set(CURLOPT_SSL_VERIFYPEER, 1L);
    set(CURLOPT_SSL_VERIFYHOST, 2L);
    set(CURLOPT_SSLVERSION, long(CURL_SSLVERSION_TLSv1_2));
    if (!caBundle.isEmpty())
        set(CURLOPT_CAINFO, caBundle.constData());
    if (!settings.tls.pinnedPublicKey.isEmpty())
        set(CURLOPT_PINNEDPUBLICKEY, settings.tls.pinnedPublicKey.constData());
    if (!clientCertificate.isEmpty()) {
        set(CURLOPT_SSLCERT, clientCertificate.constData());
        set(CURLOPT_SSLCERTTYPE, "PEM");
    }
    if (!clientKey.isEmpty()) {
        set(CURLOPT_SSLKEY, clientKey.constData());
        set(CURLOPT_SSLKEYTYPE, "PEM");
    }
    // Unset, libcurl reads http_proxy, https_proxy, all_proxy and no_proxy itself.
    if (!proxy.isEmpty())
        set(CURLOPT_PROXY, proxy.constData());

    const QByteArray &method = m_request.method;
    if (method == "GET" && m_request.body.isEmpty()) {
        set(CURLOPT_HTTPGET, 1L);
    } else if (method == "HEAD") {
        set(CURLOPT_NOBODY, 1L);
    } else if (method == "POST" || method == "PUT" || method == "PATCH" || !m_request.body.isEmpty()) {
        set(CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(m_request.body.size()));
        set(CURLOPT_POSTFIELDS, m_request.body.constData()); // not copied: m_request outlives the handle
        if (method != "POST")
            set(CURLOPT_CUSTOMREQUEST, method.constData());
    } else {
        set(CURLOPT_CUSTOMREQUEST, method.constData());
    }

    if (code != CURLE_OK) {
        m_setupError = QString::fromUtf8(curl_easy_strerror(code));
        return false;
    }
    return true;
}

size_t CurlTransfer::onHeader(const char *data, size_t size)
{
    const QByteArray line = QByteArray(data, qsizetype(size)).trimmed();
    if (line.startsWith("HTTP/")) {
        // A new status line: what came before belonged to an interim (1xx) response.
        m_response.headers.clear();
        return size;
    }
    const qsizetype colon = line.indexOf(':');
    if (colon > 0)
        m_response.headers.append({line.left(colon).trimmed().toLower(), line.mid(colon + 1).trimmed()});
    return size;
}

size_t CurlTransfer::onBody(const char *data, size_t size)
{
    // CURLOPT_MAXFILESIZE only catches bodies whose length is announced; this catches the rest.
    if (m_response.body.size() + qsizetype(size) > m_maxBodyBytes) {
        m_bodyTooLarge = true;
        return 0;
    }
    m_response.body.append(data, qsizetype(size));
    return size;
}

HttpResponse CurlTransfer::finish(int curlCode)
{
    HttpResponse response = std::move(m_response);
    long status = 0;
    curl_easy_getinfo(m_easy, CURLINFO_RESPONSE_CODE, &status);
    response.status = int(status);

    CurlOutcome outcome;
    outcome.curlCode = curlCode;
    outcome.bodyTooLarge = m_bodyTooLarge;
    curl_easy_getinfo(m_easy, CURLINFO_HTTP_CONNECTCODE, &outcome.proxyConnectStatus);
    if (curlCode != CURLE_OK) {
        outcome.message = m_errorBuffer[0] ? QString::fromUtf8(m_errorBuffer).trimmed()
                                           : QString::fromUtf8(curl_easy_strerror(CURLcode(curlCode)));
        if (m_bodyTooLarge)
            outcome.message = QStringLiteral("response body larger than %1 bytes").arg(m_maxBodyBytes);
    }
    response.error = classifyCurlOutcome(outcome);
    response.errorText = outcome.message;
    if (response.status == 0)
        response.headers.clear();
    if (response.error != TransportError::None)
        response.body.clear();
    return response;
}

HttpResponse CurlTransfer::cancelled()
{
    HttpResponse response;
    response.error = TransportError::Cancelled;
    response.errorText = QStringLiteral("cancelled");
    return response;
}

} // namespace poptap::http
